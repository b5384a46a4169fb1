"""Generated C as a CPython extension module: calls without ``ctypes`` marshalling.

``ctypes`` costs microseconds per call (argument conversion, a pointer array, NumPy's
``.ctypes``); a ``METH_FASTCALL`` function of a real extension module costs what a builtin
costs.  The module wraps ``c_vector``'s ``symdiff_vector`` twice:

- ``point(*values)``: inputs then parameters as Python floats (or ints), returns a float (one
  output, ``single``) or a tuple; any other argument (arrays, NumPy scalars, wrong count) goes
  to a Python ``fallback`` set with ``set_fallback``, which handles broadcasting and errors;
- ``vector(x, p, out)``: ``x``, ``p`` C-contiguous float64 buffers (``x`` 1-D or 2-D with
  ``inputs`` columns), ``out`` one of the result's size or ``None`` (then allocated by calling
  the ``empty`` set with ``set_fallback``, i.e. ``numpy.empty``).  It returns
  ``NotImplemented`` for anything else, and the caller takes its general (converting) path.

The module goes through the same build cache as every C library (``cache.py``: private
directory, digest checked before loading, embedded key checked after), built with the
interpreter's include directory; it is imported from the verified path under a name derived
from its source.  Without ``Python.h`` (no development headers), ``available()`` is False and
callers use ``ctypes``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from symdiff.backend.build import LARGE, SMALL, load_verified
from symdiff.backend.c_vector import ENTRY

#: Python.h comes first: it sets feature macros the system headers read.
HEADER = "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
TEMPLATE = r"""
static PyObject *symdiff_fallback = NULL, *symdiff_empty = NULL;

static PyObject *symdiff_py_point(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    double _v[@ARGS1@], _o[@OUT1@];
    Py_ssize_t k = 0;
    if (nargs == @ARGS@) {
        for (; k < nargs; ++k) {
            if (PyFloat_CheckExact(args[k]))
                _v[k] = PyFloat_AS_DOUBLE(args[k]);
            else if (PyLong_CheckExact(args[k])) {
                _v[k] = PyLong_AsDouble(args[k]);
                if (_v[k] == -1.0 && PyErr_Occurred())
                    return NULL;
            } else
                break;
        }
    }
    if (nargs != @ARGS@ || k < nargs) {
        if (!symdiff_fallback) {
            PyErr_SetString(PyExc_TypeError, "@NAME@ takes @ARGS@ float arguments");
            return NULL;
        }
        return PyObject_Vectorcall(symdiff_fallback, args, nargs, NULL);
    }
    @ENTRY@(1, _v, _v + @INPUTS@, _o);
@RETURN@}

