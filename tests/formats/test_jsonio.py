"""JSON trees: exact round trips (numbers, sharing, depth), the schema's shape, and bad input."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import expressions

from symdiff import Num, ParseError, Sym, cos, diff, from_json, parse, sin, to_json
from symdiff.formats.jsonio import SCHEMA, parse_json


@settings(max_examples=150)
@given(expressions())
def test_round_trip_is_exact(expr) -> None:
    assert from_json(to_json(expr)) is expr
    assert from_json(to_json(expr, indent=2)) is expr


@settings(max_examples=40)
@given(expressions(max_leaves=8))
def test_round_trip_of_derivatives_with_shared_nodes(expr) -> None:
    shared = diff(expr * sin(expr), "x")  # sin(expr) and expr reappear inside the derivative
    assert from_json(to_json(shared)) is shared


def test_documented_shape() -> None:
    document = json.loads(to_json(parse("2*x*sin(y)")))
    assert document == {
        "op": "mul",
        "args": [
            {"op": "num", "value": 2},
            {"op": "sym", "name": "x"},
            {"op": "call", "name": "sin", "args": [{"op": "sym", "name": "y"}]},
        ],
    }


def test_shared_nodes_are_written_once_with_references() -> None:
    inner = sin(Sym("x") ** 2 + 1)
    expr = inner * cos(inner) + inner**3
    text = to_json(expr)
    assert text.count('"name": "sin"') == 1
    document = json.loads(text)
    ids = _collect(document, "id")
    refs = _collect(document, "ref")
    assert len(ids) == 1 and refs.count(ids[0]) == 2
    assert from_json(text) is expr


def _collect(document: object, key: str) -> list[int]:
    found, stack = [], [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if key in node:
                found.append(node[key])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


@pytest.mark.parametrize(
    "value",
    [0, -7, 2**53, 2**53 + 1, -(10**40), 3**400, Fraction(1, 3), Fraction(-22, 7),
     Fraction(1, 10**30), 0.1, -2.5, 1e-300, 5e-324, 1.7976931348623157e308, 1e22],
)  # fmt: skip
def test_exact_numbers(value) -> None:
    expr = Num(value) * Sym("x") + Num(value)
    back = from_json(to_json(expr))
    assert back is expr
    number = from_json(to_json(Num(value)))
    assert type(number.value) is type(Num(value).value) and number.value == Num(value).value


def test_ints_beyond_doubles_are_strings() -> None:
    assert json.loads(to_json(Num(2**53 + 1)))["value"] == str(2**53 + 1)
    assert json.loads(to_json(Num(2**53)))["value"] == 2**53
    assert json.loads(to_json(Num(Fraction(1, 3)))) == {
        "op": "num", "value": "1/3", "type": "rational",
    }  # fmt: skip
    assert json.loads(to_json(Num(0.1))) == {"op": "num", "value": "0.1", "type": "float"}


def test_deep_expressions_round_trip() -> None:
    expr = Sym("x")
    for _ in range(10_000):
        expr = sin(expr) + 1
    assert from_json(to_json(expr)) is expr


json_scalars = st.none() | st.booleans() | st.integers() | st.text()
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@settings(max_examples=100)
@given(json_values)
def test_iterative_reader_agrees_with_json_loads(value) -> None:
    for text in (json.dumps(value), json.dumps(value, indent=2)):
        assert parse_json(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"op": "mystery", "args": []}',
        '{"op": "num", "value": "1/x", "type": "rational"}',
        '{"op": "call", "name": "nosuch", "args": []}',
        '{"op": "add", "args": [{"ref": 4}]}',
        '{"op": "sym", "name": "not a name"}',
        '{"op": "pow", "args": [{"op": "sym", "name": "x"}]}',
        '{"op": "sym", "name": "x"} trailing',
        '{"op": "sym" "name": "x"}',
        "[1, 2",
        "42",
    ],
)
def test_bad_documents_raise_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        from_json(text)


def test_schema_names_every_op() -> None:
    node = SCHEMA["$defs"]["node"]["oneOf"][1]
    assert set(node["properties"]["op"]["enum"]) == {"num", "sym", "add", "mul", "pow", "call"}
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.validate(json.loads(to_json(diff(parse("sin(x)**2*exp(x/3)"), "x"))), SCHEMA)
