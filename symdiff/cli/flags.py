"""The command's options as data: one table that both readers of the command line are made from.

``GROUPS`` lists the options in the order ``--help`` shows them: the top-level ones, then one
group per part of the command (its module, its ``--help`` title, its options), each option as
its flags and its argparse settings.  ``arguments.build_parser`` turns the table into the
argparse parser, which reads everything (``--help``, abbreviations, ``--wrt=x``, formulas that
start with '-', usage errors); ``parse_common`` reads the common spellings from the same table
without importing argparse (start-up: argparse, with ``gettext`` and ``locale``, and building the
parser cost about a fifth of ``symdiff "x**2" --wrt x``) and gives up, returning None, on every
word it does not know, so that argparse reads it instead.  Both give the same namespace.
"""

from __future__ import annotations

from types import SimpleNamespace

from symdiff import __version__

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (start-up; type checkers read it as True)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    #: An option: its flags (or a positional's name) and its ``add_argument`` settings.
    Option = tuple[tuple[str, ...], dict[str, Any]]

FORMAT_CHOICES = ("text", "latex", "json", "tree")
EMIT_TARGETS = ("python", "numpy", "c")
ACCURACY_TARGETS = ("numpy", "python", "c")
ACCURACY_CODES = ("both", "stable", "literal")
#: Points ``--accuracy`` measures when ``--points`` is not given (mpmath costs about 2 ms a point).
DEFAULT_POINTS = 1000
METHOD_CHOICES = ("symbolic", "forward", "reverse", "numeric", "all")

#: The options outside the groups (argparse's own ``-h/--help`` comes first).
TOP: tuple[Option, ...] = (
    (("formula",), {"nargs": "?", "help": "the formula, or - to read one per line"}),
    (("--version",), {"action": "version", "version": f"symdiff {__version__}"}),
    (("--debug",), {"action": "store_true", "help": "show tracebacks of internal errors"}),
)

