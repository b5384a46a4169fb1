"""The C text of generated extension modules (see ``extension.py``): templates whose
``@NAME@`` holes ``module_source`` fills."""

from __future__ import annotations

import hashlib

from symdiff.backend.c import units_of, with_units

#: Python.h comes first: it sets feature macros the system headers read.
HEADER = "#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n"
POINT = r"""
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
    @CALL@
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

"""

VECTOR = r"""
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

"""

COLUMNS = r"""
static PyObject *symdiff_py_columns(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer *views;
    const double **pointers;
    PyObject *result = NULL;
    Py_ssize_t got = 0, n = 0, k;
    if (nargs != @ARGS@ + 1) {
        PyErr_SetString(PyExc_TypeError, "columns(out, *arrays) takes @ARGS@ arrays");
        return NULL;
    }
    views = PyMem_Malloc((@ARGS@ + 1) * sizeof(Py_buffer));
    pointers = PyMem_Malloc(@ARGS1@ * sizeof(double *));
    if (!views || !pointers) {
        PyErr_NoMemory();
        goto done;
    }
    for (; got < nargs; ++got)
        if (!symdiff_doubles(args[got], &views[got], got ? PyBUF_ND : PyBUF_ND | PyBUF_WRITABLE)) {
            PyErr_SetString(PyExc_TypeError, "columns takes C-contiguous float64 arrays");
            goto done;
        }
    n = views[0].len / 8 / (@OUTPUTS@ ? @OUTPUTS@ : 1);
    for (k = 1; k < nargs; ++k) {
        if (views[k].len / 8 != n) {
            PyErr_SetString(PyExc_ValueError, "columns: arrays of different lengths");
            goto done;
        }
        pointers[k - 1] = (const double *)views[k].buf;
    }
    Py_BEGIN_ALLOW_THREADS
    @PACKED@((long)n, pointers, (double *)views[0].buf);
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    for (k = 0; k < got; ++k)
        PyBuffer_Release(&views[k]);
    PyMem_Free(views);
    PyMem_Free((void *)pointers);
    return result;
}

"""

SETTER = r"""
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

"""

MODULE = r"""
static PyMethodDef symdiff_methods[] = {
@METHODS@    {"set_fallback", symdiff_py_set_fallback, METH_VARARGS, "(fallback, empty)"},
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


METHODS = {
    "point": '    {"point", (PyCFunction)(void (*)(void))symdiff_py_point, METH_FASTCALL, '
    '"one point"},\n',
    "vector": '    {"vector", (PyCFunction)(void (*)(void))symdiff_py_vector, METH_FASTCALL, '
    '"(x, p, out)"},\n',
    "columns": '    {"columns", (PyCFunction)(void (*)(void))symdiff_py_columns, METH_FASTCALL, '
    '"(out, *arrays)"},\n',
}


def module_source(
    unit: str, *, inputs: int, params: int, outputs: int, single: bool, call: str,
    packed: str = "", name: str = "f",
) -> tuple[str, str]:  # fmt: skip
    """The extension module around the C ``unit`` and the module's name (from its text).

    ``point`` fills ``_v`` (inputs, then params) and runs ``call`` to fill ``_o``; with
    ``packed`` (the name of ``c.py``'s pointer-array driver) the module has ``columns``, else
    ``vector`` (``c_vector.ENTRY``)."""
    if single:
        returned = "    return PyFloat_FromDouble(_o[0]);\n"
    else:
        returned = f"    PyObject *_r = PyTuple_New({outputs});\n"
        returned += "    if (!_r)\n        return NULL;\n"
        returned += "".join(
            f"    PyTuple_SET_ITEM(_r, {k}, PyFloat_FromDouble(_o[{k}]));\n" for k in range(outputs)
        )
        returned += "    return _r;\n"
    kind = "columns" if packed else "vector"
    body = POINT + (COLUMNS if packed else VECTOR) + SETTER + MODULE
    holes = {
        "@METHODS@": METHODS["point"] + METHODS[kind],
        "@CALL@": call,
        "@RETURN@": returned,
        "@ARGS1@": str(max(inputs + params, 1)),
        "@OUT1@": str(max(outputs, 1)),
        "@ARGS@": str(inputs + params),
        "@INPUTS@": str(inputs),
        "@PARAMS@": str(params),
        "@OUTPUTS@": str(outputs),
        "@ENTRY@": "symdiff_vector",
        "@PACKED@": packed,
        "@NAME@": name,
    }
    for hole, text in holes.items():
        body = body.replace(hole, text)
    first, further = units_of(unit)
    text = with_units(HEADER + first + body, further)
    module = f"symdiff_ext_{hashlib.sha256(text.encode()).hexdigest()[:24]}"
    return text.replace("@MODULE@", module), module
