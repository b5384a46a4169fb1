"""Backpropagation through the sigmoid at z = 2: the derivative is y**2*exp(-2), y = sigmoid(2).

Run: python examples/sigmoid_backprop.py
"""

import math

import symdiff

f = symdiff.parse("1/(1+exp(-z))")
sweep = symdiff.reverse_sweep(f, {"z": 2})  # forward pass stores values, backward adjoints
y = 1 / (1 + math.exp(-2))
print(symdiff.evaluation_trace(f, {"z": 2}))
print()
print(f"y = {sweep.value!r}, dy/dz = {sweep.gradient['z']!r}")
print(f"y**2*exp(-2) = {y**2 * math.exp(-2)!r}")

assert abs(sweep.value - y) < 1e-15
assert abs(sweep.gradient["z"] - y**2 * math.exp(-2)) < 1e-15
# the adjoint of the denominator 1 + exp(-z) is -1/(1 + exp(-z))**2 = -y**2
denominator = symdiff.parse("1 + exp(-z)")
assert abs(sweep.adjoints[denominator] + y**2) < 1e-15
