"""Symbolic differentiation: local partials, forward diff, reverse-sweep gradients."""
