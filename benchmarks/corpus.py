"""The benchmark corpus: classic formulas plus seeded random expressions of three sizes.

Import it from other benchmarks::

    from corpus import CORPUS, CASES, REPRESENTATIVE, formula

``CORPUS`` is a list of ``Formula(name, text, variables, size_class)``; ``CASES`` expands it to
one ``(name, text, variable, size_class)`` per variable to differentiate by.  Random formulas
are generated from fixed seeds, so the corpus is the same on every machine and every run.
"""

from __future__ import annotations

import random
import re
from typing import NamedTuple


class Formula(NamedTuple):
    """One corpus entry: a name, its text, the variables to differentiate by, a size class."""

    name: str
    text: str
    variables: tuple[str, ...]
    size_class: str


class Case(NamedTuple):
    """One derivative to compute: ``d text / d variable``."""

    name: str
    text: str
    variable: str
    size_class: str


CLASSICS: list[tuple[str, str, str]] = [
    ("poly_cubic", "x**3 - 2*x**2 + 5*x - 7", "x"),
    ("poly_bivariate", "x**3*y**2 + 3*x*y - y**4", "x y"),
    ("rational_quadratic", "(x**2 + 1)/(x - 1)", "x"),
    ("rational_cancel", "(x**2 - 1)/(x**2 + 2*x + 1)", "x"),
    ("rational_linear_quadratic", "(3*x + 2)/(x**2 + x + 1)", "x"),
    ("cubic_over_linear", "(x**3 - 1)/(x - 1)", "x"),
    ("power_tower", "x**x", "x"),
    ("x_pow_sin", "x**sin(x)", "x"),
    ("nested_exp", "exp(exp(x))", "x"),
    ("nested_trig", "sin(cos(tan(x)))", "x"),
    ("softplus", "log(1 + exp(x))", "x"),
    ("sigmoid", "1/(1 + exp(-x))", "x"),
    ("swish", "x/(1 + exp(-x))", "x"),
    ("tanh_unit", "tanh(w0*x + w1)", "w0 w1"),
    ("mish", "x*tanh(log(1 + exp(x)))", "x"),
    ("gelu_erf", "x*(1 + erf(x/sqrt(2)))/2", "x"),
    ("gaussian_pdf", "exp(-(x - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi))", "x mu sigma"),
    ("logistic_loss", "log(1 + exp(-y*(w0*x + w1)))", "w0 w1"),
    (
        "black_scholes_call",
        "S*(1 + erf((log(S/K) + (r + sigma**2/2)*T)/(sigma*sqrt(2*T))))/2"
        " - K*exp(-r*T)*(1 + erf((log(S/K) + (r - sigma**2/2)*T)/(sigma*sqrt(2*T))))/2",
        "S sigma",
    ),
    ("planck_law", "2*h*nu**3/(c**2*(exp(h*nu/(k*T)) - 1))", "nu T"),
    ("relativistic_energy", "m*c**2/sqrt(1 - v**2/c**2)", "v"),
    ("energy_momentum", "sqrt(p**2*c**2 + m**2*c**4)", "p"),
    ("product_chain", "x*sin(x)*exp(x)*log(x)", "x"),
    ("trig_quotient", "sin(x)/(1 + cos(x))", "x"),
    ("euclidean_norm", "sqrt(x**2 + y**2)", "x y"),
    ("atan2_angle", "atan2(y, x)", "x y"),
    ("asin_ratio", "asin(x)/sqrt(1 - x**2)", "x"),
    ("log_ratio", "log((1 + x)/(1 - x))", "x"),
    ("softmax_pair", "exp(x)/(exp(x) + exp(y))", "x"),
    ("lennard_jones", "4*eps*((s/r)**12 - (s/r)**6)", "r"),
    ("damped_oscillator", "A*exp(-b*t)*cos(w*t + phi)", "t"),
    ("logsumexp", "log(exp(x) + exp(y) + exp(z))", "x"),
    ("trig_powers", "sin(x)**3*cos(x)**2", "x"),
    ("tan_sec", "tan(x)**2 + 1/cos(x)", "x"),
    ("hyperbolic_mix", "sinh(x)*cosh(x)/(1 + sinh(x)**2)", "x"),
    ("abs_powers", "abs(x)**3 + sqrt(x**2)", "x"),
    ("inverse_sqrt", "1/sqrt(1 + x**2)", "x"),
    ("three_halves", "(1 + x**2)**(3/2)", "x"),
    ("x_over_log", "x/log(x)", "x"),
    ("binary_entropy", "-x*log(x) - (1 - x)*log(1 - x)", "x"),
    ("rosenbrock", "(1 - x)**2 + 100*(y - x**2)**2", "x y"),
    ("exp_quadratic", "exp(x**2 + 3*x + 2)", "x"),
    ("log_quadratic", "log(x**2 + 3*x + 2)", "x"),
    ("atan_moebius", "atan((x - 1)/(x + 1))", "x"),
    ("cos_sqrt", "cos(sqrt(x**2 + 1))", "x"),
    ("generalized_bell", "1/(1 + ((x - c)/a)**(2*b))", "x b"),
]