static int symdiff_doubles(PyObject *object, Py_buffer *view, int flags)
{
    if (PyObject_GetBuffer(object, view, flags | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyErr_Clear();
        return 0;
    }
    if (view->itemsize != 8 || !view->format || strcmp(view->format, "d") != 0) {
        PyBuffer_Release(view);
        return 0;
    }
    return 1;
}

static PyObject *symdiff_py_vector(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer x, p, out;
    PyObject *target, *made = NULL, *shape, *result;
    long points;
    int failed;
    if (nargs != 3 || !symdiff_doubles(args[0], &x, PyBUF_ND))
        Py_RETURN_NOTIMPLEMENTED;
    if ((x.ndim != 1 && x.ndim != 2) || x.shape[x.ndim - 1] != @INPUTS@) {
        PyBuffer_Release(&x);
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (!symdiff_doubles(args[1], &p, PyBUF_ND)) {
        PyBuffer_Release(&x);
        Py_RETURN_NOTIMPLEMENTED;
    }
    points = x.ndim == 2 ? (long)x.shape[0] : 1;
    result = Py_NotImplemented;
    target = args[2];
    if (p.ndim != 1 || p.shape[0] != @PARAMS@ || (target == Py_None && !symdiff_empty))
        goto done;
    if (target == Py_None) {
        shape = x.ndim == 2 ? Py_BuildValue("(ni)", (Py_ssize_t)points, @OUTPUTS@)
                            : Py_BuildValue("(i)", @OUTPUTS@);
        made = shape ? PyObject_CallOneArg(symdiff_empty, shape) : NULL;
        Py_XDECREF(shape);
        if (!made) {
            result = NULL;
            goto done;
        }
        target = made;
    }
    if (!symdiff_doubles(target, &out, PyBUF_ND | PyBUF_WRITABLE))
        goto done;
    if (out.ndim == x.ndim && out.shape[out.ndim - 1] == @OUTPUTS@
        && (x.ndim == 1 || out.shape[0] == x.shape[0])) {
        if (points > 1) {
            Py_BEGIN_ALLOW_THREADS
            failed = @ENTRY@(points, (const double *)x.buf, (const double *)p.buf,
                             (double *)out.buf);
            Py_END_ALLOW_THREADS
        } else
            failed = @ENTRY@(points, (const double *)x.buf, (const double *)p.buf,
                             (double *)out.buf);
        result = failed ? PyErr_NoMemory() : target;
    }
    PyBuffer_Release(&out);
done:
    Py_XINCREF(result);
    Py_XDECREF(made);
    PyBuffer_Release(&x);
    PyBuffer_Release(&p);
    return result;
}

static PyObject *symdiff_py_set_fallback(PyObject *self, PyObject *args)
{
    PyObject *fallback, *empty;
    if (!PyArg_ParseTuple(args, "OO", &fallback, &empty))
        return NULL;
    Py_XDECREF(symdiff_fallback);
    Py_XDECREF(symdiff_empty);
    Py_INCREF(fallback);
    Py_INCREF(empty);
    symdiff_fallback = fallback;
    symdiff_empty = empty;
    Py_RETURN_NONE;
}

static PyMethodDef symdiff_methods[] = {
    {"point", (PyCFunction)(void (*)(void))symdiff_py_point, METH_FASTCALL, "one point"},
    {"vector", (PyCFunction)(void (*)(void))symdiff_py_vector, METH_FASTCALL, "(x, p, out)"},
    {"set_fallback", symdiff_py_set_fallback, METH_VARARGS, "(fallback, empty)"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef symdiff_module = {
    PyModuleDef_HEAD_INIT, "@MODULE@", "Generated by symdiff.", -1, symdiff_methods
};

PyMODINIT_FUNC PyInit_@MODULE@(void)
{
    return PyModule_Create(&symdiff_module);
}
"""


def include_directory() -> Path | None:
    """The interpreter's ``Python.h`` directory, or None if its headers are not installed."""
    import sysconfig

    include = sysconfig.get_paths().get("include")
    if include and (Path(include) / "Python.h").is_file():
        return Path(include)
    return None


def available() -> bool:
    """Whether extension modules can be built here (CPython with its headers)."""
    import platform

    return platform.python_implementation() == "CPython" and include_directory() is not None


def module_source(unit: str, inputs: int, params: int, outputs: int, single: bool,
                  name: str = "f") -> tuple[str, str]:  # fmt: skip
    """The extension module around ``unit`` (``c_vector.vector_source``) and its name."""
    if single:
        returned = "    return PyFloat_FromDouble(_o[0]);\n"
    else:
        items = "".join(f"    PyTuple_SET_ITEM(_r, {k}, PyFloat_FromDouble(_o[{k}]));\n"
                        for k in range(outputs))  # fmt: skip
        returned = (
            f"    PyObject *_r = PyTuple_New({outputs});\n    if (!_r)\n        return NULL;\n"
        )
        returned += items + "    return _r;\n"
    body = (
        TEMPLATE.replace("@ARGS1@", str(max(inputs + params, 1)))
        .replace("@OUT1@", str(max(outputs, 1)))
        .replace("@ARGS@", str(inputs + params))
        .replace("@INPUTS@", str(inputs))
        .replace("@PARAMS@", str(params))
        .replace("@OUTPUTS@", str(outputs))
        .replace("@ENTRY@", ENTRY)
        .replace("@NAME@", name)
        .replace("@RETURN@", returned)
    )
    text = HEADER + unit + body
    module = f"symdiff_ext_{hashlib.sha256(text.encode()).hexdigest()[:24]}"
    return text.replace("@MODULE@", module), module


def load_module(source: str, module: str, large: bool, compiler: str | None,
                cache_dir: str | os.PathLike | None) -> Any:  # fmt: skip
    """Build (or take from the cache) and import the extension module ``module``."""
    import importlib.machinery
    import importlib.util

    include = ("-I" + str(include_directory()),)
    library, path = load_verified(source, compiler, cache_dir, LARGE if large else SMALL, include)
    loader = importlib.machinery.ExtensionFileLoader(module, str(path))
    spec = importlib.util.spec_from_file_location(module, str(path), loader=loader)
    assert spec is not None
    extension: Any = importlib.util.module_from_spec(spec)
    loader.exec_module(extension)
    extension.__symdiff_library__ = library  # keeps the checked handle alive
    return extension
