"""Shapes: structure with symbols as slots, and the renaming that instantiates a template."""

from __future__ import annotations

from symdiff import Sym, parse
from symdiff.core.constructors import add
from symdiff.core.shapes import Shapes, Template, rename, slots


def test_renamed_formulas_share_a_shape() -> None:
    shapes = Shapes()
    a = shapes.of(parse("100*(x1 - x0**2)**2 + (1 - x0)**2"))
    b = shapes.of(parse("100*(b7 - a3**2)**2 + (1 - a3)**2"))
    assert a is not None and b is not None and a.key == b.key
    assert [s.name for s in a.symbols] == ["x0", "x1"] or len(a.symbols) == 2
    assert dict(zip(a.symbols, b.symbols, strict=True)) == {Sym("x0"): Sym("a3"),
                                                           Sym("x1"): Sym("b7")}  # fmt: skip


def test_numbers_functions_and_repeats_tell_shapes_apart() -> None:
    shapes = Shapes()
    keys = {
        shapes.of(parse(text)).key  # type: ignore[union-attr]
        for text in ("x*y", "x*x", "2*x*y", "3*x*y", "sin(x)*y", "cos(x)*y", "x**y", "y**x*x")
    }
    assert len(keys) == 8


def test_order_of_sums_does_not_depend_on_names() -> None:
    """A stencil row has one shape wherever it sits: its terms' canonical order (by digest,
    from names) differs from row to row."""
    shapes = Shapes()
    found = set()
    for i in range(40):
        u = [Sym(f"u{(i + d) % 40}") for d in (-1, 0, 1)]
        shape = shapes.of(add(u[0], -2 * u[1], u[2], u[1] ** 2))
        assert shape is not None
        found.add(shape.key)
    assert len(found) == 1


def test_equal_keys_mean_renamed_nodes() -> None:
    shapes = Shapes()
    rows = [
        parse(f"0.18*u{i} + 0.18*u{i + 3} - u{i + 1}**2*v{i} + exp(v{i + 2})") for i in range(30)
    ]
    first = shapes.of(rows[0])
    assert first is not None
    holes = slots(len(first.symbols))
    template = rename([rows[0]], dict(zip(first.symbols, holes, strict=True)))
    compiled = Template(template, holes)
    for row in rows:
        shape = shapes.of(row)
        assert shape is not None and shape.key == first.key
        assert compiled.instance(shape.symbols)[0] is row


def test_too_many_symbols_have_no_shape() -> None:
    big = add(*(Sym(f"x{i}") ** 2 for i in range(100)))
    assert Shapes(cap=48).of(big) is None
    assert Shapes(cap=200).of(big) is not None


def test_deep_expressions_walk_without_recursion() -> None:
    e = Sym("x")
    for _ in range(20_000):
        e = e * Sym("y") + 1
    assert Shapes().of(e) is not None


def test_shapes_of_all_roots_at_once_group_as_one_by_one() -> None:
    from symdiff.core.traverse import postorder

    terms = [parse(f"(a{i % 3} - x{i})**2*exp(x{i + 1}) + sin(x{i})*y") for i in range(12)]
    terms += [parse("x0*x1"), parse("log(1 + x5**2)"), Sym("z"), parse("x3*x4")]
    f = add(*terms)

    def partition(shapes: list) -> set[frozenset[int]]:
        groups: dict = {}
        for k, shape in enumerate(shapes):
            groups.setdefault(None if shape is None else shape.key, set()).add(k)
        return {frozenset(g) for g in groups.values()}

    args = list(f.args)
    one_by_one = [Shapes().of(t) for t in args]  # fresh each: ids are per Shapes
    together = Shapes().of_all(args, postorder(f))
    assert partition(Shapes().of_all(args)) == partition(together)
    assert len(partition(together)) < len(args)  # repeats share a shape
    for members in partition(together):
        first, *others = sorted(members)
        holes = slots(len(together[first].symbols))
        template = rename([args[first]], dict(zip(together[first].symbols, holes, strict=True)))[0]
        for k in others:
            mapping = dict(zip(holes, together[k].symbols, strict=True))
            assert rename([template], mapping)[0] is args[k]
            assert one_by_one[k].key == one_by_one[first].key  # fresh instances agree on keys
