"""The simplifier: a bottom-up, memoised fold over the DAG that rewrites with the rule table.

At each node (children already simplified) every applicable rule proposes candidates; each
candidate is itself simplified (up to a small nesting depth) and the cheapest one is kept if it
is strictly cheaper than the node in ``(operations, tree size)``.  This repeats at the node until
nothing improves, and whole passes repeat until a fixpoint.  A memoised run can depend on the
order it met nodes in, so a run with an empty memo then confirms the result (or improves it and
is confirmed in turn): ``simplify(simplify(e)) is simplify(e)`` whenever the budget suffices.
A step budget proportional to the size of the input bounds the work, so simplification is
polynomial even on adversarial input; every walk is iterative, so 10,000-deep expressions are
fine.
"""

from __future__ import annotations

from collections.abc import Iterable

from symdiff.core.errors import SymdiffError
from symdiff.core.nodes import Expr
from symdiff.core.traverse import dag_size, postorder, postorder_missing
from symdiff.rewrite import algebra
from symdiff.rewrite.cost import CostModel
from symdiff.rewrite.positive_logs import split_logs
from symdiff.rewrite.readable import tidy
from symdiff.rewrite.rules import Facts, rules_for

MAX_PASSES = 6
MAX_RESTARTS = 8
MAX_ROUNDS_PER_NODE = 8
MAX_NESTING = 1
PRUNE_FACTOR, PRUNE_SLACK = 2, 6
STEPS_PER_NODE = 60
MIN_STEPS = 5000


