"""The page of ``symdiff serve`` in a real headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium; no browser is downloaded).

Skipped, with the reason, where the browser, its driver or Selenium is missing.  A screenshot
is taken in every run; ``SYMDIFF_SCREENSHOT=docs/screenshot.png`` also writes it there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sympy
from oracle import to_sympy
from webserver import running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(
        "needs Chromium and its driver (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the test extra)")
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

X = sympy.Symbol("x", real=True)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1100,1900",
]  # fmt: skip


@pytest.fixture(scope="module")
def server() -> str:
    with running_server("--workers", "2") as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except WebDriverException as error:
        pytest.skip(f"Chromium could not be started: {error.msg}")
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout: float = 60):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(f"timed out; the page logged {driver.get_log('browser')}") from None


def visible_text(driver, element_id: str) -> str:
    element = driver.find_element(By.ID, element_id)
    return element.text if element.is_displayed() else ""


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def type_formula(driver, box: str, text: str) -> None:
    field = driver.find_element(By.ID, box)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)


def derivative_text(driver) -> str:
    return driver.find_element(By.ID, "simplified-text").get_attribute("textContent")


def no_page_errors(driver) -> None:
    """No script error and no Content-Security-Policy violation (4xx answers to bad formulas
    are logged by the browser as network errors: those are expected)."""
    log = driver.get_log("browser")
    errors = [e for e in log if e["level"] == "SEVERE" and e.get("source") != "network"]
    assert not errors, errors


def test_type_a_formula_and_see_its_derivative(server: str, browser) -> None:
    open_page(browser, server)
    type_formula(browser, "formula", "x^2*sin(x)")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#preview math"))
    wait_for(browser, lambda d: derivative_text(d))
    expected = sympy.diff(X**2 * sympy.sin(X), X)
    assert sympy.simplify(to_sympy(derivative_text(browser)) - expected) == 0
    equation = browser.find_element(By.CSS_SELECTOR, "#equation math")
    assert equation.is_displayed() and equation.size["width"] > 100  # typeset, not raw markup
    raw = browser.find_element(By.ID, "raw-text").get_attribute("textContent")
    assert sympy.simplify(to_sympy(raw) - expected) == 0
    no_page_errors(browser)


def test_a_parse_error_is_marked_in_the_box(server: str, browser) -> None:
    open_page(browser, server)
    type_formula(browser, "formula", "x + * 2")
    wait_for(browser, lambda d: visible_text(d, "formula-error"))
    assert "unexpected '*'" in visible_text(browser, "formula-error")
    mark = browser.find_element(By.CSS_SELECTOR, "#formula-highlights mark")
    assert mark.text == "*"
    assert browser.find_element(By.ID, "formula").get_attribute("aria-invalid") == "true"
    # the mark sits under the '*' in the box: 4 characters of a monospace font from the start
    box = browser.find_element(By.ID, "formula-highlights").rect
    padding = browser.execute_script(
        "return parseFloat(getComputedStyle(document.getElementById('formula')).paddingLeft)"
    )
    offset = mark.rect["x"] - box["x"] - padding
    assert abs(offset - 4 * mark.rect["width"]) < 2, (offset, mark.rect)
    type_formula(browser, "formula", "x + 2")
    wait_for(browser, lambda d: not visible_text(d, "formula-error"))


def test_steps_open_and_name_their_rules(server: str, browser) -> None:
    open_page(browser, server + "?f=x**2*sin(x)")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#steps li"))
    steps = browser.find_element(By.ID, "steps-section")
    assert steps.get_attribute("open") is None  # collapsed until asked for
    steps.find_element(By.TAG_NAME, "summary").click()
    items = wait_for(
        browser,
        lambda d: [li for li in d.find_elements(By.CSS_SELECTOR, "#steps li") if li.is_displayed()],
    )
    rules = " ".join(item.find_element(By.CLASS_NAME, "rule").text for item in items)
    assert "product" in rules and "power" in rules
    assert all(item.find_elements(By.TAG_NAME, "math") for item in items)


def test_the_plot_is_drawn(server: str, browser) -> None:
    open_page(browser, server + "?f=tan(x)")
    curves = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plot path.curve"))
    assert [c.get_attribute("data-label") for c in curves] == ["f", "f\u2032"]
    assert all(c.size["width"] > 300 for c in curves)  # drawn across the plot
    assert curves[0].get_attribute("d").count("M") >= 3  # broken at the poles of tan
    browser.find_element(By.ID, "second").click()
    wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#plot path.curve")) == 3)
    assert "second=1" in browser.current_url


def test_the_computation_graph(server: str, browser) -> None:
    open_page(browser, server + "?f=x*y%2Bsin(x)&wrt=x&at=x%3D1,y%3D2")
    wait_for(browser, lambda d: visible_text(d, "graph-values"))
    values = visible_text(browser, "graph-values")
    assert "f = " in values and "\u2202f/\u2202y = 1" in values
    if shutil.which("dot"):
        assert browser.find_elements(By.CSS_SELECTOR, "#graph svg")
    else:
        assert "Graphviz" in visible_text(browser, "graph-note")


def check_answer(browser, answer: str) -> str:
    type_formula(browser, "answer", answer)
    browser.find_element(By.ID, "check").click()
    return wait_for(
        browser,
        lambda d: (
            visible_text(d, "verdict") and d.find_element(By.ID, "verdict").get_attribute("class")
        ),
    )


def test_check_a_right_and_a_wrong_answer(server: str, browser) -> None:
    open_page(browser, server)
    type_formula(browser, "formula", "sin(x)^2")
    wait_for(browser, lambda d: derivative_text(d))
    assert check_answer(browser, "2 sin(x) cos(x)") == "correct"
    assert "Correct" in visible_text(browser, "verdict")
    assert check_answer(browser, "2 sin(x)") == "incorrect"
    assert "at x = 1" in visible_text(browser, "verdict")
    type_formula(browser, "answer", "2 sin(x")
    browser.find_element(By.ID, "check").click()
    wait_for(browser, lambda d: visible_text(d, "answer-error"))
    assert browser.find_element(By.CSS_SELECTOR, "#answer-highlights mark")


def test_copy_buttons(server: str, browser) -> None:
    open_page(browser, server + "?f=x**3")
    wait_for(browser, lambda d: derivative_text(d))
    for kind, fragment in (("latex", "x^{2}"), ("python", "def df_dx(x)"), ("c", "double")):
        browser.find_element(By.CSS_SELECTOR, f"button[data-copy={kind}]").click()
        shown = wait_for(
            browser,
            lambda d, k=kind: (
                d.find_element(By.ID, "copied").get_attribute("data-kind") == k
                and d.find_element(By.ID, "copied").text
            ),
        )
        assert fragment in shown


def test_reload_from_a_shared_url(server: str, browser, tmp_path: Path) -> None:
    open_page(browser, server)
    type_formula(browser, "formula", "exp(-x^2/2)*y")
    wait_for(browser, lambda d: derivative_text(d))
    browser.find_element(By.ID, "order").clear()
    browser.find_element(By.ID, "order").send_keys("2", Keys.TAB)
    wait_for(browser, lambda d: "order=2" in d.current_url)
    type_formula(browser, "answer", "(x**2 - 1)*exp(-x**2/2)*y")
    browser.find_element(By.ID, "check").click()
    wait_for(browser, lambda d: "answer=" in d.current_url)
    shared = browser.current_url
    query = parse_qs(urlsplit(shared).query)
    assert query["f"] == ["exp(-x^2/2)*y"] and query["wrt"] == ["x"] and query["order"] == ["2"]

    open_page(browser, "about:blank")
    open_page(browser, shared)
    wait_for(browser, lambda d: derivative_text(d))
    assert browser.find_element(By.ID, "formula").get_attribute("value") == "exp(-x^2/2)*y"
    assert browser.find_element(By.ID, "order").get_attribute("value") == "2"
    expected = sympy.diff(sympy.exp(-(X**2) / 2) * sympy.Symbol("y", real=True), X, 2)
    assert sympy.simplify(to_sympy(derivative_text(browser)) - expected) == 0
    wait_for(browser, lambda d: visible_text(d, "verdict"))
    assert browser.find_element(By.ID, "verdict").get_attribute("class") == "correct"
    no_page_errors(browser)


def test_screenshot(server: str, browser, tmp_path: Path) -> None:
    url = server + "?f=x%5E2*sin(x)&second=1&answer=2x%20sin(x)"
    open_page(browser, url)
    wait_for(browser, lambda d: visible_text(d, "verdict"))
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plot path.curve"))
    browser.find_element(By.CSS_SELECTOR, "#steps-section summary").click()
    wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#steps li").is_displayed())
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1100, min(max(height + 200, 900), 4000))
    path = tmp_path / "symdiff-page.png"
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 20_000
    target = os.environ.get("SYMDIFF_SCREENSHOT")
    if target:
        shutil.copyfile(path, target)
    browser.set_window_size(1100, 1900)
