"""``symdiff.error_report``: errors of generated code against mpmath, and where they occur."""

from __future__ import annotations

import math

import pytest

import symdiff

pytest.importorskip("mpmath", reason="error_report needs mpmath")


def test_literal_softplus_overflows_and_the_stable_one_does_not() -> None:
    domain = {"x": (-1000.0, 1000.0)}
    literal = symdiff.error_report("log(1 + exp(x))", domain, points=200, stable=False)
    stable = symdiff.error_report("log(1 + exp(x))", domain, points=200)
    assert [o.label for o in stable.outputs] == ["f", "df/dx"]
    # exp overflows beyond x = 709.78: the literal value is inf there, the gradient nan
    assert literal.outputs[0].nonfinite > 0 and literal.worst.worst_at["x"] > 709
    assert literal.worst.worst_relative == math.inf
    assert all(o.nonfinite == 0 for o in stable.outputs)
    assert all(o.max_ulp <= 2 for o in stable.outputs)
    assert "non-finite" in str(stable) and "df/dx" in str(stable)


def test_cancellation_is_measured_not_hidden() -> None:
    """log(1 + x) computed literally loses all digits for tiny x; the reference does not."""
    domain = {"x": (1e-20, 1e-10, "log")}
    report = symdiff.error_report("log(1 + x)", domain, points=50, stable=False, grad=False)
    assert report.outputs[0].median_ulp > 1e3
    assert report.worst.worst_relative > 1e-8
    good = symdiff.error_report("log(1 + x)", domain, points=50, grad=False)
    assert good.outputs[0].max_ulp <= 1


def test_points_without_a_finite_true_value_are_skipped() -> None:
    report = symdiff.error_report("log(x)", {"x": (-1.0, 1.0)}, points=100, grad=False)
    assert 20 < report.skipped < 80  # log of a negative number has no real value
    assert report.outputs[0].max_ulp <= 1


def test_python_target() -> None:
    report = symdiff.error_report("log(exp(x) + exp(y))", {"x": (-800, 800), "y": (-800, 800)},
                                  points=100, target="python")  # fmt: skip
    assert all(o.nonfinite == 0 for o in report.outputs)


def test_domain_must_cover_the_symbols() -> None:
    with pytest.raises(symdiff.CodegenError, match="depend on y"):
        symdiff.error_report("x*y", {"x": (0, 1)}, points=10)


def test_compare_accuracy_measures_both_codes_at_the_same_points() -> None:
    """exp overflows beyond log(DBL_MAX) ≈ 709.78: the literal sigmoid is inf/inf there."""
    both = symdiff.compare_accuracy("exp(x)/(exp(x) + 1)", "x=710:1000", points=10)
    stable, literal = both.reports
    assert (stable.stable, literal.stable) == (True, False)
    assert [o.nonfinite for o in literal.outputs] == [10, 10]
    assert [o.nonfinite for o in stable.outputs] == [0, 0]
    assert "stable (default)" in str(both) and "literal" in str(both)
    assert both.to_dict()["reports"][1]["outputs"][0]["worst_relative"] == "inf"


def test_parse_domain_and_the_default_domain() -> None:
    assert symdiff.parse_domain("x=-pi:pi, y=1e-9:1:log") == {
        "x": (-math.pi, math.pi), "y": (1e-9, 1.0, "log"),
    }  # fmt: skip
    report = symdiff.error_report("sin(x)", points=5, grad=False)
    assert report.domain == {"x": (-1000.0, 1000.0)}
    with pytest.raises(symdiff.CodegenError, match="name=lo:hi"):
        symdiff.parse_domain("x=0")
