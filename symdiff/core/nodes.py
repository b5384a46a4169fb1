"""Immutable, hash-consed expression nodes.

Every node is interned: building a structurally equal expression returns the *same* object, so
``==`` is identity (O(1), no recursion), memo tables are keyed by node, and every expression is
a DAG that shares its common subexpressions.

Six kinds form the closed structural core, each with ``.args`` (a tuple of child nodes); the
n-ary two, ``Add`` and ``Mul``, live in ``symdiff.core.nary``:

    Num(value)   Sym(name)   Add(*terms)   Mul(*factors)   Pow(base, exp)   Call(name, *args)

Subtraction is ``Add`` with ``Mul(-1, ·)``; division is ``Pow(·, -1)``; ``sqrt(u)`` is
``u**(1/2)``; Euler's number is ``exp(1)``.  Canonical construction lives one module up
(``symdiff.core.constructors``); ``_raw`` constructors here assume canonical input.

What a node can *do* beyond its shape (``+``, ``str``, ``.diff``, pickling, ...) is written by
the modules that know how, and registered in ``symdiff.core.hooks`` when they are imported: the
node classes import nothing above themselves.
"""

from __future__ import annotations

from _weakref import _remove_dead_weakref, ref  # type: ignore[attr-defined]
from collections.abc import Iterable, Mapping
from fractions import Fraction

from symdiff.core import digests, numbers
from symdiff.core.conversions import Conversions
from symdiff.core.hooks import HOOKS
from symdiff.core.numbers import Number
from symdiff.core.typing_lite import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, ClassVar, Self, TypeVar
    from weakref import ref as _WeakRef

    _NodeRef = _WeakRef["Expr"]
    _E = TypeVar("_E", bound="Expr")
else:
    _NodeRef = ref  # the C type, without importing ``weakref`` (start-up)


def is_name(text: str) -> bool:
    """True for ``[A-Za-z_][A-Za-z0-9_]*``: an ASCII identifier (string methods rather than a
    regular expression, whose compiling would cost start-up)."""
    return text.isascii() and text.isidentifier()


class KeyedRef(_NodeRef):
    """A weak reference that knows its table key (``weakref.KeyedRef`` without its Python-level
    ``__new__`` and ``__init__``: made once per new node, so twice as fast to make)."""

    __slots__ = ("key",)
    key: tuple[Any, ...]


def keyed(node: Expr, key: tuple[Any, ...]) -> KeyedRef:
    """The table's weak reference to ``node``, which removes its entry when ``node`` dies."""
    reference = KeyedRef(node, forget)
    reference.key = key
    return reference


#: Every live node by its structural key, held weakly (a node that nothing else holds is freed
#: and its entry removed).  What ``WeakValueDictionary`` does, with the lookup left to the
#: dict and the weak reference (both C), not to Python methods: interning is the inner loop of
#: parsing and of building derivatives.  Look up with ``lookup``; enter with ``enter``.
TABLE: dict[tuple[Any, ...], KeyedRef] = {}


def forget(
    reference: KeyedRef,
    table: dict[tuple[Any, ...], KeyedRef] = TABLE,
    remove: Any = _remove_dead_weakref,  # bound now: module globals are gone at exit
) -> None:
    """Remove a dead node's entry (the callback of its ``KeyedRef``)."""
    remove(table, reference.key)  # only if the entry is still this dead reference


def lookup(key: tuple[Any, ...]) -> Expr | None:
    """The live node interned under ``key``, or None."""
    ref = TABLE.get(key)
    return None if ref is None else ref()


def enter(key: tuple[Any, ...], node: Expr) -> None:
    """Intern ``node`` under ``key``."""
    TABLE[key] = keyed(node, key)


class Expr(Conversions):
    """Base of all nodes: immutable, interned, with ``.args`` and a deterministic sort key."""

    __slots__ = ("__weakref__", "_key", "args")
    RANK: ClassVar[int] = 0

    args: tuple[Expr, ...]
    _key: tuple[int, int]

    @classmethod
    def _intern(
        cls, key: tuple[Any, ...], args: tuple[Expr, ...], digest: int, **fields: Any
    ) -> Self:
        ref = TABLE.get(key)
        node = None if ref is None else ref()
        if node is None:
            node = _made(cls, key, args, digest)
            for name, value in fields.items():
                object.__setattr__(node, name, value)
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

    # --- conveniences registered by higher layers (see ``Hooks``) ---------------------------
    def __str__(self) -> str:
        return HOOKS.to_str(self)

    def __repr__(self) -> str:
        return HOOKS.formula_repr(self)

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


