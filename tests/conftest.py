"""Shared test configuration: Hypothesis profiles and the ``--soak`` flag."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

import symdiff
from symdiff.calculus import tracing
from symdiff.core.nodes import Expr

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
settings.register_profile(
    "soak",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true", help="run long fuzz/soak tests")


class InternalTruthTest(BaseException):
    """Package code took the truth value of an expression (a BaseException, so that no
    ``except Exception`` inside the package can hide it)."""


_PACKAGE = os.path.dirname(symdiff.__file__) + os.sep
_TRUTH_TESTS: list[str] = []


def _guarded_truth(self: Expr) -> bool:
    """``bool(expr)`` for the whole suite: refused in package code, then the tracing guard.

    ``if expr:`` means "is this a Python object", which is always true, but inside ``trace`` it
    is a branch on a symbolic value; package code must never do it (issue 10, item 6).
    """
    caller = sys._getframe(1).f_code
    if caller.co_filename.startswith(_PACKAGE):
        where = f"{caller.co_filename}:{sys._getframe(1).f_lineno} ({caller.co_name})"
        _TRUTH_TESTS.append(where)
        raise InternalTruthTest(f"package code took the truth value of an expression at {where}")
    return tracing._truth_while_tracing(self)


def pytest_configure(config: pytest.Config) -> None:
    soak = config.getoption("--soak") or os.environ.get("SYMDIFF_SOAK") == "1"
    settings.load_profile("soak" if soak else "ci")
    type.__setattr__(Expr, "__bool__", _guarded_truth)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _TRUTH_TESTS:  # even if some caller swallowed the exception
        print("\npackage code took the truth value of an expression:", *sorted(set(_TRUTH_TESTS)))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--soak"):
        return
    skip = pytest.mark.skip(reason="soak test: run with --soak")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)