#: Five formulas that stand for the corpus (for benchmarks that cannot run everything).
REPRESENTATIVE: list[str] = [
    "gaussian_pdf",
    "black_scholes_call",
    "planck_law",
    "logistic_loss",
    "random_medium_0",
]

SIZE_CLASSES: dict[str, int] = {"small": 10, "medium": 50, "large": 200}
RANDOM_PER_CLASS = 8
RANDOM_VARIABLES = ("x", "y", "z")
_FUNCTIONS = ("sin", "cos", "exp", "log", "sqrt", "tanh", "atan")


def random_formula(nodes: int, seed: int) -> str:
    """A random formula of about ``nodes`` nodes over x, y, z (deterministic in ``seed``)."""
    rng = random.Random(seed)

    def build(budget: int) -> str:
        if budget <= 1:
            choice = rng.random()
            if choice < 0.75:
                return rng.choice(RANDOM_VARIABLES)
            return str(rng.randint(1, 5))
        kind = rng.random()
        if kind < 0.25:
            return f"{rng.choice(_FUNCTIONS)}({build(budget - 1)})"
        if kind < 0.33:
            return f"({build(budget - 1)})**{rng.choice((2, 3))}"
        left = rng.randint(1, budget - 2) if budget > 2 else 1
        operator = rng.choice(("+", "-", "*", "/", "*", "+"))
        return f"({build(left)} {operator} {build(budget - 1 - left)})"

    return build(nodes)


def _acceptable(text: str, nodes: int) -> bool:
    """Parses, keeps about ``nodes`` nodes after canonicalising (no ``y - y``, no ``1/0``)."""
    import symdiff

    try:
        size = symdiff.tree_size(symdiff.parse(text))
    except symdiff.SymdiffError:
        return False
    return 0.6 * nodes <= size <= 1.6 * nodes


def _random_formulas() -> list[Formula]:
    formulas = []
    for size_class, nodes in SIZE_CLASSES.items():
        seed = 1000 * nodes
        for i in range(RANDOM_PER_CLASS):
            text = random_formula(nodes, seed)
            while not _acceptable(text, nodes):
                seed += 1
                text = random_formula(nodes, seed)
            seed += 1
            used = tuple(v for v in RANDOM_VARIABLES if re.search(rf"\b{v}\b", text))
            formulas.append(Formula(f"random_{size_class}_{i}", text, used or ("x",), size_class))
    return formulas


CORPUS: list[Formula] = [
    Formula(name, text, tuple(variables.split()), "classic") for name, text, variables in CLASSICS
] + _random_formulas()

CASES: list[Case] = [
    Case(f.name, f.text, variable, f.size_class) for f in CORPUS for variable in f.variables
]


def formula(name: str) -> Formula:
    """The corpus entry called ``name``."""
    for entry in CORPUS:
        if entry.name == name:
            return entry
    raise KeyError(name)


if __name__ == "__main__":
    for entry in CORPUS:
        print(
            f"{entry.size_class:8s} {entry.name:28s} d/d {','.join(entry.variables):10s} "
            f"{entry.text}"
        )
    print(f"{len(CORPUS)} formulas, {len(CASES)} derivatives")
