"""The classic argument against symbolic differentiation, answered: a loop of 1,000 steps.

Printed as a tree, z after 1,000 steps would have about 2**1000 nodes.  Traced into a shared
DAG it has about 6,000, and one reverse sweep gives both partial derivatives in a DAG about
twice that size, whose values match central differences of the plain Python function.
Run: python examples/loop_gradient.py (the tests import ``my_func`` from here)
"""

import symdiff
from symdiff.math import cos


def my_func(a, b):
    z = 0
    for i in range(1000):
        z = a * cos(z + i) + z * b
    return z


def main() -> None:
    f = symdiff.trace(my_func, "a b")
    gradient = symdiff.gradient(f, "a b")
    print(f"DAG of f: {symdiff.dag_size(f)} nodes; f and its gradient: "
          f"{symdiff.dag_size(f, *gradient)} nodes")  # fmt: skip
    print(f"operations: f {symdiff.count_operations(f)}, "
          f"f and gradient {symdiff.count_operations(f, *gradient)}")  # fmt: skip

    a, b, h = 0.3, 0.5, 1e-6
    by_a = (my_func(a + h, b) - my_func(a - h, b)) / (2 * h)  # the plain function, on floats
    by_b = (my_func(a, b + h) - my_func(a, b - h)) / (2 * h)
    ours = [symdiff.evaluate(g, a=a, b=b) for g in gradient]
    print(f"d/da = {ours[0]:.10f} (central difference {by_a:.10f})")
    print(f"d/db = {ours[1]:.10f} (central difference {by_b:.10f})")

    bindings, _ = symdiff.cse([f, *gradient])
    print(f"CSE form: {len(bindings)} bindings t0 ... t{len(bindings) - 1}")

    assert symdiff.dag_size(f) < 10_000
    assert symdiff.count_operations(f, *gradient) <= 4 * symdiff.count_operations(f)
    assert abs(ours[0] - by_a) < 1e-6 and abs(ours[1] - by_b) < 1e-6


if __name__ == "__main__":  # tests import my_func: the loop is written here only
    main()
