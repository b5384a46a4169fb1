"""Quick start: parse, differentiate, evaluate, and build expressions with operators."""

import symdiff

f = symdiff.parse("log(x) + x*y - sin(y)")
dfdx = symdiff.diff(f, "x")
dfdy = f.diff("y")
print("f       =", f)
print("df/dx   =", dfdx)
print("df/dy   =", dfdy)
print("at (2, 5):", dfdx.evaluate(x=2, y=5), dfdy.evaluate(x=2, y=5))
assert dfdx.evaluate(x=2, y=5) == 5.5

x, y = symdiff.symbols("x y")
g = x**2 * y + y + 2
print("g       =", g)
print("dg/dx   =", g.diff(x))
print("d2g/dxdy=", symdiff.diff(g, x, y))
print("d3/dx3 x**4 =", symdiff.diff(x**4, (x, 3)))
assert str(g.diff(x)) == "2*x*y"
assert symdiff.diff(g, "x", "y") is 2 * x
