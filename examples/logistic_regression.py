"""A logistic-regression neuron 1/(1+exp(-(w0+w1*x1+w2*x2))): forward and reverse mode agree.

Forward mode gives one partial per sweep (here d/dx1); reverse mode gives all five in one
backward sweep.  Run: python examples/logistic_regression.py
"""

import math

import symdiff

f = symdiff.parse("1/(1+exp(-(w0+w1*x1+w2*x2)))")
point = {"w0": -0.5, "w1": 1.5, "w2": -2.0, "x1": 0.8, "x2": 0.3}

value, by_x1 = symdiff.jvp(f, point, {"x1": 1})
reverse = symdiff.grad_at(f, point)
print(f"output = {value!r}")
print(f"forward mode, d/dx1 = {by_x1!r}")
for name, partial in reverse.items():
    print(f"reverse mode, d/d{name} = {partial!r}")

assert math.isclose(by_x1, reverse["x1"], rel_tol=1e-14)
symbolic = symdiff.compare_methods(f, point)[0].gradient
assert all(math.isclose(reverse[n], symbolic[n], rel_tol=1e-12) for n in point)
s = value  # by hand: every partial is s*(1 - s) times the partial of the linear part
linear = {"w0": 1, "w1": 0.8, "w2": 0.3, "x1": 1.5, "x2": -2.0}
assert all(math.isclose(reverse[n], s * (1 - s) * linear[n], rel_tol=1e-12) for n in point)
