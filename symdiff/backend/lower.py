"""Lowering expression DAGs to straight-line code: the target-independent half of codegen.

Every non-atomic DAG node is computed once.  A node gets its own statement (``t3 = ...``) when
it is shared or would nest too deeply; otherwise its small tree is written inline in its one
parent (see ``trees.py`` for the tree vocabulary each target prints).  On the way:

- products that differ only in their coefficient share the rest (``2*x*y``, ``-x*y``), pairs of
  factors common to several products become nodes (``products.py``), and factors common to the
  terms of a sum are taken out (``a*b + a*c -> a*(b + c)``);
- integer powers become products through shared squares (``powers.py``: ``x**13`` is 5
  multiplications, ``x**-2`` is ``1/t`` with ``t = x*x``), half-integer powers use ``sqrt``;
- symbol-free subtrees are folded to float64 constants, and rows of the vocabulary without a
  common library name are rewritten as their ``code`` says (``sec(u) -> 1/cos(u)``,
  ``acoth(u) -> atanh(1/u)``, ``stop_gradient(u) -> u``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from symdiff.backend.powers import Exponent, PowerWriter, expanded_exponent
from symdiff.backend.products import share_products, shifted_sums
from symdiff.backend.program import IDENTITY, OF_RECIPROCAL, RECIPROCAL_OF, Program
from symdiff.backend.stable import HELPERS, stabilize
from symdiff.backend.trees import (
    ONE_TREE,
    Tree,
    common_factors,
    constant_tree,
    constants_first,
    depth,
    is_atom,
    one_operation,
)
from symdiff.core.defined import inline_defined_all
from symdiff.core.nary import Add, Mul
from symdiff.core.nodes import Call, Expr, Num, Pow, Sym
from symdiff.core.traverse import no_collection, postorder_by
from symdiff.numeric.evaluation import constant_value, node_value

#: Deepest inline nesting before a subtree gets a statement of its own (keeps parsers happy).
MAX_DEPTH = 12
#: Most operands of one sum or product in a single statement.
MAX_OPERANDS = 32


class _Lowering(PowerWriter):
    """The state of one lowering: statements emitted so far and each node's tree."""

    def __init__(self, roots: Sequence[Expr], args: Sequence[Sym], recompute: bool) -> None:
        self.roots = list(roots)
        self.recompute = recompute
        self.arg_index = {symbol: i for i, symbol in enumerate(args)}
        self.statements: list[tuple[int, Tree]] = []
        self.tree: dict[Expr, Tree] = {}
        self.rest: dict[Expr, Expr] = {}  # c*u*v*... -> u*v*... (shared by every coefficient)
        self.shared_products: dict[Expr, tuple[Expr, ...]] = {}  # see products.py
        self.depths: dict[int, int] = {}  # id(tree of a node) -> its depth (trees stay alive)
        self.counts: dict[Expr, int] = {}
        self.powers: dict[tuple[Tree, Exponent], Tree] = {}  # (atom, exponent) -> temporary
        self.kids: dict[Expr, tuple[Expr, ...]] = {}  # children(node) of every node (graph)

    def emit(self, tree: Tree) -> Tree:
        """A new temporary holding ``tree``."""
        index = len(self.statements)
        self.statements.append((index, tree))
        return ("temp", index)

    def named(self, tree: Tree) -> Tree:
        """``tree`` itself if it is an atom (may be repeated), else a temporary holding it."""
        return tree if is_atom(tree) else self.emit(tree)

    def children(self, node: Expr) -> tuple[Expr, ...]:
        """Arguments in the lowered graph: ``c*u*v`` is ``c`` times the (shared) node ``u*v``.

        Gradients are full of products that differ only in their coefficient (``-2*x*y`` and
        ``2*x*y``); splitting the coefficient off computes the rest once.
        """
        override = self.shared_products.get(node)
        if override is not None:
            return override
        rest = self.rest.get(node)
        coefficient = isinstance(node, Mul) and isinstance(node.args[0], Num)
        if rest is None and coefficient and len(node.args) > 2:
            rest = self.rest[node] = Mul._raw(node.args[1:])
        return node.args if rest is None else (node.args[0], rest)

    def graph(self) -> list[Expr]:
        """The lowered graph in postorder (children first, each node once), counting parents."""
        # each node's lowered arguments, asked for once (the passes below read them often)
        kids = self.kids
        children = self.children

        def cached(node: Expr) -> tuple[Expr, ...]:
            found = kids.get(node)
            if found is None:
                found = kids[node] = children(node)
            return found

        first = postorder_by(self.roots, cached)
        products = [n for n in first if isinstance(n, Mul) and n not in self.rest]
        self.shared_products = share_products(products, cached)
        kids.update(self.shared_products)  # the new product nodes get theirs on demand
        shifted = shifted_sums(first)
        kids.update(shifted)
        changed = self.shared_products or shifted
        order = postorder_by(self.roots, cached) if changed else first
        counts = self.counts
        for node in order:
            for child in kids[node]:
                counts[child] = counts.get(child, 0) + 1
        for root in self.roots:
            self.counts[root] = self.counts.get(root, 0) + 1
        return order

    def run(self) -> Program:
        nodes = self.graph()
        value: dict[Expr, float] = {}
        symbolic = self._symbolic(nodes)
        absorbed = self._absorbed_powers(nodes, symbolic)
        for node in nodes:
            if node in absorbed or self._fold(node, value, symbolic):
                continue
            tree = self._lower(node)
            shared = self.counts.get(node, 0) > 1 and not (self.recompute and one_operation(tree))
            nesting = depth(tree, self.depths)
            if not is_atom(tree) and (shared or nesting > MAX_DEPTH):
                tree = self.emit(tree)
                self._remember_power(node, tree)
            self.tree[node] = tree
            self.depths[id(tree)] = 0 if tree[0] == "temp" else nesting
        outputs = tuple(self.tree[root] for root in self.roots)
        dependencies = self._dependencies(nodes)
        return Program(
            len(self.arg_index), tuple(self.statements), outputs,
            tuple(dependencies[root] for root in self.roots),
        )  # fmt: skip

    def _fold(self, node: Expr, value: dict[Expr, float], symbolic: set[Expr]) -> bool:
        """Whether ``node`` is a constant, now folded into ``value`` and its tree.  A constant
        whose float evaluation fails on the way (csch(exp(8)): sinh overflows, the result is 0)
        takes the extended-range value; an undefined one (log(-1)) or one beyond the float
        range is computed at run time (nan, inf or the target's error, as before)."""
        if isinstance(node, Sym) or (isinstance(node, Call) and node.name in HELPERS):
            return False  # helpers are never constant
        if all(a in value for a in node.args):
            try:
                value[node] = node_value(node, [value[a] for a in node.args], {})
            except (ArithmeticError, ValueError):
                pass
            else:
                self.tree[node] = constant_tree(node.value if isinstance(node, Num) else
                                                value[node])  # fmt: skip
                return True
        elif node in symbolic:
            return False
        folded = constant_value(node)
        if folded is None:
            return False
        value[node] = folded
        self.tree[node] = constant_tree(folded)
        return True

    def _remember_power(self, node: Expr, temporary: Tree) -> None:
        """A computed ``u**n`` (or ``u**(n/2)``) is reused by later powers of ``u``."""
        if isinstance(node, Pow):
            exponent = expanded_exponent(node.exp)
            base = self.tree[node.base]
            if exponent is not None and exponent > 0 and is_atom(base):
                self.powers.setdefault((base, exponent), temporary)

    def _dependencies(self, nodes: list[Expr]) -> dict[Expr, frozenset[int]]:
        found: dict[Expr, frozenset[int]] = {}
        empty: frozenset[int] = frozenset()
        get = found.__getitem__
        for node in nodes:
            if isinstance(node, Sym):
                found[node] = frozenset({self.arg_index[node]})
                continue
            sets = list(map(get, self.kids[node]))
            if not sets:
                found[node] = empty
                continue
            found[node] = sets[0] if len(sets) == 1 else sets[0].union(*sets[1:])
        return found

    def _symbolic(self, nodes: list[Expr]) -> set[Expr]:
        """The nodes that contain a symbol."""
        found: set[Expr] = set()
        kids = self.kids
        for node in nodes:
            if isinstance(node, Sym) or not found.isdisjoint(kids[node]):
                found.add(node)
        return found

    def _absorbed_powers(self, nodes: list[Expr], symbolic: set[Expr]) -> set[Expr]:
        """Single-use integer powers inside products: written as factors, never computed alone."""
        absorbed: set[Expr] = set()
        roots = set(self.roots)
        for node in nodes:
            if isinstance(node, Mul):
                for factor in self.kids[node]:
                    if (
                        isinstance(factor, Pow)
                        and self.counts.get(factor) == 1
                        and factor not in roots
                        and expanded_exponent(factor.exp) is not None
                        and factor in symbolic
                    ):
                        absorbed.add(factor)
        return absorbed

    def _lower(self, node: Expr) -> Tree:
        match node:
            case Sym():
                return ("arg", self.arg_index[node])
            case Add():
                return self._sum([self.tree[t] for t in self.kids[node]])
            case Mul():
                return self._product(self.kids[node])
            case Pow(base, exponent):
                if expanded_exponent(exponent) is None:
                    return ("call", "pow", (self.tree[base], self.tree[exponent]))
                return self._product((node,))
            case Call(name, (u,)) if name in IDENTITY:
                return self.tree[u]
            case Call(name, args):
                trees = tuple(self.tree[a] for a in args)
                if name in RECIPROCAL_OF:
                    return ("product", (), (("call", RECIPROCAL_OF[name], trees),))
                if name in OF_RECIPROCAL:
                    return ("call", OF_RECIPROCAL[name], (("product", (), trees),))
                return ("call", name, trees)
        raise TypeError(f"cannot lower {type(node).__name__}")

    def _sum(self, trees: list[Tree]) -> Tree:
        terms = [(True, t[1]) if t[0] == "neg" else (False, t) for t in trees]
        factored = common_factors(terms)
        if factored is not None:
            numerators, denominators, rest = factored
            inner = self._sum([("neg", t) if negative else t for negative, t in rest])
            if inner[0] == "neg":
                return ("neg", ("product", (*numerators, inner[1]), denominators))
            return ("product", (*numerators, inner), denominators)
        # a positive term first reads better (y - x rather than -x + y); constants go last
        terms.sort(key=lambda term: (term[0], term[1][0] in ("const", "ratio")))
        while len(terms) > MAX_OPERANDS:
            head = self.emit(("sum", tuple(terms[:MAX_OPERANDS])))
            terms = [(False, head), *terms[MAX_OPERANDS:]]
        if terms[0][0]:
            return ("neg", ("sum", tuple((not neg, t) for neg, t in terms)))
        return ("sum", tuple(terms))

    def _product(self, factors: Sequence[Expr]) -> Tree:
        negative = False
        numerators: list[Tree] = []
        denominators: list[Tree] = []
        for factor in factors:
            exponent = expanded_exponent(factor.exp) if isinstance(factor, Pow) else None
            if isinstance(factor, Num):
                negative ^= factor.value < 0
                if abs(factor.value) != 1:
                    numerators.insert(0, constant_tree(abs(factor.value)))
            elif exponent is None or factor in self.tree:
                tree = self.tree[factor]
                if tree[0] == "neg":
                    negative, tree = not negative, tree[1]
                if tree[0] == "product":  # an inline product (the rest of c*u*v): flatten it
                    numerators.extend(tree[1])
                    denominators.extend(tree[2])
                elif tree != ONE_TREE:
                    numerators.append(tree)
            else:
                assert isinstance(factor, Pow)  # only powers have an expanded exponent
                base = self.tree[factor.base]
                side = numerators if exponent > 0 else denominators
                side.extend(self._power_factors(base, -exponent if exponent < 0 else exponent))
        numerators = constants_first(numerators)
        numerators = self._chunked(numerators)
        denominators = self._chunked(denominators)
        if len(numerators) == 1 and not denominators:
            tree = numerators[0]
        else:
            tree = ("product", tuple(numerators), tuple(denominators))
        return ("neg", tree) if negative else tree

    def _chunked(self, trees: list[Tree]) -> list[Tree]:
        while len(trees) > MAX_OPERANDS:
            trees = [self.emit(("product", tuple(trees[:MAX_OPERANDS]), ())),
                     *trees[MAX_OPERANDS:]]  # fmt: skip
        return trees


def lower(
    roots: Sequence[Expr], args: Sequence[Sym], recompute: bool = False,
    stable: Collection[str] | None = None,
) -> Program:  # fmt: skip
    """Straight-line code computing ``roots`` from ``args`` (every free symbol must be an arg).

    ``stable`` (the names of functions the target prints) applies the stable-evaluation rows
    of ``stable.py`` first (``log(1 + exp(u)) -> softplus(u)``, …); None gives literal code.

    With ``recompute``, a shared node that is one operation on atoms (``x*x``, ``x - y``) is
    written out at each use instead of being stored: for whole arrays, a fresh allocation costs
    more than one more pass (NumPy reuses the temporaries of an expression in place).
    """
    with no_collection():  # trees and rebuilt nodes: acyclic objects only
        roots = inline_defined_all(roots)  # user-defined functions by their bodies
        if stable is not None:
            roots = stabilize(roots, stable)
        return _Lowering(roots, args, recompute).run()
