"""The CLI accuracy mode: ``symdiff FORMULA --accuracy`` over ``symdiff.compare_accuracy``.

Expected facts come from float64 itself: ``exp`` overflows beyond log(DBL_MAX) ≈ 709.78, so the
literal ``exp(x)/(exp(x) + 1)`` is inf/inf = nan there while the true value is about 1 (and its
derivative, about exp(-x), is a finite float64, possibly 0.0); the true values of softplus and
its derivative (the logistic function) are finite everywhere.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import pytest

from symdiff.cli import main

pytest.importorskip("numpy")
pytest.importorskip("mpmath", reason="--accuracy needs mpmath")

#: The largest x with exp(x) a finite float64: log(DBL_MAX).
EXP_OVERFLOW = math.log(sys.float_info.max)
SIGMOID = "exp(x)/(exp(x) + 1)"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _strict(text: str) -> Any:
    """``text`` as strict JSON: NaN and Infinity are refused."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    status, out, err = run(capsys, *argv, "--format", "json")
    assert status == 0, err
    document: dict[str, Any] = _strict(out)
    return document


def test_softplus_has_no_nonfinite_output_with_the_default_stable_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "log(1+exp(x))", "--accuracy", "--points", "40")
    assert status == 0, err
    rows = [line.split() for line in out.splitlines() if "stable (default)" in line]
    assert [row[0] for row in rows] == ["f", "df/dx"]
    assert all(row[6] == "0" for row in rows)  # the non-finite column
    assert "literal" in out and "x in [-1000, 1000]" in out
    document = _json(capsys, "log(1+exp(x))", "--accuracy", "--points", "40", "--code", "stable")
    (report,) = document["reports"]
    assert report["stable"] is True and report["skipped"] == 0
    assert [o["nonfinite"] for o in report["outputs"]] == [0, 0]


def test_literal_code_overflows_beyond_log_dbl_max(capsys: pytest.CaptureFixture[str]) -> None:
    # every point above the overflow: every literal output is non-finite, no stable one is
    argv = [SIGMOID, "--accuracy", "--domain", "x=710:1000", "--points", "12"]
    stable, literal = _json(capsys, *argv)["reports"]
    assert (stable["stable"], literal["stable"]) == (True, False)
    assert literal["skipped"] == 0  # the true values are finite
    assert [o["nonfinite"] for o in literal["outputs"]] == [12, 12]
    assert [o["nonfinite"] for o in stable["outputs"]] == [0, 0]
    assert all(o["worst_relative"] == "inf" for o in literal["outputs"])
    # over the whole range: non-finite outputs, and the first one found lies above the overflow
    (wide,) = _json(capsys, SIGMOID, "--accuracy", "--points", "30", "--code", "literal")["reports"]
    value = wide["outputs"][0]
    assert value["nonfinite"] > 0 and value["nonfinite_at"]["x"] > EXP_OVERFLOW
    assert value["worst_at"]["x"] > EXP_OVERFLOW


def test_json_is_one_strict_document(capsys: pytest.CaptureFixture[str]) -> None:
    document = _json(
        capsys, "x*log(y)", "--accuracy", "--domain", "x=-1:1,y=1e-9:1e9:log", "--points", "8",
        "--target", "python",
    )  # fmt: skip
    assert len(document["reports"]) == 2
    for report in document["reports"]:
        assert report["target"] == "python" and report["points"] == 8
        assert report["domain"] == {"x": [-1.0, 1.0], "y": [1e-9, 1e9, "log"]}
        assert [o["label"] for o in report["outputs"]] == ["f", "df/dx", "df/dy"]
        for output in report["outputs"]:
            assert set(output) >= {"median_ulp", "max_ulp", "worst_relative", "worst_at",
                                   "nonfinite"}  # fmt: skip
            assert output["worst_at"]["y"] > 0 and -1 <= output["worst_at"]["x"] <= 1


def test_bounds_may_be_constant_formulas(capsys: pytest.CaptureFixture[str]) -> None:
    (report,) = _json(capsys, "sin(x)", "--accuracy", "--domain", "x=-pi:pi/2", "--points", "5",
                      "--code", "stable")["reports"]  # fmt: skip
    lo, hi = report["domain"]["x"]
    assert lo == -math.pi and hi == math.pi / 2


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--emit", "c"], "--emit"),
        (["--steps"], "--steps"),
        (["--at", "x=1"], "--at"),
        (["--wrt", "x"], "--wrt"),
        (["--hessian"], "--hessian"),
        (["--format", "latex"], "--format latex"),
        (["--check", "1"], "--check"),
    ],
)
def test_clashing_options_exit_2_naming_both(
    capsys: pytest.CaptureFixture[str], extra: list[str], named: str
) -> None:
    status, out, err = run(capsys, "x**2", "--accuracy", "--points", "3", *extra)
    assert status == 2 and out == ""
    assert "--accuracy" in err and named in err and len(err.splitlines()) == 1, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--points", "3"], "--points goes with --accuracy"),
        (["--accuracy", "--points", "0"], "points must be"),
        (["--accuracy", "--domain", "x=1:0"], "bad interval for x"),
        (["--accuracy", "--domain", "x=0..1"], "name=lo:hi"),
        (["--accuracy", "--domain", "x=0:1:cubic"], "bad interval for x"),
        (["--accuracy", "--domain", "y=0:1"], "the domain does not cover"),
        (["--accuracy", "--domain", "x=0:sin(y)"], "bad bound"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, _, err = run(capsys, "x**2", *argv)
    assert status == 2
    assert message in err and len(err.splitlines()) == 1, err
    assert "Traceback" not in err


def test_without_mpmath_a_one_line_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mpmath", None)  # import mpmath raises ImportError
    status, _, err = run(capsys, "x**2", "--accuracy", "--points", "3")
    assert status == 2
    assert "mpmath" in err and len(err.splitlines()) == 1 and "Traceback" not in err
