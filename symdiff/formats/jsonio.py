"""Expressions as JSON trees, read back exactly: ``from_json(to_json(e)) is e``.

Schema (version 1); a document is one node object:

    {"op": "num", "value": 3}                       an int (a decimal string beyond 2**53)
    {"op": "num", "value": "-1/3", "type": "rational"}
    {"op": "num", "value": "0.1", "type": "float"}   repr(), so every float comes back exactly
    {"op": "sym", "name": "x"}
    {"op": "add" | "mul", "args": [node, node, ...]}
    {"op": "pow", "args": [base, exponent]}
    {"op": "call", "name": "sin", "args": [node, ...]}   a function of symdiff.FUNCTIONS
    {"ref": 1}                                      the node written earlier with "id": 1

A node used more than once in the expression DAG carries ``"id": k`` where it is first written
(depth first, arguments left to right), and every later use is ``{"ref": k}``, so a DAG with
heavy sharing stays as small as the DAG.  ``SCHEMA`` is the same, as a JSON Schema.  Writing and
reading are iterative (10,000-deep expressions work; the stdlib ``json`` parser would recurse).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from symdiff.core.constructors import add, mul, power
from symdiff.core.errors import ParseError
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.numbers import int_text
from symdiff.core.traverse import postorder
from symdiff.core.vocabulary import call

#: Integers up to this size are JSON numbers; larger ones are strings (other readers use doubles).
SAFE_INT = 2**53

_NODE_REF = {"$ref": "#/$defs/node"}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "symdiff expression, version 1",
    "$ref": "#/$defs/node",
    "$defs": {
        "node": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["ref"],
                    "properties": {"ref": {"type": "integer"}},
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "required": ["op"],
                    "properties": {
                        "op": {"enum": ["num", "sym", "add", "mul", "pow", "call"]},
                        "id": {"type": "integer"},
                        "value": {"type": ["integer", "string"]},
                        "type": {"enum": ["int", "rational", "float"]},
                        "name": {"type": "string"},
                        "args": {"type": "array", "items": _NODE_REF},
                    },
                    "additionalProperties": False,
                },
            ]
        }
    },
}


def _number_fields(value: int | Fraction | float) -> dict[str, Any]:
    if isinstance(value, float):
        return {"value": repr(value), "type": "float"}
    if isinstance(value, Fraction):
        text = f"{int_text(value.numerator)}/{value.denominator}"
        return {"value": text, "type": "rational"}
    return {"value": value if abs(value) <= SAFE_INT else int_text(value)}


def _head(node: Expr) -> dict[str, Any]:
    """The node's own fields, without ``args``."""
    match node:
        case Num(value):
            return {"op": "num", **_number_fields(value)}
        case Sym(name):
            return {"op": "sym", "name": name}
        case Call(name):
            return {"op": "call", "name": name}
        case Add():
            return {"op": "add"}
        case Mul():
            return {"op": "mul"}
        case Pow():
            return {"op": "pow"}
    raise TypeError(f"cannot write {type(node).__name__} as JSON")


def _use_counts(root: Expr) -> dict[Expr, int]:
    counts: dict[Expr, int] = {}
    for node in postorder(root):
        for child in node.args:
            counts[child] = counts.get(child, 0) + 1
    return counts