class Simplifier:
    """One simplification run: the memo (node -> simplest form), costs, facts and budget."""

    def __init__(self, facts: Facts, budget: int, skip: frozenset[str] = frozenset()) -> None:
        self.facts = facts
        self.skip = skip  # names of rules this run does not use (see READABLE_SKIP)
        self.budget = budget
        self.steps = 0
        self.cost = CostModel()
        self.memo: dict[Expr, Expr] = {}
        self.level: dict[Expr, int] = {}  # the nesting depth at which a form was settled
        self.proposals: dict[Expr, list[Expr]] = {}
        self.origin: dict[Expr, str] = {}  # candidate -> name of the rule that proposed it
        self.undefined: set[Expr] = set()  # nodes that divide by an exact zero (see _undefined)
        self.used: list[str] = []  # names of the rules whose rewrites were kept at the top level
        #: with tracing on, ``(rule, before, after)`` of each rewrite kept at the top level
        self.trace: list[tuple[str, Expr, Expr]] | None = None
        self.trials = 0  # how deep inside the simplification of a candidate rewrite

    def forget(self) -> None:
        """Drop the memo of settled forms (rule proposals and costs, which depend on the node
        alone, are kept): what a run finds must not depend on what earlier runs visited."""
        self.memo.clear()
        self.level.clear()

    def run(self, root: Expr, depth: int = 0) -> Expr:
        """The simplest form of ``root`` found; visits only nodes not simplified before."""
        memo = self.memo
        for node in postorder_missing(root, memo):
            args = [memo[a] for a in node.args]
            if self._undefined(node, args):
                memo[node] = node
                continue
            if all(x is y for x, y in zip(args, node.args, strict=True)):
                memo[node] = self.rewrite(node, depth)
                continue
            rebuilt = _rebuilt(node, args)
            if rebuilt is None:
                memo[node] = node
                self.undefined.add(node)
            elif rebuilt in memo:
                memo[node] = memo[rebuilt]
            elif depth < MAX_NESTING:  # canonicalising may create new, unvisited children
                memo[node] = self.run(rebuilt, depth + 1)
            else:
                memo[node] = self.rewrite(rebuilt, depth)
        memo[root] = self._settle(memo[root], depth)
        return memo[root]

    def finish(self, root: Expr) -> Expr:
        """Rewrite, at the top depth, every node of ``root`` that was only settled inside a
        nested candidate run (cheaper than settling every intermediate form)."""
        done: dict[Expr, Expr] = {}
        for node in postorder(root):
            args = [done[a] for a in node.args]
            if self._undefined(node, args):
                done[node] = node
                continue
            current = node if args == list(node.args) else _rebuilt(node, args)
            if current is None:
                self.undefined.add(node)
                current = node
            elif self.level.get(current, MAX_NESTING + 1) > 0 and self.steps < self.budget:
                current = self.rewrite(current, 0)
            done[node] = current
        return done[root]

    def _undefined(self, node: Expr, args: list[Expr]) -> bool:
        """Whether ``node`` is undefined everywhere: it is, or holds, a division by an exact zero
        that simplifying exposed (``log(x)/log(log(e))``).  Such a node is kept as it was, with
        its parents: folding it (``0*(1/0) -> 0``) would turn an error into a silent value."""
        if node in self.undefined or any(a in self.undefined for a in args):
            self.undefined.add(node)
            return True
        return False

    def _settle(self, node: Expr, depth: int) -> Expr:
        """``node`` rewritten at ``depth`` unless that (or a shallower, more thorough) rewrite
        happened already: a form found inside a nested candidate run is not final."""
        if self.level.get(node, MAX_NESTING + 1) <= depth or self.steps >= self.budget:
            return node
        return self.rewrite(node, depth)

    def rewrite(self, node: Expr, depth: int) -> Expr:
        """Apply the best strictly-cheaper rewrite at ``node`` until none is left."""
        current, current_cost = node, self.cost(node)
        settled = True
        for _ in range(MAX_ROUNDS_PER_NODE):
            best, best_cost, best_rule = None, current_cost, ""
            for proposal in self._candidates(current):
                if self.cost(proposal)[0] > PRUNE_FACTOR * current_cost[0] + PRUNE_SLACK:
                    continue  # far costlier: not worth simplifying further
                if depth < MAX_NESTING:
                    self.trials += 1  # rewrites inside a trial are not the trace's
                    candidate = self.run(proposal, depth + 1)
                    self.trials -= 1
                else:
                    candidate = proposal
                candidate_cost = self.cost(candidate)
                if candidate_cost < best_cost:
                    best, best_cost = candidate, candidate_cost
                    best_rule = self.origin.get(proposal, "")
            if best is None:
                break
            if depth == 0 and best_rule:
                self.used.append(best_rule)
            if self.trace is not None and best_rule and not self.trials:
                self.trace.append((best_rule, current, best))
            current, current_cost = best, best_cost
            settled = depth < MAX_NESTING
        if settled and self.steps < self.budget:
            self.memo.setdefault(current, current)
            self.level[current] = min(self.level.get(current, depth), depth)
        return current

    def _candidates(self, node: Expr) -> Iterable[Expr]:
        """Every rule's proposals for ``node``, computed once per node and run."""
        proposals = self.proposals.get(node)
        if proposals is None:
            proposals = []
            for rule in rules_for(node):
                if rule.name in self.skip:
                    continue
                if self.steps >= self.budget:
                    return proposals
                self.steps += 1
                try:
                    for candidate in rule.candidates(node, self.facts):
                        if candidate is not node:
                            proposals.append(candidate)
                            self.origin.setdefault(candidate, rule.name)
                except (SymdiffError, ArithmeticError, ValueError):
                    continue  # a rewrite that would divide by zero or overflow is no candidate
            self.proposals[node] = proposals
        return proposals


def _rebuilt(node: Expr, args: list[Expr]) -> Expr | None:
    """``node`` over new arguments, or ``None`` when that divides by an exact zero (or
    overflows): in ``log(x)/log(log(e))``, ``log(log(e))`` becomes ``0``."""
    try:
        return node.rebuild(args)
    except (SymdiffError, ArithmeticError):
        return None


