"""Deterministic 64-bit digests of nodes: the same in every process (unlike ``hash(str)``), so
sort keys, and with them every printed order, never depend on the run."""

from __future__ import annotations

from symdiff.core.typing_lite import TYPE_CHECKING

try:  # hashlib's own BLAKE2, without loading OpenSSL for its other hashes (start-up time)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without the module
    from hashlib import blake2b

if TYPE_CHECKING:
    from symdiff.core.nodes import Expr


def of_text(text: str) -> int:
    """A 64-bit digest of ``text`` that is the same in every process (unlike ``hash(str)``)."""
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big")


MASK = 0xFFFFFFFFFFFFFFFF

#: The digests of the symbols (by name) and small numbers (by their node's key) met lately: a
#: digest is a pure function of the name or value, and BLAKE2 the costliest step of making a new
#: leaf.  Only digests are kept, no nodes; the table is emptied when it grows large.
REMEMBERED: dict[object, int] = {}
_REMEMBERED_SIZE = 1 << 14


def remember(key: object, digest: int) -> None:
    if len(REMEMBERED) >= _REMEMBERED_SIZE:
        REMEMBERED.clear()
    REMEMBERED[key] = digest


def of_name(name: str) -> int:
    """The digest of the symbol ``name``: ``of_text("sym:" + name)``, remembered."""
    digest = REMEMBERED.get(name)
    if digest is None:
        digest = of_text(f"sym:{name}")
        if len(name) <= 64:
            remember(name, digest)
    return digest


def composite(tag: int, args: tuple[Expr, ...]) -> int:
    # tuples of ints hash identically in every process, so this is deterministic
    if len(args) == 2:  # a power, a two-argument call: the same tuple, built directly
        return hash((tag, args[0]._key[1], args[1]._key[1])) & MASK
    return hash((tag, *[a._key[1] for a in args])) & MASK


MIX_FACTOR = 0x9E3779B97F4A7C15
MIX_OFFSET = 0x632BE59BD9B4E019


def mix(digest: int) -> int:
    """A child's digest as it enters an order-free digest (read at call time, as ``of_sum``
    and ``nary`` read the constants: a test sets them to force collisions)."""
    return (digest * MIX_FACTOR + MIX_OFFSET) & MASK


def of_sum(tag: int, args: tuple[Expr, ...]) -> int:
    """Order-free digest of a sum or product: a sum of mixed child digests, so that growing a
    long sum by one term updates it in O(1) (``constructors._grow``).

    Computed as ``tag + MIX_FACTOR * sum(digests) + n * MIX_OFFSET`` modulo 2**64, which is the
    same number (reduction modulo 2**64 commutes with sums and products) in one C-level sum.
    """
    total = sum([a._key[1] for a in args])
    return (tag + MIX_FACTOR * total + len(args) * MIX_OFFSET) & MASK
