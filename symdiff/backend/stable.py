"""Numerically stable evaluation: a table of named rewrite rows applied before lowering.

The rows replace formulas that overflow or cancel in floating point by equal formulas that do
not (``log(1 + exp(u)) -> softplus(u)``, ``exp(u) - 1 -> expm1(u)``, ``exp(a)/(exp(a) + exp(b))
-> sigmoid(a - b)``, ``sqrt(a**2 + b**2) -> hypot(a, b)``, …).  They are applied to the DAG that
generated code evaluates, never to the formula printed for people.  Each row is sound: its
replacement has the value of its input wherever the input is defined (as a real number).

A few rows need *helpers*: functions that are not rows of the vocabulary (``softplus``,
``sigmoid``, ``logaddexp``, ``hypot``) and exist only in lowered code.  A target prints a helper
it has (its dialect maps the name); otherwise the helper's ``FALLBACK`` (built from vocabulary
functions) is used, and rows whose helper has neither are skipped for that target.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from symdiff.backend.stable_logs import (
    difference_of_squares,
    expm1,
    hypot,
    log1p,
    log_of_power,
    log_one_minus_exp,
    log_sigmoid,
    logaddexp,
    one_minus_cos,
    softplus,
)
from symdiff.backend.stable_ratios import (
    distribute_exp,
    exp_ratio,
    log_cosh,
    one_minus_sigmoid,
    one_minus_tanh_squared,
    reciprocal_hyperbolic,
    sigmoid_complement,
    tanh,
)
from symdiff.backend.stable_terms import (
    FALLBACK,
    HELPERS,
    Context,
    Plan,
    helper,
)
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Pow, Sym
from symdiff.core.traverse import postorder

#: Passes over the DAG (a later pass sees helpers an earlier one made: log(sigmoid(u))).
PASSES = 3


#: The table: (name, rule), tried in order on every node; the first that applies wins.
ROWS: tuple[tuple[str, Callable[[Expr, Context], Plan | None]], ...] = (
    ("softplus", softplus),
    ("log-sigmoid", log_sigmoid),
    ("logaddexp", logaddexp),
    ("log-of-power", log_of_power),
    ("log-one-minus-exp", log_one_minus_exp),
    ("log-cosh", log_cosh),
    ("log1p", log1p),
    ("one-minus-sigmoid", one_minus_sigmoid),
    ("sigmoid-complement", sigmoid_complement),
    ("distribute-exp", distribute_exp),
    ("tanh", tanh),
    ("reciprocal-hyperbolic", reciprocal_hyperbolic),
    ("exp-ratio", exp_ratio),
    ("expm1", expm1),
    ("one-minus-cos", one_minus_cos),
    ("one-minus-tanh-squared", one_minus_tanh_squared),
    ("difference-of-squares", difference_of_squares),
    ("hypot", hypot),
)


#: The node kinds each row can apply to (every other kind makes it return None at once), so
#: that a node tries only its own kind's rows, in table order (a test checks the claims).
KINDS: dict[str, tuple[type[Expr], ...]] = {
    "softplus": (Call,),
    "log-sigmoid": (Call,),
    "logaddexp": (Call,),
    "log-of-power": (Call,),
    "log-one-minus-exp": (Call,),
    "log-cosh": (Call,),
    "log1p": (Call,),
    "one-minus-sigmoid": (Add,),
    "sigmoid-complement": (Add,),
    "distribute-exp": (Mul,),
    "tanh": (Mul,),
    "reciprocal-hyperbolic": (Call, Pow),
    "exp-ratio": (Mul, Pow),
    "expm1": (Add,),
    "one-minus-cos": (Add,),
    "one-minus-tanh-squared": (Add,),
    "difference-of-squares": (Add,),
    "hypot": (Pow,),
}
#: The functions a row's input contains at least one of (none: the row needs no function), so
#: that a DAG without them skips the row (a test checks the claims).
NEEDS: dict[str, tuple[str, ...]] = {
    "softplus": ("exp",),
    "log-sigmoid": ("sigmoid",),
    "logaddexp": ("exp",),
    "log-of-power": ("log",),
    "log-one-minus-exp": ("exp",),
    "log-cosh": ("cosh",),
    "log1p": ("log",),
    "one-minus-sigmoid": ("exp", "sigmoid"),
    "sigmoid-complement": ("sigmoid",),
    "distribute-exp": ("exp",),
    "tanh": ("sinh",),
    "reciprocal-hyperbolic": ("sech", "csch", "cosh", "sinh"),
    "exp-ratio": ("exp",),
    "expm1": ("exp",),
    "one-minus-cos": ("cos",),
    "one-minus-tanh-squared": ("tanh",),
    "difference-of-squares": (),
    "hypot": (),
}

Rule = Callable[[Expr, Context], Plan | None]
ByKind = dict[type[Expr], tuple[tuple[str, Rule], ...]]


def _rows_by_kind(present: set[str], rows: Collection[str] | None) -> ByKind:
    """The rows (of ``rows``, or all) that may apply to a DAG whose functions are ``present``,
    by node kind."""
    active = [
        (name, rule) for name, rule in ROWS
        if (rows is None or name in rows) and (not NEEDS[name] or present.intersection(NEEDS[name]))
    ]  # fmt: skip
    return {
        kind: tuple((name, rule) for name, rule in active if kind in KINDS[name])
        for kind in (Add, Mul, Pow, Call)
    }


class _Symbolic(dict[Expr, bool]):
    """Whether a node contains a symbol (the others are folded to constants by lowering);
    nodes that rows make are looked up on demand."""

    def of(self, node: Expr) -> bool:
        known = self.get(node)
        if known is not None:
            return known
        # a walk that stops at known nodes: the roots of a Jacobian share most of their DAG,
        # so a full postorder per node would be quadratic
        stack = [node]
        while stack:
            top = stack[-1]
            if top in self:
                stack.pop()
                continue
            pending = [a for a in top.args if a not in self]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            self[top] = isinstance(top, Sym) or any(self[a] for a in top.args)
        return self[node]


def _rebuild(node: Expr, args: list[Expr]) -> Expr:
    if tuple(args) == node.args:  # nodes compare by identity: nothing changed
        return node
    if isinstance(node, Call) and node.name in HELPERS:
        return helper(node.name, *args)
    return node.rebuild(args)


def _substitute(roots: Sequence[Expr], replace: Callable[[Expr, list[Expr]], Expr]) -> list[Expr]:
    """Bottom-up rebuild: ``replace(node, new_args)`` for every node (iterative, memoised)."""
    done: dict[Expr, Expr] = {}
    for node in postorder(*roots):
        if node not in done:
            done[node] = replace(node, [done[a] for a in node.args])
    return [done[r] for r in roots]


def expand_helpers(roots: Sequence[Expr], native: Collection[str]) -> list[Expr]:
    """Helpers the target does not print replaced by their ``FALLBACK`` formulas."""
    if not any(
        type(node) is Call and node.name in HELPERS and node.name not in native
        for node in postorder(*roots)
    ):
        return list(roots)  # what the rebuild below gives then: every node unchanged

    def replace(node: Expr, args: list[Expr]) -> Expr:
        if isinstance(node, Call) and node.name in HELPERS and node.name not in native:
            fallback = FALLBACK[node.name]
            assert fallback is not None, node.name
            return fallback(*args)
        return _rebuild(node, args)

    return _substitute(roots, replace)


def _one_pass(
    roots: Sequence[Expr], ctx: Context, by_kind: ByKind, order: list[Expr]
) -> list[Expr]:
    """One bottom-up rewrite of ``roots`` (``order``: their postorder)."""
    symbolic = _Symbolic()
    for node in order:
        symbolic[node] = isinstance(node, Sym) or any(symbolic[a] for a in node.args)
    done: dict[Expr, Expr] = {}
    plans: dict[Expr, Plan] = {}
    stack = list(roots)
    while stack:
        node = stack[-1]
        if node in done:
            stack.pop()
            continue
        plan = plans.get(node)
        if plan is None:
            plan = plans[node] = _plan(node, ctx, symbolic, by_kind)
        pending = [n for n in plan[0] if n not in done]
        if pending:
            stack.extend(reversed(pending))
            continue
        stack.pop()
        done[node] = plan[1]([done[n] for n in plan[0]])
    return [done[r] for r in roots]


def _plan(node: Expr, ctx: Context, symbolic: _Symbolic, by_kind: ByKind) -> Plan:
    if not node.args or not symbolic.of(node):
        return (), lambda new: node
    for _, rule in by_kind.get(type(node), ()):
        plan = rule(node, ctx)
        if plan is not None:
            return plan
    return tuple(node.args), lambda new: _rebuild(node, new)


def stabilize(
    roots: Sequence[Expr], native: Collection[str] = (), rows: Collection[str] | None = None
) -> list[Expr]:
    """``roots`` with the stable rows applied; ``native``: the helpers the target prints.

    ``rows`` restricts the rewrite to the named rows (for tests); the result is a DAG that may
    hold helper calls (``Call`` nodes named in ``HELPERS``), for lowering only.
    """
    ctx = Context(frozenset(native) & HELPERS)
    current = list(roots)
    for attempt in range(PASSES + 1):
        order = postorder(*current)
        present = {node.name for node in order if type(node) is Call}
        by_kind = _rows_by_kind(present, rows) if attempt < PASSES else {}
        if not any(by_kind.values()):
            break
        new = _one_pass(current, ctx, by_kind, order)
        if all(a is b for a, b in zip(new, current, strict=True)):
            break
        current = new
    if present.isdisjoint(HELPERS - ctx.native):
        return current  # what expand_helpers gives then
    return expand_helpers(current, ctx.native)