#: (module, title, options) per group; a mode's module runs when its group's options are given.
GROUPS: tuple[tuple[str, str, tuple[Option, ...]], ...] = (
    ("options", "derivative", (
        (("--wrt", "-w"), {"action": "append", "metavar": "VAR", "help": "differentiate with "
         "respect to VAR (repeat for mixed partials; optional when the formula has one "
         "variable)"}),
        (("--order", "-n"), {"type": int, "default": 1, "metavar": "N", "help": "differentiate "
         "N times with respect to each --wrt variable (default 1)"}),
        (("--functions",), {"metavar": "F,G", "default": None, "help": "names of unknown "
         "functions the formula uses: f(x), g(x, y)"}),
        (("--define",), {"metavar": "FILE", "default": None, "help": "define functions from "
         "FILE, one a line: softclip(x, k) = log(1 + exp(k*x))/k"}),
        (("--no-simplify",), {"dest": "simplify", "action": "store_false", "help": "print the "
         "raw derivative (by default it is simplified)"}),
    )),
    ("render", "presentation", (
        (("--format", "-f"), {"choices": FORMAT_CHOICES, "default": "text", "help": "how to "
         "write results: text (Python syntax, the default), latex, json (the tree, read back by "
         "symdiff.from_json) or tree (an indented picture)"}),
        (("--cse",), {"choices": ("auto", "always", "never"), "default": "auto", "help": "name "
         "shared subexpressions t0, t1, ... (auto: when the output is shared and large)"}),
    )),
    ("implicit", "implicit differentiation", (
        (("--implicit",), {"metavar": "Y", "help": "the formula is an equation (lhs = rhs) "
         "defining Y as a function of the --wrt variable: print dY/dx (--order N for the N-th "
         "derivative, --steps for the derivation)"}),
        (("--use-relation",), {"action": "store_true", "help": "with --implicit: put the "
         "equation back in where it shortens the result"}),
    )),
    ("check", "check an answer", (
        (("--check",), {"metavar": "ANSWER", "help": "say whether ANSWER is the derivative "
         "(--wrt, --order) of the formula, with a proof or a counterexample point"}),
    )),
    # (the accuracy options after --accuracy default to None: "not given", see accuracy.run)
    ("accuracy", "accuracy of the generated code", (
        (("--accuracy",), {"action": "store_true", "help": "measure the errors of the code "
         "compiled for the formula and its gradient against mpmath: median and max ulps, the "
         "worst relative error and where, non-finite outputs (needs NumPy and mpmath)"}),
        (("--domain",), {"metavar": "DOMAIN", "help": "where --accuracy samples, e.g. "
         "x=-1000:1000,y=0:1 (x=1e-9:1:log for log-uniform; bounds may be formulas: "
         "x=-pi:pi); default every variable in [-1000, 1000]"}),
        (("--target",), {"choices": ACCURACY_TARGETS, "default": None, "help": "the code "
         "--accuracy measures (default numpy)"}),
        (("--points",), {"type": int, "metavar": "N", "default": None, "help": "random points "
         f"--accuracy measures (default {DEFAULT_POINTS})"}),
        (("--code",), {"choices": ACCURACY_CODES, "default": None, "help": "what --accuracy "
         "measures: the stable code (the default of compile), the literal code (stable=False), "
         "or both at the same points (default both)"}),
        (("--seed",), {"type": int, "metavar": "S", "default": None, "help": "the random "
         "points' seed for --accuracy (default 0)"}),
    )),
    ("emit", "code generation", (
        (("--emit",), {"choices": EMIT_TARGETS, "metavar": "TARGET", "help": "print a python, "
         "numpy or c function computing the derivative (with --grad: the value and the "
         "gradient together)"}),
        (("--name",), {"default": "f", "metavar": "NAME", "help": "name of the emitted function "
         "(default f; reserved words get a trailing _)"}),
    )),
    ("point", "values at a point", (
        (("--at",), {"metavar": "POINT", "help": "evaluate at POINT, e.g. x=3,y=4 (values may "
         "be formulas: x=pi/4); prints the value and every partial derivative"}),
        (("--method",), {"choices": METHOD_CHOICES, "default": None, "help": "how to compute "
         "the partials at --at (default symbolic); 'all' compares the four methods: gradient, "
         "error against symbolic, and cost"}),
        (("--trace",), {"action": "store_true", "help": "print the evaluation trace (Wengert "
         "list) at --at: one row per DAG node with its operation, value, tangent and adjoint"}),
        (("--graph",), {"metavar": "FILE", "help": "draw the computation graph to FILE (.dot, "
         "or .svg/.png/.pdf with Graphviz), labelled with values and adjoints when --at is "
         "given"}),
    )),
    ("grad", "gradient, Hessian, Jacobian (use --wrt to pick variables)", (
        (("--grad",), {"action": "store_true", "help": "all first derivatives, one line per "
         "variable (d/dx = ...)"}),
        (("--hessian",), {"action": "store_true", "help": "second derivatives d2/dxdy, each "
         "distinct entry once"}),
        (("--jacobian",), {"action": "store_true", "help": "derivatives of several "
         'comma-separated formulas: "x*y, x + y**2"'}),
        (("--sparse",), {"action": "store_true", "help": "with --jacobian/--hessian: the "
         "sparsity pattern and only the nonzero entries (with --emit: code filling a CSC data "
         "array)"}),
    )),
    ("steps", "step by step", (
        (("--steps",), {"dest": "steps", "action": "store_const", "const": "brief", "help":
         "explain the derivative step by step, naming the rule of each step"}),
        # "--steps=all" is an option string of its own, so "--steps FORMULA" never eats the
        # formula
        (("--steps=all",), {"dest": "steps", "action": "store_const", "const": "all", "help":
         "the same, also showing the trivial steps (constants, the variable itself)"}),
    )),
)  # fmt: skip


