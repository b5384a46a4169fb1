"""The logistic sigmoid 1/(1+exp(-z)) at z = 1.5: 0.8175744761936437, slope 0.14914645207033284.

Run: python examples/sigmoid.py
"""

import symdiff

f = symdiff.parse("1/(1+exp(-z))")
value, slope = symdiff.jvp(f, {"z": 1.5}, {"z": 1})  # forward mode: one dual-number pass
print(f"sigmoid(1.5)  = {value!r}")
print(f"sigmoid'(1.5) = {slope!r}   (forward mode)")
print(f"derivative    = {symdiff.diff(f, 'z')}")
symbolic = symdiff.evaluate(symdiff.diff(f, "z"), z=1.5)
print(f"symbolic      = {symbolic!r}")

assert abs(value - 0.8175744761936437) < 1e-15
assert abs(slope - 0.14914645207033284) < 1e-15
assert abs(symbolic - 0.14914645207033284) < 1e-15
# the slope of the sigmoid is s*(1 - s)
assert abs(slope - value * (1 - value)) < 1e-15