def to_json(expr: Expr, indent: int | None = None) -> str:
    """The JSON tree of ``expr`` (schema in the module docstring); shared nodes written once."""
    counts = _use_counts(expr)
    ids: dict[Expr, int] = {}
    out: list[str] = []
    newline = "" if indent is None else "\n"
    comma, colon = ", ", ": "
    between = ", " if indent is None else ",\n"
    # stack items: a node to write at a depth, or a literal string to emit
    stack: list[tuple[Expr, int] | str] = [(expr, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, depth = item
        pad = "" if indent is None else " " * (indent * depth)
        if node in ids:
            out.append(f"{pad}{{{json.dumps('ref')}{colon}{ids[node]}}}")
            continue
        fields = _head(node)
        if counts.get(node, 0) > 1 and node.args:
            ids[node] = len(ids) + 1
            fields = {"id": ids[node], **fields}
        body = comma.join(f"{json.dumps(k)}{colon}{json.dumps(v)}" for k, v in fields.items())
        if not node.args and not isinstance(node, Call):
            out.append(f"{pad}{{{body}}}")
            continue
        if not node.args:
            out.append(f'{pad}{{{body}{comma}"args"{colon}[]}}')
            continue
        out.append(f'{pad}{{{body}{comma}"args"{colon}[{newline}')
        stack.append(f"{newline}{pad}]}}")
        for i in range(len(node.args) - 1, -1, -1):
            stack.append((node.args[i], depth + 1))
            if i:
                stack.append(between)
    return "".join(out)


# --- reading: a small iterative JSON parser (json.loads recurses on deep documents) ---------
_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


def _fail(text: str, position: int, message: str) -> ParseError:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return ParseError(f"invalid symdiff JSON: {message}", text, line, column)


def parse_json(text: str) -> Any:
    """``json.loads`` without recursion (objects, arrays, strings, numbers, literals)."""
    stack: list[tuple[list | dict, str | None]] = []  # container, pending key of an object
    position = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    result: Any = None
    done = False
    while not done:
        char = text[position : position + 1]
        value: Any
        if char == "{" or char == "[":
            container: list | dict = {} if char == "{" else []
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
            closing = "}" if char == "{" else "]"
            if text[position : position + 1] == closing:
                value, position = container, position + 1
            else:
                stack.append((container, None))
                if char == "{":
                    position = _read_key(text, position, stack)
                continue
        elif char == '"':
            value, position = scanstring(text, position + 1)
        elif match := _NUMBER.match(text, position):
            literal = match.group()
            value = float(literal) if match.group(1) or match.group(2) else int(literal)
            position = match.end()
        else:
            word = next((w for w in _LITERALS if text.startswith(w, position)), None)
            if word is None:
                raise _fail(text, position, "expected a value")
            value, position = _LITERALS[word], position + len(word)
        # attach the value, then close as many containers as the text closes
        while True:
            position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            if not stack:
                result, done = value, True
                break
            container, key = stack[-1]
            if isinstance(container, dict):
                container[key] = value
            else:
                container.append(value)
            closing = "}" if isinstance(container, dict) else "]"
            char = text[position : position + 1]
            if char == ",":
                position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
                if isinstance(container, dict):
                    position = _read_key(text, position, stack)
                break
            if char != closing:
                raise _fail(text, position, f"expected ',' or {closing!r}")
            stack.pop()
            value, position = container, position + 1
    if position != len(text):
        raise _fail(text, position, "extra data after the document")
    return result


def _read_key(text: str, position: int, stack: list) -> int:
    """Read ``"key":`` of an object entry and remember it as the pending key."""
    if text[position : position + 1] != '"':
        raise _fail(text, position, "expected a key in double quotes")
    key, position = scanstring(text, position + 1)
    position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
    if text[position : position + 1] != ":":
        raise _fail(text, position, "expected ':'")
    stack[-1] = (stack[-1][0], key)
    return _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]


def _number(fields: dict[str, Any]) -> Num:
    value, kind = fields.get("value"), fields.get("type", "int")
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return Num(value)
    if kind == "int" and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return Num(int(value))
    if kind == "rational" and isinstance(value, str) and re.fullmatch(r"-?\d+/\d+", value):
        return Num(Fraction(value))
    if kind == "float" and isinstance(value, str | int | float):
        return Num(float(value))
    raise ParseError(f"invalid symdiff JSON: bad number {fields!r}")


def _build(fields: dict[str, Any], args: list[Expr]) -> Expr:
    op = fields.get("op")
    try:
        match op:
            case "num":
                return _number(fields)
            case "sym":
                return Sym(fields.get("name"))  # type: ignore[arg-type]
            case "add":
                return add(*args)
            case "mul":
                return mul(*args)
            case "pow" if len(args) == 2:
                return power(*args)
            case "call":
                return call(fields.get("name"), *args)  # type: ignore[arg-type]
    except (ValueError, TypeError) as error:
        raise ParseError(f"invalid symdiff JSON: {error}") from None
    raise ParseError(f"invalid symdiff JSON: bad node {_brief(fields)}")


def _brief(fields: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in fields.items() if k != "args"})


def from_json(text: str) -> Expr:
    """Read an expression written by ``to_json`` (or any document following its schema)."""
    document = parse_json(text)
    ids: dict[int, Expr] = {}
    results: list[Expr] = []
    # post-order over the document tree with an explicit stack; children precede parents
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, expanded = stack.pop()
        if not isinstance(node, dict):
            raise ParseError(f"invalid symdiff JSON: expected a node object, got {node!r}")
        if "ref" in node:
            if node["ref"] not in ids:
                raise ParseError(f"invalid symdiff JSON: reference {node['ref']!r} to no node")
            results.append(ids[node["ref"]])
            continue
        args = node.get("args", [])
        if not isinstance(args, list):
            raise ParseError(f"invalid symdiff JSON: args must be a list in {_brief(node)}")
        if not expanded:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(args))
            continue
        built_args = results[len(results) - len(args) :] if args else []
        del results[len(results) - len(args) :]
        built = _build(node, built_args)
        if "id" in node:
            ids[node["id"]] = built
        results.append(built)
    return results[0]
