"""The n-ary nodes, sums (``Add``) and products (``Mul``): interned by an order-free digest, with
arguments that may be *pending* so that a long sum built term by term costs O(n) in total."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from symdiff.core import digests
from symdiff.core.hooks import HOOKS
from symdiff.core.nodes import TABLE, Expr, KeyedRef, Num, forget, lookup
from symdiff.core.numbers import Number
from symdiff.core.typing_lite import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, ClassVar, Self, TypeVar

    _C = TypeVar("_C", bound="_Collection")


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
        if digest is None:  # digests.of_sum, written out (the inner loop of every constructor)
            total = sum([a._key[1] for a in args])
            digest = (cls.TAG + digests.MIX_FACTOR * total + len(args) * digests.MIX_OFFSET) & _MASK
        key = (cls, digest)
        ref = TABLE.get(key)
        first = args[0]
        constant = first.value if type(first) is Num else cls.IDENTITY
        if ref is None:
            if key not in _COLLIDED:  # the common cases without _lookup: a new node ...
                return _new(cls, key, digest, len(args), constant, args, None, ())
        else:
            found: Any = ref()  # ... or one that exists (a collection: the digest says so)
            if found is not None and found._count == len(args) and found.args == args:
                return found  # type: ignore[no-any-return]
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
        key: tuple[Any, ...] = (cls, digest)
        ref = TABLE.get(key)
        found = None if ref is None else ref()
        if found is not None and _same(found, count, constant, args, parent, terms):  # type: ignore[arg-type]
            return found  # type: ignore[return-value]
        if found is not None or key in _COLLIDED:  # a true 64-bit collision: key by arguments
            _COLLIDED.add(key)
            if args is None:
                args = _pending_args(parent, terms, constant)  # type: ignore[arg-type]
            key = (cls, digest, *args)
            found = lookup(key)
            if found is not None:
                return found  # type: ignore[return-value]
        return _new(cls, key, digest, count, constant, args, parent, terms)


def _new(
    cls: type[_C],
    key: tuple[Any, ...],
    digest: int,
    count: int,
    constant: Number,
    args: tuple[Expr, ...] | None,
    parent: _Collection | None,
    terms: tuple[Expr, ...],
) -> _C:
    """A new collection, interned under ``key``."""
    node = object.__new__(cls)
    if args is not None:
        _SET_ARGS(node, args)
    _SET_KEY(node, (cls.RANK, digest))
    _SET_COUNT(node, count)
    _SET_CONSTANT(node, constant)
    _SET_PARENT(node, parent)
    _SET_TERMS(node, terms)
    reference = KeyedRef(node, forget)  # nodes.keyed, written out
    reference.key = key
    TABLE[key] = reference
    return node


# The slots' own setters: what ``object.__setattr__`` ends up calling, without looking the
# name up along the class hierarchy each time (``Expr.__setattr__`` forbids plain assignment).
_SET_ARGS = Expr.__dict__["args"].__set__
_SET_KEY = Expr.__dict__["_key"].__set__
_SET_COUNT = _Collection.__dict__["_count"].__set__
_SET_CONSTANT = _Collection.__dict__["_constant"].__set__
_SET_PARENT = _Collection.__dict__["_parent"].__set__
_SET_TERMS = _Collection.__dict__["_terms"].__set__


_MASK = digests.MASK

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


_sort_key = attrgetter("_key")  # a node's (rank, digest), the canonical order


def _materialize(node: _Collection) -> tuple[Expr, ...]:
    args = _pending_args(node._parent, node._terms, node._constant)  # type: ignore[arg-type]
    object.__setattr__(node, "args", args)
    object.__setattr__(node, "_parent", None)  # let the chain of smaller sums go
    object.__setattr__(node, "_terms", ())
    return args


def ordered(nodes: Iterable[Expr]) -> tuple[Expr, ...]:
    """Sort nodes into the canonical, process-independent order."""
    result = sorted(nodes, key=_sort_key)
    if len(set(map(_sort_key, result))) < len(result):  # digest collision: fall back to text
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