def _run(
    expr: Expr,
    assume_positive: Iterable[str],
    budget: int | None,
    trace: bool = False,
    skip: frozenset[str] = frozenset(),
) -> tuple[Expr, Simplifier]:
    if isinstance(assume_positive, str):
        assume_positive = assume_positive.replace(",", " ").split()
    facts = Facts(frozenset(assume_positive))
    algebra.forget()  # a run's time and work never depend on what earlier runs visited
    steps = budget if budget is not None else STEPS_PER_NODE * dag_size(expr) + MIN_STEPS
    result, engine = _settle_from(expr, facts, steps, trace, skip | LATE_RULES)
    if not skip >= LATE_RULES and _late_rule_applies(result, facts):
        result, engine = _settle_from(result, facts, steps, trace, skip)
    split = split_logs(expr, facts)
    if split is not expr:  # a second start, from the logarithms split (see positive_logs)
        other, other_engine = _settle_from(split, facts, steps, trace, skip)
        if other_engine.cost(other) < engine.cost(result):
            return other, other_engine
    return result, engine


#: Rules tried only once the others have settled: they rewrite a product of a sum that the
#: other rules may still combine with its neighbours (``x*exp(x)/(exp(x) + 1)**2 + ...``
#: first shares a denominator, then becomes ``(...)/(4*cosh(x/2)**2)``).
LATE_RULES = frozenset({"half-angle"})


def _late_rule_applies(expr: Expr, facts: Facts) -> bool:
    """Whether a late rule proposes anything somewhere in ``expr`` (a settle costs more)."""
    for node in postorder(expr):
        for rule in rules_for(node):
            if (
                rule.name in LATE_RULES
                and next(iter(rule.candidates(node, facts)), None) is not None
            ):
                return True
    return False


def _settle_from(
    expr: Expr, facts: Facts, steps: int, trace: bool, skip: frozenset[str]
) -> tuple[Expr, Simplifier]:
    """Passes of one simplifier over ``expr`` until a run with an empty memo confirms them."""
    engine = Simplifier(facts, steps, skip)
    if trace:
        engine.trace = []
    current = expr
    for _ in range(MAX_RESTARTS):
        engine.forget()
        result = current
        for _ in range(MAX_PASSES):
            after = engine.finish(engine.run(result))
            if after is result:
                break
            result = after
        if not engine.cost(result) < engine.cost(current):
            break  # confirmed: a run that remembers nothing finds nothing cheaper
        current = result
    return current, engine


#: What ``simplify`` aims for: a form for people, or the fewest operations (for code).
GOALS = ("readable", "compact")
#: Rules the readable goal leaves out: they save an operation by inventing an argument the
#: reader never wrote (``2*sin(x)*cos(x) -> sin(2*x)``, ``cos(x)**2 - sin(x)**2 -> cos(2*x)``),
#: where a derivative table writes the product (an input's own ``sin(2*x)`` is kept as it is).
READABLE_SKIP = frozenset({"double-angle", "cos-double-angle", "half-angle", "trig-squares"})


def simplify(
    expr: Expr,
    *,
    assume_positive: Iterable[str] = (),
    budget: int | None = None,
    goal: str = "readable",
) -> Expr:
    """A smaller equivalent of ``expr`` (never costlier; sound on the real domain).

    ``assume_positive=("x", "y")`` (or ``"x y"``) also allows rewrites valid only for positive
    symbols, e.g. ``sqrt(x**2) -> x``, and splits logarithms where that pays
    (``log(x*y) - log(x) -> log(y)``; ``symdiff.rewrite.positive_logs``).  ``budget`` caps the rule
    attempts (default proportional to the size of ``expr``).  ``goal="compact"`` returns the form
    with the fewest operations (``count_ops``; Horner nesting, what code generation wants);
    ``goal="readable"`` (the default) leaves out ``READABLE_SKIP`` and then expands nested
    polynomials and signs squared bases as a textbook does (``symdiff.rewrite.readable``), at
    the price of a few operations.

    >>> str(simplify(parse("sin(x)**2 + cos(x)**2")))
    '1'
    """
    if goal not in GOALS:
        raise ValueError(f"goal must be one of {', '.join(GOALS)}, not {goal!r}")
    if goal == "compact":
        return _run(expr, assume_positive, budget)[0]
    result = _run(expr, assume_positive, budget, skip=READABLE_SKIP)[0]
    return _readable(result, assume_positive, budget)


