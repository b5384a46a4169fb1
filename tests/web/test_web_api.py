"""The JSON API of ``symdiff serve``, through a real HTTP client against a real server process.

Derivatives are judged by SymPy; bad, huge and slow input must get clear 4xx answers without a
traceback; 200 requests sent at once must all be answered correctly.
"""

from __future__ import annotations

import http.client
import json
import shutil
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import sympy
from oracle import to_sympy
from webserver import post, running_server

from symdiff.web import api

X = sympy.Symbol("x", real=True)


@pytest.fixture(scope="module")
def server() -> str:
    with running_server("--workers", "2", "--time-limit", "3") as base:
        yield base


def same(text: str, expected: sympy.Expr) -> bool:
    return sympy.simplify(to_sympy(text) - expected) == 0


def assert_clean_error(status: int, payload: dict, text: str, code: str | None = None) -> None:
    assert 400 <= status < 500, (status, text)
    assert "Traceback" not in text and 'File "' not in text
    assert payload["error"]["message"]
    if code is not None:
        assert payload["error"]["code"] == code, payload


def test_the_page_and_its_files_are_served(server: str) -> None:
    with urllib.request.urlopen(server, timeout=30) as response:
        page = response.read().decode("utf-8")
        assert response.headers["Content-Type"].startswith("text/html")
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert '<script src="/static/app.js"' in page and "cdn" not in page.lower()
    for path in ("static/app.js", "static/style.css", "favicon.svg"):
        with urllib.request.urlopen(server + path, timeout=30) as response:
            assert response.status == 200 and response.read()


def test_api_documents_endpoints_and_limits(server: str) -> None:
    with urllib.request.urlopen(server + "api", timeout=30) as response:
        described = json.loads(response.read())
    assert set(described["endpoints"]) == {f"POST /api/{name}" for name in api.ENDPOINTS}
    assert described["limits"]["seconds"] == 3  # the --time-limit given
    assert described["limits"]["formula_chars"] == api.LIMITS["formula_chars"]


@pytest.mark.parametrize(
    "formula", ["x**2*sin(x)", "exp(-x^2/2)", "log(x)/x", "sqrt(1 + x**2)*atan(x)", "x**x"]
)
def test_diff_matches_sympy(server: str, formula: str) -> None:
    status, data, _ = post(server, "diff", {"formula": formula})
    assert status == 200
    expected = sympy.diff(to_sympy(formula.replace("^", "**")), X)
    assert same(data["derivative"]["text"], expected)
    assert same(data["raw"]["text"], expected)
    assert data["derivative"]["mathml"].startswith("<math")
    assert data["derivative"]["latex"]
    code = data["derivative"]["code"]
    assert "def df_dx(x)" in code["python"] and "np." in code["numpy"] + "import numpy"
    assert "double" in code["c"]


def test_higher_order_and_mixed_partials(server: str) -> None:
    status, data, _ = post(server, "diff", {"formula": "x**3*y**2", "wrt": ["x", "y"]})
    assert status == 200 and same(
        data["derivative"]["text"], 6 * X**2 * sympy.Symbol("y", real=True)
    )
    status, data, _ = post(server, "diff", {"formula": "sin(x)", "order": 3})
    assert status == 200 and same(data["derivative"]["text"], -sympy.cos(X))


def test_parse_error_gives_the_position(server: str) -> None:
    status, data, text = post(server, "parse", {"formula": "x + * 2"})
    assert_clean_error(status, data, text, "parse_error")
    error = data["error"]
    assert error["field"] == "formula" and error["position"] == 4 and error["column"] == 5
    assert error["context"].splitlines()[1].index("^") == 4
    status, data, text = post(server, "check", {"formula": "x**2", "answer": "2*x)"})
    assert_clean_error(status, data, text, "parse_error")
    assert data["error"]["field"] == "answer" and data["error"]["position"] == 3


BAD_REQUESTS = [
    ({}, "missing_field"),
    ({"formula": 3}, "bad_field"),
    ({"formula": "x*y"}, "choose_variable"),
    ({"formula": "x", "order": "two"}, "bad_field"),
    ({"formula": "x", "order": 0}, "out_of_range"),
    ({"formula": "x", "order": 99}, "out_of_range"),
    ({"formula": "x", "wrt": ["x", "y", "z", "w"]}, "bad_field"),
    ({"formula": "x", "wrt": "x y"}, "bad_field"),
    ({"formula": "x", "wrt": 5}, "bad_field"),
    ({"formula": "sin(x, y)"}, "parse_error"),
    ({"formula": "1/0"}, "parse_error"),
    ({"formula": ""}, "parse_error"),
]


@pytest.mark.parametrize(("body", "code"), BAD_REQUESTS)
def test_bad_input_gets_a_clear_4xx(server: str, body: dict, code: str) -> None:
    status, data, text = post(server, "diff", body)
    assert_clean_error(status, data, text, code)


