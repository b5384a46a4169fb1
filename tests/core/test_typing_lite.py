"""``symdiff.core.typing_lite``: the run-time stand-ins behave as ``typing``'s own names."""

from __future__ import annotations

import pickle
import subprocess
import sys
import typing

import pytest

from symdiff.core import typing_lite


class Lite(typing_lite.NamedTuple):
    """A record."""

    a: int
    b: str = "b"

    def twice(self) -> int:
        return 2 * self.a


class Real(typing.NamedTuple):
    """A record."""

    a: int
    b: str = "b"

    def twice(self) -> int:
        return 2 * self.a


def test_named_tuple_matches_typing() -> None:
    lite, real = Lite(3), Real(3)
    assert tuple(lite) == tuple(real) == (3, "b")
    assert Lite._fields == Real._fields and Lite._field_defaults == Real._field_defaults
    assert lite.twice() == real.twice() == 6
    assert lite._replace(b="c") == (3, "c") and lite._asdict() == real._asdict()
    assert repr(lite) == repr(real).replace("Real", "Lite")
    assert Lite.__doc__ == Real.__doc__ and Lite.__module__ == Real.__module__
    assert Lite.__qualname__ == "Lite" and issubclass(Lite, tuple)
    assert pickle.loads(pickle.dumps(lite)) == lite
    with pytest.raises(TypeError):
        Lite()  # a field without a default


def test_named_tuple_rejects_what_typing_rejects() -> None:
    with pytest.raises(TypeError):

        class _Order(typing_lite.NamedTuple):
            a: int = 1
            b: int

    with pytest.raises(AttributeError):

        class _Fields(typing_lite.NamedTuple):
            a: int
            _fields = ("x",)


def test_inert_stand_ins() -> None:
    assert typing_lite.cast(int, "x") == "x"
    assert typing_lite.TYPE_CHECKING is False
    T = typing_lite.TypeVar("T")

    class Box(typing_lite.NamedTuple, typing_lite.Generic[T]):  # type: ignore[misc]
        item: T

    assert Box(1).item == 1


def test_the_cli_derivative_imports_no_typing() -> None:
    code = (
        "import sys\nfrom symdiff.cli import main\nmain(['x**2*y+y+2', '--wrt', 'x'])\n"
        "assert 'typing' not in sys.modules, 'typing'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True)