class Num(Expr):
    """An exact integer or rational, or a finite float."""

    __slots__ = ("value",)
    __match_args__ = ("value",)
    RANK = 0
    value: Number

    def __new__(cls, value: Number) -> Num:
        kind = type(value)
        if kind is not int:  # ints are canonical already (the common case)
            value = numbers.normalize(value)
            kind = type(value)
        key = (Num, kind, value)
        ref = TABLE.get(key)  # skip the digest for numbers that already exist
        existing = None if ref is None else ref()
        if existing is not None:
            return existing  # type: ignore[return-value]
        digest = digests.REMEMBERED.get(key)
        if digest is None:
            digest = digests.of_text(numbers.digest_text(value))
            if kind is float or (kind is int and -_SMALL < value < _SMALL):
                digests.remember(key, digest)
        node = _made(cls, key, (), digest)
        _SET_VALUE(node, value)
        return node

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return self


class Sym(Expr):
    """A named variable; names are identifiers (``x``, ``x_1``, ``theta_dot``)."""

    __slots__ = ("name",)
    __match_args__ = ("name",)
    RANK = 1
    name: str

    def __new__(cls, name: str) -> Sym:
        ref = TABLE.get((Sym, name))
        existing = None if ref is None else ref()
        if existing is not None:
            return existing  # type: ignore[return-value]
        if not isinstance(name, str) or not is_name(name):
            raise ValueError(f"invalid symbol name {name!r}: use letters, digits and '_'")
        node = _made(cls, (Sym, name), (), digests.of_name(name))
        _SET_NAME(node, name)
        return node

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return self


class Pow(Expr):
    """``base ** exp``."""

    __slots__ = ()
    __match_args__ = ("base", "exp")
    RANK = 2

    def __new__(cls, base: Expr, exp: Expr) -> Expr:  # type: ignore[misc]
        return HOOKS.power(base, exp)

    @classmethod
    def _raw(cls, base: Expr, exp: Expr) -> Pow:
        key = (Pow, base, exp)
        ref = TABLE.get(key)  # an existing power needs no digest
        existing = None if ref is None else ref()
        if existing is not None:
            return existing  # type: ignore[return-value]
        args = (base, exp)
        return _made(cls, key, args, hash((2, base._key[1], exp._key[1])) & digests.MASK)

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
        key = (Call, name, *args)
        ref = TABLE.get(key)  # an existing call needs no digest
        existing = None if ref is None else ref()
        if existing is not None:
            return existing  # type: ignore[return-value]
        if is_name(name):  # (the digest of Sym(name), without making the symbol)
            if len(args) == 1:
                digest = hash((5, digests.of_name(name), args[0]._key[1])) & digests.MASK
            else:
                digest = hash((5, digests.of_name(name), *[a._key[1] for a in args])) & digests.MASK
        else:  # a derivative head, D[0](f)
            digest = hash((5, digests.of_text(name), *(a._key[1] for a in args))) & digests.MASK
        node = _made(cls, key, args, digest)
        _SET_CALL_NAME(node, name)
        return node

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return HOOKS.call(self.name, *args)


def _made(cls: type[_E], key: tuple[Any, ...], args: tuple[Expr, ...], digest: int) -> _E:
    """A new node of kind ``cls``, interned under ``key`` (its own fields are set after)."""
    node = _NEW(cls)
    _SET_ARGS(node, args)
    _SET_KEY(node, (cls.RANK, digest))
    reference = KeyedRef(node, forget)  # keyed, written out
    reference.key = key
    TABLE[key] = reference
    return node


# The slots' own setters (``Expr.__setattr__`` forbids plain assignment), looked up once.
_NEW = object.__new__
_SET_ARGS = Expr.__dict__["args"].__set__
_SET_KEY = Expr.__dict__["_key"].__set__
_SET_VALUE = Num.__dict__["value"].__set__
_SET_NAME = Sym.__dict__["name"].__set__
_SET_CALL_NAME = Call.__dict__["name"].__set__
_SMALL = 1 << 64  # (numbers whose digests are remembered: not the huge ones)

ZERO = Num(0)
ONE = Num(1)
MINUS_ONE = Num(-1)
HALF = Num(Fraction(1, 2))
