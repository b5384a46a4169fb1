"""Code generation targets (python, numpy, c)."""
