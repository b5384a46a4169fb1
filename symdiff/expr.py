"""Immutable, hash-consed expression nodes and their canonicalising constructors.

Every node is interned: building a structurally equal expression returns the *same* object, so
``==`` is identity (O(1), no recursion), memo tables are keyed by node, and every expression is
a DAG that shares its common subexpressions.

Six kinds form the closed structural core, each with ``.args`` (a tuple of child nodes):

    Num(value)   Sym(name)   Add(*terms)   Mul(*factors)   Pow(base, exp)   Call(name, *args)

Subtraction is ``Add`` with ``Mul(-1, ·)``; division is ``Pow(·, -1)``; ``sqrt(u)`` is
``u**(1/2)``; Euler's number is ``exp(1)``.  The smart constructors ``add``, ``mul``, ``power``
canonicalise cheaply and locally (flatten, fold bounded exact constants, drop ``0``/``1``, collect
like terms and factors, sort deterministically); ``_raw`` constructors assume canonical input.
Anything costlier (expanding, factoring, identities) belongs to ``simplify``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Self
from weakref import WeakValueDictionary

from . import numbers
from .errors import SymdiffError
from .numbers import Number

if TYPE_CHECKING:
    from collections.abc import Mapping

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _digest(text: str) -> int:
    """A 64-bit digest of ``text`` that is the same in every process (unlike ``hash(str)``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


class Expr:
    """Base of all nodes: immutable, interned, with ``.args`` and a deterministic sort key."""

    __slots__ = ("__weakref__", "_key", "args")
    _table: ClassVar[WeakValueDictionary[tuple, Expr]] = WeakValueDictionary()
    RANK: ClassVar[int] = 0

    args: tuple[Expr, ...]
    _key: tuple[int, int]

    @classmethod
    def _intern(cls, key: tuple, args: tuple[Expr, ...], digest: int, **fields: Any) -> Self:
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

    def __deepcopy__(self, memo: dict) -> Self:
        return self

    def __reduce__(self) -> tuple:
        return (_from_postorder, (_to_postorder(self),))

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        """A node of the same kind over new ``args``, re-canonicalised (``func(*args)``)."""
        raise NotImplementedError

    # --- operators: coerce only int, Fraction and float; strings never --------------------
    def __add__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else add(self, other)

    def __radd__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else add(other, self)

    def __sub__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else add(self, negate(other))

    def __rsub__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else add(other, negate(self))

    def __mul__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else mul(self, other)

    def __rmul__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else mul(other, self)

    def __truediv__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else divide(self, other)

    def __rtruediv__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else divide(other, self)

    def __pow__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else power(self, other)

    def __rpow__(self, other: object) -> Expr:
        other = _coerce_or_none(other)
        return NotImplemented if other is None else power(other, self)

    def __neg__(self) -> Expr:
        return negate(self)

    def __pos__(self) -> Expr:
        return self

    def __abs__(self) -> Expr:
        from .functions import call

        return call("abs", self)

    # --- numeric conversions: for constants only (``float(sqrt(2))``, ``int(parse("7/2"))``) --
    def constant_value(self, wanted: str = "a number") -> Number:
        """The value of an expression without symbols: exact for numbers, else a float.

        Raises ``NotConstantError`` (a ``TypeError``) naming the symbols it depends on.
        """
        if isinstance(self, Num):
            return self.value
        free = self.free_symbols
        if free:
            names = ", ".join(s.name for s in free)
            hint = " (functions of expressions: symdiff.math, not math)" * (wanted == "float")
            raise NotConstantError(
                f"cannot convert {_short(self)} to {wanted}: it depends on {names}; evaluate "
                f"it at a point instead (expr.evaluate({free[0].name}=...)){hint}"
            )
        return self.evaluate()

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
        return round(self.constant_value("a rounded number"), ndigits)

    def _no_order(self, other: object) -> bool:
        raise SymbolicComparisonError(
            f"cannot compare the symbolic expression {_short(self)} with {_short(other)}: "
            "the result depends on symbolic values (branch on numbers, not on expressions)"
        )

    __lt__ = __le__ = __gt__ = __ge__ = _no_order

    # --- one-line delegates to higher layers (function-local imports keep the core acyclic) --
    def __str__(self) -> str:
        from .printing import to_str

        return to_str(self)

    def __repr__(self) -> str:
        from .printing import to_repr

        return to_repr(self)

    def _repr_latex_(self) -> str:
        from .latex import to_latex

        return f"$\\displaystyle {to_latex(self)}$"

    def diff(self, *variables: Any, **options: Any) -> Expr:
        """Derivative with respect to ``variables`` (see ``symdiff.diff`` for ``options``)."""
        from .diff import diff

        return diff(self, *variables, **options)

    def evaluate(self, values: Mapping[str, float] | None = None, **kwargs: float) -> float:
        """Numeric value at a point (see ``symdiff.evaluate``)."""
        from .evaluate import evaluate

        return evaluate(self, values, **kwargs)

    def subs(self, mapping: Mapping[Any, Any] | None = None, **kwargs: Any) -> Expr:
        """Substitute symbols (or any subexpressions) by expressions or numbers."""
        from .traverse import substitute

        return substitute(self, {**(mapping or {}), **kwargs})

    @property
    def free_symbols(self) -> tuple[Sym, ...]:
        """The symbols this expression depends on, sorted by name."""
        from .traverse import free_symbols

        return free_symbols(self)


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
        return cls._intern(key, (), _digest(numbers.digest_text(value)), value=value)

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
        return cls._intern((Sym, name), (), _digest(f"sym:{name}"), name=name)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return self


_MASK = 0xFFFFFFFFFFFFFFFF


def _composite_digest(tag: int, args: tuple[Expr, ...]) -> int:
    # tuples of ints hash identically in every process, so this is deterministic
    return hash((tag, *(a._key[1] for a in args))) & _MASK


def _mix(digest: int) -> int:
    return (digest * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK


def _sum_digest(tag: int, args: tuple[Expr, ...]) -> int:
    """Order-free digest of a sum or product: a sum of mixed child digests, so that growing a
    long sum by one term updates it in O(1) (``_grow``)."""
    return (tag + sum(_mix(a._key[1]) for a in args)) & _MASK


class _Collection(Expr):
    """An n-ary sum or product.  Its ``args`` may be *pending*: a node grown from a long sum or
    product (``s = s + t`` in a loop, see ``_grow``) records only its parent, the new terms and
    its numeric term (constant or coefficient), and sorts its arguments the first time they are
    read, so that building an n-term sum term by term is O(n) in total instead of O(n**2).

    Sums and products are interned by their order-free digest (O(1) for a grown node); two
    different collections with equal digests are told apart by their arguments (``_lookup``).
    """

    __slots__ = ("_constant", "_count", "_index", "_parent", "_terms")
    TAG: ClassVar[int] = 0
    IDENTITY: ClassVar[int] = 0  # the numeric term that is left out: 0 for sums, 1 for products

    _constant: Number  # the numeric argument's value, or IDENTITY
    _count: int
    _index: dict[Expr, None] | None  # monomials or bases, handed on when the node grows
    _parent: _Collection | None
    _terms: tuple[Expr, ...]

    def __getattr__(self, name: str) -> Any:
        if name == "args":  # only pending nodes lack the slot
            return _materialize(self)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def _raw(cls, args: tuple[Expr, ...], digest: int | None = None) -> Self:
        digest = _sum_digest(cls.TAG, args) if digest is None else digest
        first = args[0]
        constant = first.value if isinstance(first, Num) else cls.IDENTITY
        return _lookup(cls, digest, len(args), constant, args, None, ())  # type: ignore[return-value]


#: Digests shared by two different live collections; their nodes are keyed by their arguments.
_COLLIDED: set[tuple[type, int]] = set()


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
    return node.args == (args if args is not None else _pending_args(parent, terms, constant))


def _lookup(
    cls: type[_Collection],
    digest: int,
    count: int,
    constant: Number,
    args: tuple[Expr, ...] | None,
    parent: _Collection | None,
    terms: tuple[Expr, ...],
) -> _Collection:
    """The interned collection with these arguments (given, or pending: ``parent`` grown by
    ``terms`` with the numeric term ``constant``)."""
    table = Expr._table
    key: tuple = (cls, digest)
    found = table.get(key)
    if found is not None and _same(found, count, constant, args, parent, terms):  # type: ignore[arg-type]
        return found  # type: ignore[return-value]
    if found is not None or key in _COLLIDED:  # a true 64-bit collision: key by the arguments
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
    object.__setattr__(node, "_index", None)
    object.__setattr__(node, "_parent", parent)
    object.__setattr__(node, "_terms", terms)
    table[key] = node
    return node


def _pending_args(
    parent: _Collection, terms: tuple[Expr, ...], constant: Number
) -> tuple[Expr, ...]:
    """The sorted arguments of ``parent`` grown by ``terms`` (and the ``terms`` of the pending
    nodes it was grown from), with the numeric argument ``constant``."""
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


class Add(_Collection):
    """An n-ary sum in canonical form (build with ``add`` or ``+``)."""

    __slots__ = ()
    __match_args__ = ("args",)
    RANK = 4
    TAG = 4

    def __new__(cls, *terms: Expr) -> Expr:  # type: ignore[misc]
        return add(*terms)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return add(*args)


class Mul(_Collection):
    """An n-ary product in canonical form; a numeric coefficient, if any, comes first."""

    __slots__ = ()
    __match_args__ = ("args",)
    RANK = 3
    TAG = 3
    IDENTITY = 1

    def __new__(cls, *factors: Expr) -> Expr:  # type: ignore[misc]
        return mul(*factors)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return mul(*args)


class Pow(Expr):
    """``base ** exp``."""

    __slots__ = ()
    __match_args__ = ("base", "exp")
    RANK = 2

    def __new__(cls, base: Expr, exp: Expr) -> Expr:  # type: ignore[misc]
        return power(base, exp)

    @classmethod
    def _raw(cls, base: Expr, exp: Expr) -> Pow:
        args = (base, exp)
        return cls._intern((Pow, base, exp), args, _composite_digest(2, args))

    @property
    def base(self) -> Expr:
        return self.args[0]

    @property
    def exp(self) -> Expr:
        return self.args[1]

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        return power(*args)


class Call(Expr):
    """Application of a named function from ``symdiff.functions.FUNCTIONS``."""

    __slots__ = ("name",)
    __match_args__ = ("name", "args")
    RANK = 5
    name: str

    def __new__(cls, name: str, *args: Expr) -> Expr:  # type: ignore[misc]
        from .functions import call

        return call(name, *args)

    @classmethod
    def _raw(cls, name: str, args: tuple[Expr, ...]) -> Call:
        digest = _composite_digest(5, (Sym(name), *args)) if _NAME.match(name) else 0
        return cls._intern((Call, name, *args), args, digest, name=name)

    def rebuild(self, args: Iterable[Expr]) -> Expr:
        from .functions import call

        return call(self.name, *args)


ZERO = Num(0)
ONE = Num(1)
MINUS_ONE = Num(-1)
HALF = Num(Fraction(1, 2))


def _coerce_or_none(value: object) -> Expr | None:
    if isinstance(value, Expr):
        return value
    if isinstance(value, int | float | Fraction):
        return Num(value)
    return None


def as_expr(value: object) -> Expr:
    """Coerce an ``int``, ``Fraction`` or ``float`` to ``Num``; expressions pass through."""
    result = _coerce_or_none(value)
    if result is None:
        raise TypeError(
            f"cannot use {type(value).__name__} {value!r} as an expression"
            + (" (use symdiff.parse for strings)" if isinstance(value, str) else "")
        )
    return result


def ordered(nodes: Iterable[Expr]) -> tuple[Expr, ...]:
    """Sort nodes into the canonical, process-independent order."""
    result = sorted(nodes, key=lambda node: node._key)
    for i in range(len(result) - 1):
        if result[i]._key == result[i + 1]._key:  # digest collision: fall back to text
            return tuple(sorted(result, key=lambda node: (node._key, repr(node))))
    return tuple(result)


def _split_coefficient(term: Expr) -> tuple[Number, Expr]:
    """``3*x*y -> (3, x*y)``; a term without numeric coefficient has coefficient 1."""
    if isinstance(term, Mul) and isinstance(term.args[0], Num):
        rest = term.args[1:]
        return term.args[0].value, rest[0] if len(rest) == 1 else Mul._raw(rest)
    return 1, term


def _scale(coefficient: Number, monomial: Expr) -> Expr:
    if coefficient == 1:
        return monomial
    factors = monomial.args if isinstance(monomial, Mul) else (monomial,)
    return Mul._raw((Num(coefficient), *factors))


#: Sums and products at least this long grow in O(1) per new term (``_grow``).
_GROW_FROM = 16


def _index_of(node: _Collection, key_of: Any) -> dict[Expr, None]:
    """Take over the node's key index (building it if needed); the node keeps none."""
    index = node._index
    if index is None:
        index = dict.fromkeys(key_of(a) for a in node.args if not isinstance(a, Num))
    object.__setattr__(node, "_index", None)
    return index


def _grow(node: _Collection, new: Expr, key_of: Any) -> Expr | None:
    """``node`` combined with ``new`` (a term, a number, or a collection of the same kind) when
    no key (monomial or base) of ``new`` is in ``node`` already; else None.

    Building a long sum term by term (``s = s + t`` in a loop) would otherwise re-collect the
    whole sum at every step, O(n**2); the grown node is pending (``_Collection``): it shares
    its parent's index of keys and sorts its arguments only when they are read.
    """
    cls = type(node)
    identity = cls.IDENTITY
    old = node._constant
    if isinstance(new, Num):
        terms: tuple[Expr, ...] = ()
        other: Number = new.value
    elif isinstance(new, cls):
        other = new._constant
        terms = tuple(a for a in new.args if not isinstance(a, Num))
    else:
        other, terms = identity, (new,)
    constant = numbers.normalize(old + other if cls is Add else old * other)
    if cls is Mul and constant == 0:
        return None  # the product is 0
    if constant == identity:  # no numeric argument (0.0 and 1.0 are dropped, as in add, mul)
        constant = identity
    index = _index_of(node, key_of)
    keys = [key_of(t) for t in terms]
    if len(set(keys)) != len(keys) or any(k in index for k in keys):
        object.__setattr__(node, "_index", index)
        return None
    digest = node._key[1] + sum(_mix(t._key[1]) for t in terms)
    count = node._count + len(terms)
    if old != identity:
        digest -= _mix(Num(old)._key[1])
        count -= 1
    if constant != identity:
        digest += _mix(Num(constant)._key[1])
        count += 1
    grown = _lookup(cls, digest & _MASK, count, constant, None, node, terms)
    index.update(dict.fromkeys(keys))
    if grown._index is None:
        object.__setattr__(grown, "_index", index)
    return grown


def _larger(a: Expr, b: Expr, cls: type[_Collection]) -> bool:
    """Whether ``a`` is the longer of two operands of kind ``cls`` (the one to grow)."""
    return isinstance(a, cls) and (not isinstance(b, cls) or a._count >= b._count)


def _monomial(term: Expr) -> Expr:
    return _split_coefficient(term)[1]


def add(*terms: Any) -> Expr:
    """Canonical sum: flatten, fold constants, collect like terms (``x + x -> 2*x``)."""
    if len(terms) == 1:  # every expression is canonical already
        return as_expr(terms[0])
    if len(terms) == 2:
        a, b = as_expr(terms[0]), as_expr(terms[1])
        big, new = (a, b) if _larger(a, b, Add) else (b, a)
        if isinstance(big, Add) and big._count >= _GROW_FROM:
            grown = _grow(big, new, _monomial)
            if grown is not None:  # never the truth value of an expression (see tracing)
                return grown
    constant: Number = 0
    coefficients: dict[Expr, Number] = {}
    stack = [as_expr(t) for t in reversed(terms)]
    while stack:
        term = stack.pop()
        if isinstance(term, Num):
            constant += term.value
            continue
        if isinstance(term, Add):
            stack.extend(reversed(term.args))
            continue
        coefficient, monomial = _split_coefficient(term)
        coefficients[monomial] = coefficients.get(monomial, 0) + coefficient
    collected = [_scale(numbers.normalize(c), m) for m, c in coefficients.items() if c != 0]
    constant = numbers.normalize(constant)
    if constant != 0:
        collected.append(Num(constant))
    if not collected:
        return Num(constant)
    if len(collected) == 1:
        return collected[0]
    return Add._raw(ordered(collected))


def _mul_once(factors: Iterable[Expr]) -> tuple[Number, list[Expr], bool]:
    """One collection pass: coefficient, combined factors, and whether a re-pass is needed."""
    coefficient: Number = 1
    exponents: dict[Expr, list[Expr]] = {}
    stack = list(factors)
    while stack:
        factor = stack.pop()
        match factor:
            case Num(value):
                coefficient *= value
                continue
            case Mul():
                stack.extend(factor.args)
                continue
            case Pow(base, exp):
                exponents.setdefault(base, []).append(exp)
            case _:
                exponents.setdefault(factor, []).append(ONE)
    combined: list[Expr] = []
    again = False
    for base, exps in exponents.items():
        if len(exps) == 1:
            combined.append(Pow._raw(base, exps[0]) if exps[0] is not ONE else base)
            continue
        result = power(base, add(*exps))
        if isinstance(result, Num):
            coefficient *= result.value
        else:
            # a Mul, or a power of another base, may now merge with the other factors
            again = again or not (
                result is base or (isinstance(result, Pow) and result.base is base)
            )
            combined.append(result)
    return coefficient, combined, again


def _base(factor: Expr) -> Expr:
    return factor.base if isinstance(factor, Pow) else factor


def mul(*factors: Any) -> Expr:
    """Canonical product: flatten, fold constants, collect like factors (``x*x -> x**2``)."""
    if len(factors) == 1:
        return as_expr(factors[0])
    if len(factors) == 2:
        a, b = as_expr(factors[0]), as_expr(factors[1])
        big, new = (a, b) if _larger(a, b, Mul) else (b, a)
        if isinstance(big, Mul) and big._count >= _GROW_FROM:
            grown = _grow(big, new, _base)
            if grown is not None:
                return grown
    items = [as_expr(f) for f in factors]
    for _ in range(8):  # re-collect when combining exposed new factors; converges fast
        coefficient, combined, again = _mul_once(items)
        if not again:
            break
        items = [Num(numbers.normalize(coefficient)), *combined]
    coefficient = numbers.normalize(coefficient)
    if coefficient == 0:
        return Num(coefficient)
    if not combined:
        return Num(coefficient)
    if len(combined) == 1:
        (single,) = combined
        if coefficient == 1:
            return single
        if isinstance(single, Add):  # distribute a number over a sum, as a reader would
            return add(*(_scale_term(coefficient, t) for t in single.args))
    body = ordered(combined)
    if coefficient == 1:
        return Mul._raw(body)
    return Mul._raw((Num(coefficient), *body))


def _scale_term(coefficient: Number, term: Expr) -> Expr:
    own, monomial = (term.value, ONE) if isinstance(term, Num) else _split_coefficient(term)
    product = numbers.normalize(coefficient * own)
    if monomial is ONE:
        return Num(product)
    return ZERO if product == 0 else _scale(product, monomial)


def negate(value: Any) -> Expr:
    """``-value``."""
    return mul(MINUS_ONE, value)


def divide(numerator: Any, denominator: Any) -> Expr:
    """``numerator / denominator``; exact constants divide exactly."""
    numerator, denominator = as_expr(numerator), as_expr(denominator)
    if isinstance(numerator, Num) and isinstance(denominator, Num):
        return Num(numbers.divide(numerator.value, denominator.value))
    return mul(numerator, power(denominator, MINUS_ONE))


def power(base: Any, exp: Any) -> Expr:
    """Canonical power: fold bounded constants, ``(u**a)**n -> u**(a*n)`` for integer ``n``,
    ``(u*v)**n -> u**n * v**n`` for integer ``n``, ``exp(u)**v -> exp(u*v)``."""
    base, exp = as_expr(base), as_expr(exp)
    if isinstance(exp, Num):
        e = exp.value
        if e == 0:
            return ONE
        if e == 1:
            return base
        if isinstance(base, Num):
            folded = numbers.power(base.value, e)
            if folded is not None:
                return Num(folded)
        if isinstance(e, int):
            if isinstance(base, Pow):
                return power(base.base, mul(base.exp, exp))
            if isinstance(base, Mul):
                return mul(*(power(f, exp) for f in base.args))
    if isinstance(base, Num) and base.value == 1:
        return ONE
    if isinstance(base, Call) and base.name == "exp":
        from .functions import call

        return call("exp", mul(base.args[0], exp))
    return Pow._raw(base, exp)


def symbols(names: str) -> Any:
    """``symbols("x y")`` -> ``(x, y)``; a single name gives a single symbol (as SymPy)."""
    parts = names.replace(",", " ").split()
    result = tuple(Sym(n) for n in parts)
    return result[0] if len(result) == 1 else result


def _to_postorder(root: Expr) -> list[tuple]:
    from .traverse import postorder

    index: dict[Expr, int] = {}
    rows: list[tuple] = []
    for node in postorder(root):
        index[node] = len(rows)
        children = tuple(index[a] for a in node.args)
        match node:
            case Num(value):
                rows.append(("num", value))
            case Sym(name):
                rows.append(("sym", name))
            case Call(name):
                rows.append(("call", name, children))
            case _:
                rows.append((type(node).__name__.lower(), children))
    return rows


def _from_postorder(rows: list[tuple]) -> Expr:
    from .functions import call

    built: list[Expr] = []
    for row in rows:
        match row:
            case ("num", value):
                built.append(Num(value))
            case ("sym", name):
                built.append(Sym(name))
            case ("call", name, children):
                built.append(call(name, *(built[i] for i in children)))
            case (kind, children):
                maker = {"add": add, "mul": mul, "pow": power}[kind]
                built.append(maker(*(built[i] for i in children)))
    return built[-1]
