"""Numbers at a point: evaluation, forward/reverse AD, finite differences, traces."""