#: Rounds of ``tidy`` and the compact simplifier before the readable form must be settled.
READABLE_ROUNDS = 8
#: Results larger than this (distinct nodes) keep the compact form: they are read as CSE
#: listings, not as one formula, and tidying them costs more than it gives (the 30th
#: derivative of ``x**x``, 9,000 nodes: 16 s to tidy, minutes to settle).
READABLE_MAX_NODES = 2000


def _readable(
    compact: Expr,
    assume_positive: Iterable[str],
    budget: int | None,
    events: list[tuple[str, Expr, Expr]] | None = None,
) -> Expr:
    """``tidy`` of the compact form, made a fixed point: ``tidy`` may expose work for the
    simplifier (distributing ``2*e + 1/10`` over ``sqrt(x)*exp(x)`` leaves ``e*exp(x)``, which
    is ``exp(x + 1)``), so the two alternate until neither changes anything, which makes
    ``simplify(simplify(e)) is simplify(e)`` hold for the readable goal as for the compact one.
    With ``events``, every rewrite on the way is appended to it (``rewrite_trace``).
    """
    if dag_size(compact) > READABLE_MAX_NODES:
        return compact

    def tidied(expr: Expr) -> Expr:
        if events is None:
            return tidy(expr)
        return tidy(expr, trace=lambda name, before, after: events.append((name, before, after)))

    def simplified(expr: Expr) -> Expr:
        result, engine = _run(
            expr, assume_positive, budget, trace=events is not None, skip=READABLE_SKIP
        )
        if events is not None:
            events.extend(engine.trace or [])
        return result

    current = tidied(compact)
    seen: list[Expr] = [current]
    for _ in range(READABLE_ROUNDS):
        if current is compact:  # tidy changed nothing: the compact form is settled
            return current
        again = simplified(current)
        readable = tidied(again)
        if readable is current:  # simplifying current gives current back
            return current
        if readable in seen:  # a cycle: every member leads back into it, so pick one by rule
            return _representative(seen[seen.index(readable) :])
        seen.append(readable)
        compact, current = again, readable
    return current


def _representative(cycle: list[Expr]) -> Expr:
    """The member of a cycle of readable forms that every entry into the cycle settles on:
    the smallest, ties broken by the text, so the choice depends on the cycle, not on where
    the walk entered it."""
    return min(cycle, key=lambda expr: (dag_size(expr), str(expr)))


def simplify_trace(
    expr: Expr, *, assume_positive: Iterable[str] = (), budget: int | None = None
) -> list[tuple[str, Expr, Expr]]:
    """``[(rules, expr, simplify(expr))]``: the names of the rules whose rewrites were kept (in
    order, each once; ``readable.READABLE_RULES`` for the readable goal's identities), with the
    expression before and after; empty when nothing changes."""
    result, engine = _run(expr, assume_positive, budget, skip=READABLE_SKIP)
    used = list(engine.used)
    readable = tidy(result, used)  # the readable goal: its identities are named too
    if readable is expr:
        return []
    return [(", ".join(dict.fromkeys(used)) or "canonical form", expr, readable)]


def rewrite_trace(
    expr: Expr, *, assume_positive: Iterable[str] = (), budget: int | None = None
) -> tuple[Expr, list[tuple[str, Expr, Expr]]]:
    """``simplify(expr)`` and the rewrites that made it, in order: ``(rule, before, after)``
    for each subexpression rewritten (the readable goal's identities among them).  Tracing is
    off on the ordinary path, so ``simplify`` pays nothing for it."""
    result, engine = _run(expr, assume_positive, budget, trace=True, skip=READABLE_SKIP)
    events = list(engine.trace or [])
    return _readable(result, assume_positive, budget, events), events
