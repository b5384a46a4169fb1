"""Immutable, hash-consed expression nodes.

Every node is interned: building a structurally equal expression returns the *same* object, so
``==`` is identity (O(1), no recursion), memo tables are keyed by node, and every expression is
a DAG that shares its common subexpressions.

Six kinds form the closed structural core, each with ``.args`` (a tuple of child nodes):

    Num(value)   Sym(name)   Add(*terms)   Mul(*factors)   Pow(base, exp)   Call(name, *args)

Subtraction is ``Add`` with ``Mul(-1, ·)``; division is ``Pow(·, -1)``; ``sqrt(u)`` is
``u**(1/2)``; Euler's number is ``exp(1)``.  Canonical construction lives one module up
(``symdiff.core.constructors``); ``_raw`` constructors here assume canonical input.

What a node can *do* beyond its shape (``+``, ``str``, ``.diff``, pickling, ...) is written by
the modules that know how, and registered in ``symdiff.core.hooks`` when they are imported: the
node classes import nothing above themselves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, ClassVar, Self
from weakref import WeakValueDictionary

from symdiff.core import digests, numbers
from symdiff.core.errors import SymdiffError
from symdiff.core.hooks import HOOKS
from symdiff.core.numbers import Number

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Expr:
    """Base of all nodes: immutable, interned, with ``.args`` and a deterministic sort key."""

    __slots__ = ("__weakref__", "_key", "args")
    _table: ClassVar[WeakValueDictionary[tuple[Any, ...], Expr]] = WeakValueDictionary()
    RANK: ClassVar[int] = 0

    args: tuple[Expr, ...]
    _key: tuple[int, int]

    @classmethod
    def _intern(
        cls, key: tuple[Any, ...], args: tuple[Expr, ...], digest: int, **fields: Any
    ) -> Self:
        node = Expr._table.get(key)
        if node is None:
            node = object.__new__(cls)
            object.__setattr__(node, "args", args)
            object.__setattr__(node, "_key", (cls.RANK, digest))
            for name, value in fields.items():
                object.__setattr__(node, name, value)
            Expr._table[key] = node
        return node  # type: ignore[return-value]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("expressions are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("expressions are immutable")

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (HOOKS.from_rows, (HOOKS.to_rows(self),))

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        """A node of the same kind over new ``args``, re-canonicalised (``func(*args)``)."""
        raise NotImplementedError

    # --- operators: coerce only int, Fraction and float; strings never --------------------
    def __add__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.add(self, other)

    def __radd__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.add(other, self)

    def __sub__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.add(self, HOOKS.negate(other))

    def __rsub__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.add(other, HOOKS.negate(self))

    def __mul__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.mul(self, other)

    def __rmul__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.mul(other, self)

    def __truediv__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.divide(self, other)

    def __rtruediv__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.divide(other, self)

    def __pow__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.power(self, other)

    def __rpow__(self, other: object) -> Expr:
        other = HOOKS.coerce(other)
        return NotImplemented if other is None else HOOKS.power(other, self)

    def __neg__(self) -> Expr:
        return HOOKS.negate(self)

    def __pos__(self) -> Expr:
        return self

    def __abs__(self) -> Expr:
        return HOOKS.call("abs", self)

    # --- numeric conversions: for constants only (``float(sqrt(2))``, ``int(parse("7/2"))``) --
    def constant_value(self, wanted: str = "a number") -> Number:
        """The value of an expression without symbols: exact for numbers, else a float.

        Raises ``NotConstantError`` (a ``TypeError``) naming the symbols it depends on.
        """
        if isinstance(self, Num):
            return self.value
        free = HOOKS.free_symbols(self)
        if free:
            names = ", ".join(s.name for s in free)
            hint = " (functions of expressions: symdiff.math, not math)" * (wanted == "float")
            raise NotConstantError(
                f"cannot convert {_short(self)} to {wanted}: it depends on {names}; evaluate "
                f"it at a point instead (expr.evaluate({free[0].name}=...)){hint}"
            )
        return HOOKS.evaluate(self, {})

    def __float__(self) -> float:
        return float(self.constant_value("float"))

    def __complex__(self) -> complex:
        return complex(self.constant_value("complex"))

    def __int__(self) -> int:
        return int(self.constant_value("int"))  # truncates, as int(2.7) and int(Fraction)

    def __index__(self) -> int:
        """Lossless ``int`` for exact integer constants only (``range(n)``, indexing)."""
        value = self.value if isinstance(self, Num) else None
        if isinstance(value, int):
            return value
        raise NotConstantError(f"{_short(self)} is not an exact integer constant")

    def __trunc__(self) -> int:
        return math.trunc(self.constant_value("int"))

    def __floor__(self) -> int:
        return math.floor(self.constant_value("int"))

    def __ceil__(self) -> int:
        return math.ceil(self.constant_value("int"))

    def __round__(self, ndigits: int | None = None) -> Number:
        value = self.constant_value("a rounded number")
        if isinstance(value, float):
            return round(value) if ndigits is None else round(value, ndigits)
        exact = Fraction(value)
        return round(exact) if ndigits is None else numbers.normalize(round(exact, ndigits))

    def _no_order(self, other: object) -> bool:
        raise SymbolicComparisonError(
            f"cannot compare the symbolic expression {_short(self)} with {_short(other)}: "
            "the result depends on symbolic values (branch on numbers, not on expressions)"
        )

    __lt__ = __le__ = __gt__ = __ge__ = _no_order

    # --- conveniences registered by higher layers (see ``Hooks``) ---------------------------
    def __str__(self) -> str:
        return HOOKS.to_str(self)

    def __repr__(self) -> str:
        return HOOKS.to_repr(self)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {HOOKS.to_latex(self)}$"

    def diff(self, *variables: Any, **options: Any) -> Expr:
        """Derivative with respect to ``variables`` (see ``symdiff.diff`` for ``options``)."""
        return HOOKS.diff(self, *variables, **options)

    def evaluate(self, values: Mapping[str, float] | None = None, **kwargs: float) -> float:
        """Numeric value at a point (see ``symdiff.evaluate``)."""
        return HOOKS.evaluate(self, values, **kwargs)

    def subs(self, mapping: Mapping[Any, Any] | None = None, **kwargs: Any) -> Expr:
        """Substitute symbols (or any subexpressions) by expressions or numbers."""
        return HOOKS.substitute(self, {**(mapping or {}), **kwargs})

    @property
    def free_symbols(self) -> tuple[Sym, ...]:
        """The symbols this expression depends on, sorted by name."""
        return HOOKS.free_symbols(self)


class SymbolicComparisonError(SymdiffError, TypeError):
    """A comparison (``<``, ``>``…) was asked of a symbolic expression."""


class NotConstantError(SymbolicComparisonError):
    """A number (``float(e)``, ``int(e)``, ``math.sin(e)``) was asked of a symbolic expression."""


def _short(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Num(Expr):
    """An exact integer or rational, or a finite float."""

    __slots__ = ("value",)
    __match_args__ = ("value",)
    RANK = 0
    value: Number

    def __new__(cls, value: Number) -> Num:
        value = numbers.normalize(value)
        key = (Num, type(value), value)
        existing = Expr._table.get(key)  # skip the digest for numbers that already exist
        if existing is not None:
            return existing  # type: ignore[return-value]
        return cls._intern(key, (), digests.of_text(numbers.digest_text(value)), value=value)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return self


class Sym(Expr):
    """A named variable; names are identifiers (``x``, ``x_1``, ``theta_dot``)."""

    __slots__ = ("name",)
    __match_args__ = ("name",)
    RANK = 1
    name: str

    def __new__(cls, name: str) -> Sym:
        existing = Expr._table.get((Sym, name))
        if existing is not None:
            return existing  # type: ignore[return-value]
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"invalid symbol name {name!r}: use letters, digits and '_'")
        return cls._intern((Sym, name), (), digests.of_text(f"sym:{name}"), name=name)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return self


class _Collection(Expr):
    """An n-ary sum or product.  Its ``args`` may be *pending*: a node grown from a long sum or
    product (``s = s + t`` in a loop, see ``constructors._grow``) records only its parent, the
    new terms and its numeric term (constant or coefficient), and sorts its arguments the first
    time they are read (then never again: the value of ``args`` never changes), so that building
    an n-term sum term by term is O(n) in total instead of O(n**2).

    Sums and products are interned by their order-free digest (O(1) for a grown node); two
    different collections with equal digests are told apart by their arguments (``_lookup``).
    """

    __slots__ = ("_constant", "_count", "_parent", "_terms")
    TAG: ClassVar[int] = 0
    IDENTITY: ClassVar[int] = 0  # the numeric term that is left out: 0 for sums, 1 for products

    _constant: Number  # the numeric argument's value, or IDENTITY
    _count: int  # len(args), known before they are
    _parent: _Collection | None
    _terms: tuple[Expr, ...]

    def __getattr__(self, name: str) -> Any:
        if name == "args":  # only pending nodes lack the slot
            return _materialize(self)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def _raw(cls, args: tuple[Expr, ...], digest: int | None = None) -> Self:
        digest = digests.of_sum(cls.TAG, args) if digest is None else digest
        first = args[0]
        constant = first.value if isinstance(first, Num) else cls.IDENTITY
        return cls._lookup(digest, len(args), constant, args, None, ())

    @classmethod
    def _pending(
        cls, digest: int, count: int, constant: Number, parent: _Collection, terms: tuple[Expr, ...]
    ) -> Self:
        """The collection ``parent`` grown by ``terms``, with numeric argument ``constant``."""
        return cls._lookup(digest, count, constant, None, parent, terms)

    @classmethod
    def _lookup(
        cls,
        digest: int,
        count: int,
        constant: Number,
        args: tuple[Expr, ...] | None,
        parent: _Collection | None,
        terms: tuple[Expr, ...],
    ) -> Self:
        table = Expr._table
        key: tuple[Any, ...] = (cls, digest)
        found = table.get(key)
        if found is not None and _same(found, count, constant, args, parent, terms):  # type: ignore[arg-type]
            return found  # type: ignore[return-value]
        if found is not None or key in _COLLIDED:  # a true 64-bit collision: key by arguments
            _COLLIDED.add(key)
            if args is None:
                args = _pending_args(parent, terms, constant)  # type: ignore[arg-type]
            key = (cls, digest, *args)
            found = table.get(key)
            if found is not None:
                return found  # type: ignore[return-value]
        node = object.__new__(cls)
        if args is not None:
            object.__setattr__(node, "args", args)
        object.__setattr__(node, "_key", (cls.RANK, digest))
        object.__setattr__(node, "_count", count)
        object.__setattr__(node, "_constant", constant)
        object.__setattr__(node, "_parent", parent)
        object.__setattr__(node, "_terms", terms)
        table[key] = node
        return node


#: Digests shared by two different live collections; their nodes are keyed by their arguments.
_COLLIDED: set[tuple[Any, ...]] = set()


def _same(
    node: _Collection,
    count: int,
    constant: Number,
    args: tuple[Expr, ...] | None,
    parent: _Collection | None,
    terms: tuple[Expr, ...],
) -> bool:
    if node._count != count:
        return False
    if (
        args is None
        and node._parent is parent
        and node._terms == terms
        and type(node._constant) is type(constant)
        and node._constant == constant
    ):
        return True
    if args is None:
        args = _pending_args(parent, terms, constant)  # type: ignore[arg-type]
    return node.args == args


def _pending_args(
    parent: _Collection, terms: tuple[Expr, ...], constant: Number
) -> tuple[Expr, ...]:
    """The sorted arguments of ``parent`` grown by ``terms`` (and by the ``terms`` of the
    pending nodes it was grown from), with the numeric argument ``constant``."""
    new = list(terms)
    while parent._parent is not None:  # pending itself
        new.extend(parent._terms)
        parent = parent._parent
    new.sort(key=_sort_key)
    old = [a for a in parent.args if not isinstance(a, Num)]  # sorted already
    number = () if constant == type(parent).IDENTITY else (Num(constant),)
    return ordered((*number, *old, *new))  # sorted runs: one linear merge


def _sort_key(node: Expr) -> tuple[int, int]:
    return node._key


def _materialize(node: _Collection) -> tuple[Expr, ...]:
    args = _pending_args(node._parent, node._terms, node._constant)  # type: ignore[arg-type]
    object.__setattr__(node, "args", args)
    object.__setattr__(node, "_parent", None)  # let the chain of smaller sums go
    object.__setattr__(node, "_terms", ())
    return args


def ordered(nodes: Iterable[Expr]) -> tuple[Expr, ...]:
    """Sort nodes into the canonical, process-independent order."""
    result = sorted(nodes, key=_sort_key)
    for i in range(len(result) - 1):
        if result[i]._key == result[i + 1]._key:  # digest collision: fall back to text
            return tuple(sorted(result, key=lambda node: (node._key, repr(node))))
    return tuple(result)


class Add(_Collection):
    """An n-ary sum in canonical form (build with ``add`` or ``+``)."""

    __slots__ = ()
    __match_args__ = ("args",)
    RANK = 4
    TAG = 4

    def __new__(cls, *terms: Expr) -> Expr:  # type: ignore[misc]
        return HOOKS.add(*terms)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return HOOKS.add(*args)


class Mul(_Collection):
    """An n-ary product in canonical form; a numeric coefficient, if any, comes first."""

    __slots__ = ()
    __match_args__ = ("args",)
    RANK = 3
    TAG = 3
    IDENTITY = 1

    def __new__(cls, *factors: Expr) -> Expr:  # type: ignore[misc]
        return HOOKS.mul(*factors)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return HOOKS.mul(*args)


class Pow(Expr):
    """``base ** exp``."""

    __slots__ = ()
    __match_args__ = ("base", "exp")
    RANK = 2

    def __new__(cls, base: Expr, exp: Expr) -> Expr:  # type: ignore[misc]
        return HOOKS.power(base, exp)

    @classmethod
    def _raw(cls, base: Expr, exp: Expr) -> Pow:
        args = (base, exp)
        return cls._intern((Pow, base, exp), args, digests.composite(2, args))

    @property
    def base(self) -> Expr:
        return self.args[0]

    @property
    def exp(self) -> Expr:
        return self.args[1]

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return HOOKS.power(*args)


class Call(Expr):
    """Application of a named function from ``symdiff.core.vocabulary.FUNCTIONS``."""

    __slots__ = ("name",)
    __match_args__ = ("name", "args")
    RANK = 5
    name: str

    def __new__(cls, name: str, *args: Expr) -> Expr:  # type: ignore[misc]
        return HOOKS.call(name, *args)

    @classmethod
    def _raw(cls, name: str, args: tuple[Expr, ...]) -> Call:
        digest = digests.composite(5, (Sym(name), *args)) if _NAME.match(name) else 0
        return cls._intern((Call, name, *args), args, digest, name=name)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return HOOKS.call(self.name, *args)


ZERO = Num(0)
ONE = Num(1)
MINUS_ONE = Num(-1)
HALF = Num(Fraction(1, 2))
