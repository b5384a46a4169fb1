"""The shopping example: price*count*tax at (100, 2, 1.1) is 220, partials (2.2, 110, 200).

Reverse mode gives every partial in one backward sweep; the trace shows the adjoints.
Run: python examples/shopping.py
"""

import symdiff

f = symdiff.parse("price*count*tax")
point = {"price": 100, "count": 2, "tax": 1.1}
sweep = symdiff.reverse_sweep(f, point)
print(f"total = {sweep.value:.10g}")
for name, partial in sweep.gradient.items():
    print(f"d total / d {name} = {partial:.10g}")
print()
print(symdiff.evaluation_trace(f, point, "price"))

assert abs(sweep.value - 220) < 1e-12
expected = {"price": 2.2, "count": 110, "tax": 200}
assert all(abs(sweep.gradient[n] - expected[n]) < 1e-12 for n in expected)