class Arguments(SimpleNamespace):
    """The command's arguments, whichever reader read them: one attribute per option (named as
    argparse names them) and ``formula``."""


def group_flags(module: str) -> tuple[str, ...]:
    """The first flag of each option of the group of ``module``, in table order."""
    return next(tuple(o[0][0] for o in options) for m, _, options in GROUPS if m == module)


def dest_of(flags: tuple[str, ...], settings: dict[str, Any]) -> str:
    """The attribute an option sets, named as argparse names it."""
    if "dest" in settings:
        return str(settings["dest"])
    if not flags[0].startswith("-"):
        return flags[0]
    long = next((f for f in flags if f.startswith("--")), flags[0])
    return long.lstrip("-").replace("-", "_")


def default_of(settings: dict[str, Any]) -> Any:
    """An option's value when it is not given, as argparse's actions have it."""
    implied = {"store_true": False, "store_false": True}.get(settings.get("action", "store"))
    return settings.get("default", implied)


def _index() -> tuple[dict[str, Any], dict[str, tuple[str, dict[str, Any]]]]:
    """Every attribute's default (the first option of a shared attribute sets it, as in
    argparse), and each flag's (attribute, settings)."""
    defaults: dict[str, Any] = {}
    by_flag: dict[str, tuple[str, dict[str, Any]]] = {}
    for flags, settings in (*TOP, *(o for _, _, options in GROUPS for o in options)):
        if settings.get("action") == "version":  # (argparse sets no attribute for it)
            continue
        dest = dest_of(flags, settings)
        defaults.setdefault(dest, default_of(settings))
        by_flag.update((flag, (dest, settings)) for flag in flags if flag.startswith("-"))
    return defaults, by_flag


_DEFAULTS, _BY_FLAG = _index()
#: The actions ``parse_common`` reads; anything else (``--version``) goes to argparse.
_ACTIONS = frozenset({"store", "append", "store_true", "store_false", "store_const"})


def parse_common(argv: list[str]) -> Arguments | None:
    """The arguments argparse would give for ``argv``, read from the table without argparse, or
    None when ``argv`` has a word this reader leaves to argparse.

    It reads at most one positional (the formula: any word that does not start with '-', or
    '-' itself) and the options of the table spelled exactly as their flags, each value in the
    next word (one that does not start with '-').  It leaves to argparse: ``--help``,
    ``--version``, abbreviations (``--hess``), ``--wrt=x``, ``-wx``, ``--``, a formula starting
    with '-', a value starting with '-', a second formula, a missing value, and a value that
    its type or its choices refuse (so that every error message is argparse's).
    """
    values = dict(_DEFAULTS)
    formula_given = False
    words = iter(argv)
    for word in words:
        if not word.startswith("-") or word == "-":
            if formula_given:
                return None
            values["formula"], formula_given = word, True
            continue
        known = _BY_FLAG.get(word)
        if known is None:
            return None
        dest, settings = known
        action = settings.get("action", "store")
        if action not in _ACTIONS or "nargs" in settings:
            return None
        if action == "store_true":
            values[dest] = True
        elif action == "store_false":
            values[dest] = False
        elif action == "store_const":
            values[dest] = settings["const"]
        else:
            value: Any = next(words, None)
            if value is None or value.startswith("-"):
                return None
            if "type" in settings:
                try:
                    value = settings["type"](value)
                except (TypeError, ValueError):
                    return None
            if "choices" in settings and value not in settings["choices"]:
                return None
            values[dest] = [*(values[dest] or ()), value] if action == "append" else value
    return Arguments(**values)


def given_groups(args: object) -> set[str]:
    """Titles of the groups with at least one option set away from its default."""
    return {
        title
        for _, title, options in GROUPS
        if any(getattr(args, dest_of(flags, settings), default_of(settings))
               != default_of(settings) for flags, settings in options)
    }  # fmt: skip