def test_bad_requests_at_the_http_level(server: str) -> None:
    assert_clean_error(*post(server, "diff", None, raw=b"{not json"), "bad_json")
    assert_clean_error(*post(server, "diff", None, raw=b"\xff\xfe"), "bad_json")
    assert_clean_error(*post(server, "diff", [1, 2]), "bad_request")
    assert_clean_error(*post(server, "nothing", {"formula": "x"}), "not_found")
    wrong_type = post(server, "diff", {"formula": "x"}, headers={"Content-Type": "text/plain"})
    assert_clean_error(*wrong_type, "json_only")
    foreign = post(server, "diff", {"formula": "x"}, headers={"Origin": "http://evil.example"})
    assert_clean_error(*foreign, "forbidden_origin")
    rebound = post(server, "diff", {"formula": "x"}, headers={"Host": "evil.example"})
    assert_clean_error(*rebound, "forbidden_host")
    address = urlsplit(server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("POST", "/api/diff")
    connection.putheader("Content-Type", "application/json")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 411 and b"Traceback" not in response.read()
    connection.request("GET", "/api/diff")
    response = connection.getresponse()
    assert response.status == 405 and json.loads(response.read())["error"]["code"]
    connection.request("DELETE", "/")
    response = connection.getresponse()
    assert response.status == 501 and json.loads(response.read())["error"]["code"] == "http_501"
    connection.close()


def test_huge_input_is_refused(server: str) -> None:
    body = {"formula": "x+" * 40_000 + "x"}  # an 80 kB body
    assert_clean_error(*post(server, "diff", body), "too_large")
    long_formula = {"formula": "x+" * 1_500 + "x"}
    assert_clean_error(*post(server, "diff", long_formula), "too_long")
    many_parts = "+".join(f"x**{k}" for k in range(2, 262))  # 522 parts, 1792 characters
    status, data, text = post(server, "diff", {"formula": many_parts})
    assert_clean_error(status, data, text, "too_complex")


def test_too_much_work_is_stopped_and_the_server_goes_on(server: str) -> None:
    slow = {"formula": "sin(x)*exp(x)/(x**2 + 1)*log(x + 2)*atan(x)", "order": 8}
    status, data, text = post(server, "diff", slow)
    assert_clean_error(status, data, text, "too_much_work")
    status, data, _ = post(server, "diff", {"formula": "x**3"})
    assert status == 200 and same(data["derivative"]["text"], 3 * X**2)


def test_two_hundred_parallel_requests_are_all_answered(server: str) -> None:
    def ask(k: int) -> tuple[int, int, str]:
        status, data, _ = post(server, "diff", {"formula": f"x**{k} + {k}*x"}, timeout=300)
        return k, status, data.get("derivative", {}).get("text", "")

    with ThreadPoolExecutor(max_workers=200) as pool:
        answers = list(pool.map(ask, range(2, 202)))
    assert len(answers) == 200
    for k, status, text in answers:
        assert status == 200, (k, status)
        assert same(text, k * X ** (k - 1) + k), (k, text)


def test_steps(server: str) -> None:
    status, data, _ = post(server, "steps", {"formula": "x**2*sin(x)"})
    assert status == 200
    rules = [step["rule"] for step in data["steps"]]
    assert "product" in rules and "power" in rules
    assert same(data["steps"][-1]["result"], sympy.diff(X**2 * sympy.sin(X), X))
    assert all(step["mathml"].startswith("<math") for step in data["steps"])


def test_plot_has_gaps_where_f_is_undefined(server: str) -> None:
    status, data, _ = post(server, "plot", {"formula": "1/x", "from": -2, "to": 2})
    assert status == 200 and data["svg"].startswith("<svg")
    f_path = data["svg"].split('data-label="f" d="')[1].split('"')[0]
    assert f_path.count("M") >= 2  # the pole at 0 breaks the line
    status, data, _ = post(server, "plot", {"formula": "log(x)", "second": True})
    assert [c["label"] for c in data["curves"]] == ["f", "f\u2032", "f\u2033"]
    samples = api.LIMITS["plot_samples"]
    assert all(0 < c["defined"] < samples for c in data["curves"])  # nothing for x <= 0
    status, data, text = post(server, "plot", {"formula": "x", "from": 3, "to": 1})
    assert_clean_error(status, data, text, "bad_range")


def test_graph_at_a_point(server: str) -> None:
    body = {"formula": "x*y + sin(x)", "point": {"x": 1, "y": "pi"}}
    status, data, _ = post(server, "graph", body)
    assert status == 200
    assert data["value"] == pytest.approx(sympy.pi.evalf() + sympy.sin(1).evalf())
    assert data["gradient"]["x"] == pytest.approx(float(sympy.pi + sympy.cos(1)))
    assert data["gradient"]["y"] == pytest.approx(1.0)
    assert "adj" in data["dot"]
    if shutil.which("dot"):
        assert data["svg"].startswith("<svg") and "adj" in data["svg"]
    else:
        assert data["svg"] is None and "Graphviz" in data["message"]
    missing = post(server, "graph", {"formula": "x*y", "point": {"x": 1}})
    assert_clean_error(*missing, "missing_value")


def test_graph_without_graphviz(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` to be found
    status, data = api.respond("graph", {"formula": "x**2", "point": {"x": 3}})
    assert status == 200 and data["svg"] is None
    assert "Graphviz" in data["message"] and data["dot"].startswith("digraph")
    assert data["gradient"] == {"x": 6.0}


def test_check(server: str) -> None:
    right = {"formula": "x**2*sin(x)", "answer": "2*x*sin(x) + x**2*cos(x)"}
    status, data, _ = post(server, "check", right)
    assert status == 200 and data["correct"] is True and data["reason"] == "proof"
    wrong = {"formula": "sin(x)**2", "answer": "2*sin(x)"}
    status, data, _ = post(server, "check", wrong)
    assert status == 200 and data["correct"] is False
    point = data["counterexample"]["point"]["x"]
    assert data["counterexample"]["expected"] == pytest.approx(float(sympy.sin(2 * point)))
    assert data["counterexample"]["answer"] == pytest.approx(float(2 * sympy.sin(point)))


def test_internal_errors_have_no_traceback(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def broken(body: dict) -> dict:
        raise KeyError("boom")

    monkeypatch.setitem(api.ENDPOINTS, "parse", broken)
    status, data = api.respond("parse", {"formula": "x"})
    assert status == 500 and data["error"]["code"] == "internal"
    assert "boom" not in json.dumps(data) and "Traceback" in capsys.readouterr().err
