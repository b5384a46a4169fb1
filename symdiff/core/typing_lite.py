"""The few ``typing`` names the package uses at run time, without importing ``typing``.

Importing ``typing`` costs about as much as the rest of the core together (in a regular install
it is a tenth of ``symdiff "x**2" --wrt x``).  Annotations are strings (``from __future__ import
annotations``), so a module needs ``typing`` only for type checkers::

    from symdiff.core.typing_lite import TYPE_CHECKING, NamedTuple

    if TYPE_CHECKING:
        from typing import Any

Type checkers see ``typing``'s own names here (the ``if TYPE_CHECKING`` branch); at run time
``NamedTuple`` builds the same ``collections.namedtuple`` class as ``typing.NamedTuple`` (fields
and defaults from the annotations, methods and docstring from the class body), and ``Generic``,
``Protocol``, ``TypeVar`` and ``cast`` are inert stand-ins.
"""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Generic as Generic
    from typing import NamedTuple as NamedTuple
    from typing import Protocol as Protocol
    from typing import TypeVar as TypeVar
    from typing import cast as cast
else:
    from collections import namedtuple

    #: What the class body may not set (as ``typing.NamedTuple``).
    _PROHIBITED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
         "_make", "_replace", "_asdict", "_source"}
    )  # fmt: skip
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__", "__qualname__"})

    class _NamedTupleMeta(type):
        def __new__(mcls, name, bases, namespace):
            if not any(isinstance(base, _NamedTupleMeta) for base in bases):
                return super().__new__(mcls, name, bases, namespace)  # NamedTuple itself
            fields = list(namespace.get("__annotations__", {}))
            defaults = []
            for field in fields:
                if field in namespace:
                    defaults.append(namespace[field])
                elif defaults:
                    raise TypeError(f"non-default field {field!r} follows a default field")
            made = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
            made.__annotations__ = made.__new__.__annotations__ = dict(
                namespace.get("__annotations__", {})
            )
            made.__qualname__ = namespace.get("__qualname__", name)
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in fields:
                    setattr(made, key, value)
            return made

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base of a named tuple class, as ``typing.NamedTuple``."""

    class Generic:
        """``Generic[T]`` as a base: nothing at run time."""

        def __class_getitem__(cls, item):
            return cls

    class Protocol:
        """A protocol class: nothing at run time."""

    def TypeVar(name, *constraints, **options):
        """A type variable's name (type variables are only read by type checkers)."""
        return name

    def cast(kind, value):
        """``value`` itself, as ``typing.cast``."""
        return value
