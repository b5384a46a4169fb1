"""Four ways to the gradient of x**2*y + y + 2 at (3, 4): value 42, gradient (24, 10).

Run: python examples/four_ways_polynomial.py
"""

import symdiff

f = symdiff.parse("x**2*y + y + 2")
point = {"x": 3, "y": 4}

print(f"f = {f}")
print("df/dx =", symdiff.diff(f, "x"), "  df/dy =", symdiff.diff(f, "y"))
results = symdiff.compare_methods(f, point)
print(symdiff.methods_table(results))

assert symdiff.evaluate(f, point) == 42
for result in results:
    assert abs(result.gradient["x"] - 24) < 1e-8 and abs(result.gradient["y"] - 10) < 1e-8
    assert result.value == 42

central = symdiff.numeric_gradient(f, point)
print(f"central differences: {central['x']:.5f} {central['y']:.5f}")
assert (f"{central['x']:.5f}", f"{central['y']:.5f}") == ("24.00000", "10.00000")
forward_difference = symdiff.numeric_gradient(f, point, method="forward")
print(f"forward differences: {forward_difference['x']:.9f} {forward_difference['y']:.9f}")
assert abs(forward_difference["x"] - 24) < 1e-6
