// symdiff's page: plain JavaScript over the JSON API (POST /api/<name>); no framework.
"use strict";

const $ = (id) => document.getElementById(id);
const DEFAULTS = { order: "1", from: "-5", to: "5", second: "", at: "", answer: "" };
let latest = null; // the last /api/diff answer
let previewTimer = null;
let previewSeq = 0;
let computeSeq = 0;
let checkAfterCompute = false;

async function api(name, body) {
  let response;
  try {
    response = await fetch("/api/" + name, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    return { error: { code: "offline", message: "the symdiff server does not answer: is it still running?" } };
  }
  try {
    return await response.json();
  } catch (error) {
    return { error: { code: "bad_response", message: "the server answered " + response.status + " without JSON" } };
  }
}

// MathML and SVG come from the server, built from parsed formulas (names escaped there).
function setMarkup(element, markup) {
  element.innerHTML = markup || "";
}

function status(text) {
  $("status").textContent = text || "";
}

// ---- the formula boxes: errors are marked at their position --------------------------------

function markError(prefix, error) {
  const input = $(prefix);
  const text = input.value;
  const field = $(prefix + "-field");
  const box = $(prefix + "-error");
  const highlights = $(prefix + "-highlights");
  highlights.textContent = "";
  if (!error) {
    highlights.textContent = text;
    field.classList.remove("invalid");
    input.removeAttribute("aria-invalid");
    box.hidden = true;
    box.textContent = "";
    return;
  }
  if (typeof error.position === "number") {
    const at = Math.min(error.position, text.length);
    const mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + 1) || " ";
    highlights.append(text.slice(0, at), mark, text.slice(at + 1));
  } else {
    highlights.textContent = text;
  }
  field.classList.add("invalid");
  input.setAttribute("aria-invalid", "true");
  box.hidden = false;
  box.textContent = error.message + (error.column ? " (column " + error.column + ")" : "");
  if (error.context) {
    const caret = document.createElement("span");
    caret.className = "caret";
    caret.textContent = error.context;
    box.append(caret);
  }
  syncScroll(prefix);
}

function syncScroll(prefix) {
  $(prefix + "-highlights").scrollLeft = $(prefix).scrollLeft;
}

function showError(error) {
  if (error.field === "formula" || error.field === "answer") {
    markError(error.field, error);
  } else {
    status(error.message);
  }
}

// ---- shareable state in the URL --------------------------------------------------------------

function currentState() {
  return {
    f: $("formula").value,
    wrt: $("wrt").value,
    order: $("order").value,
    from: $("from").value,
    to: $("to").value,
    second: $("second").checked ? "1" : "",
    at: $("at").value,
    answer: $("answer").value,
  };
}

function saveState() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(currentState())) {
    if (value && DEFAULTS[key] !== value) params.set(key, value);
  }
  const query = params.toString();
  history.replaceState(null, "", query ? "?" + query : location.pathname);
}

function loadState() {
  const params = new URLSearchParams(location.search);
  $("formula").value = params.get("f") || "";
  if (params.get("wrt")) setVariables([params.get("wrt")], params.get("wrt"));
  $("order").value = params.get("order") || DEFAULTS.order;
  $("from").value = params.get("from") || DEFAULTS.from;
  $("to").value = params.get("to") || DEFAULTS.to;
  $("second").checked = params.get("second") === "1";
  $("at").value = params.get("at") || "";
  $("answer").value = params.get("answer") || "";
  markError("formula", null);
  markError("answer", null);
  return Boolean(params.get("f"));
}

// ---- live preview and the derivative -------------------------------------------------------

function setVariables(names, keep) {
  const select = $("wrt");
  const chosen = keep || select.value;
  const list = names.length ? names : ["x"];
  select.textContent = "";
  for (const name of list) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    select.append(option);
  }
  select.value = list.includes(chosen) ? chosen : list[0];
}

function schedulePreview() {
  markError("formula", null);
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 250);
}

async function preview() {
  const text = $("formula").value;
  const mine = ++previewSeq;
  if (!text.trim()) {
    setMarkup($("preview"), "");
    return;
  }
  const data = await api("parse", { formula: text });
  if (mine !== previewSeq) return; // the user typed on
  if (data.error) {
    setMarkup($("preview"), "");
    showError(data.error);
    return;
  }
  markError("formula", null);
  setMarkup($("preview"), data.formula.mathml);
  setVariables(data.variables);
  compute();
}

async function compute() {
  const text = $("formula").value;
  if (!text.trim()) return;
  const mine = ++computeSeq;
  status("working…");
  const body = { formula: text, wrt: $("wrt").value, order: Number($("order").value) };
  const data = await api("diff", body);
  if (mine !== computeSeq) return;
  if (data.error) {
    showError(data.error);
    if (data.error.field !== "formula") status(data.error.message);
    return;
  }
  status("");
  latest = data;
  showDerivative(data);
  saveState();
  showSteps();
  showPlot();
  showGraph();
  if (checkAfterCompute) {
    checkAfterCompute = false;
    checkAnswer();
  }
}

function showDerivative(data) {
  $("result-section").hidden = false;
  const derivative = data.derivative;
  setMarkup($("equation"), data.equation || "");
  const note = $("result-note");
  note.hidden = !derivative.note;
  note.textContent = derivative.note || "";
  if (!data.equation) {
    $("equation").textContent = derivative.text;
  }
  $("simplified-text").textContent = derivative.text;
  setMarkup($("raw-math"), data.raw.mathml || "");
  $("raw-text").textContent = data.raw.text;
  $("copied").hidden = true;
  $("copy-status").textContent = "";
}

function ruleLabel(step) {
  let label = step.rule;
  if (step.detail && step.detail !== step.rule) label += ": " + step.detail;
  if (step.uses.length && step.rule !== "simplify") label += "; uses " + step.uses.join(", ");
  return label;
}

async function showSteps() {
  const list = $("steps");
  const note = $("steps-note");
  list.textContent = "";
  if ($("order").value !== "1") {
    note.hidden = false;
    note.textContent = "Steps are shown for first derivatives.";
    return;
  }
  const data = await api("steps", { formula: $("formula").value, wrt: $("wrt").value });
  if (data.error) {
    note.hidden = false;
    note.textContent = data.error.message;
    return;
  }
  note.hidden = true;
  for (const step of data.steps) {
    const item = document.createElement("li");
    item.className = "step depth-" + Math.min(step.depth, 4);
    const math = document.createElement("span");
    setMarkup(math, step.mathml);
    const rule = document.createElement("span");
    rule.className = "rule";
    rule.textContent = "[" + ruleLabel(step) + "]";
    item.append(math, rule);
    list.append(item);
  }
}

// ---- plot and graph ------------------------------------------------------------------------

function pointFromText(text) {
  const point = {};
  let depth = 0;
  let start = 0;
  const parts = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    if (text[i] === ")") depth--;
    if (text[i] === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  for (const part of parts) {
    const [name, value] = part.split("=");
    if (name && name.trim() && value !== undefined && value.trim()) point[name.trim()] = value.trim();
  }
  return point;
}

function pointOfVariables() {
  const given = pointFromText($("at").value);
  const point = {};
  for (const name of latest ? latest.variables : []) point[name] = given[name] || "1";
  return point;
}

async function showPlot() {
  if (!latest) return;
  const values = pointOfVariables();
  delete values[$("wrt").value];
  const body = {
    formula: $("formula").value,
    wrt: $("wrt").value,
    from: Number($("from").value),
    to: Number($("to").value),
    second: $("second").checked,
    values: values,
  };
  const data = await api("plot", body);
  $("plot-section").hidden = false;
  if (data.error) {
    $("plot-note").textContent = data.error.message;
    return;
  }
  const fixed = Object.entries(data.values).map(([k, v]) => k + " = " + v);
  $("plot-note").textContent = fixed.length ? "with " + fixed.join(", ") : "";
  setMarkup($("plot"), data.svg);
}

async function showGraph() {
  if (!latest) return;
  const point = pointOfVariables();
  if (!$("at").value.trim()) {
    $("at").placeholder = Object.entries(point).map(([k, v]) => k + "=" + v).join(", ") || "(no variables)";
  }
  const data = await api("graph", { formula: $("formula").value, point: point });
  $("graph-section").hidden = false;
  const note = $("graph-note");
  if (data.error) {
    note.hidden = false;
    note.textContent = data.error.message;
    setMarkup($("graph"), "");
    $("graph-values").textContent = "";
    return;
  }
  const parts = ["f = " + format(data.value)];
  for (const [name, value] of Object.entries(data.gradient)) parts.push("∂f/∂" + name + " = " + format(value));
  $("graph-values").textContent = parts.join(",  ");
  setMarkup($("graph"), data.svg || "");
  note.hidden = !data.message;
  note.textContent = data.message ? data.message + " The graph in DOT form:" : "";
  $("graph-dot").hidden = Boolean(data.svg);
  $("graph-dot").textContent = data.svg ? "" : data.dot;
}

function format(value) {
  return Number.isInteger(value) ? String(value) : Number(value.toPrecision(8)).toString();
}

// ---- check my answer -----------------------------------------------------------------------

async function checkAnswer() {
  markError("answer", null);
  const answer = $("answer").value;
  if (!answer.trim() || !$("formula").value.trim()) return;
  const box = $("verdict");
  box.hidden = true; // until this answer's verdict is in
  const body = { formula: $("formula").value, answer: answer, wrt: $("wrt").value, order: Number($("order").value) };
  const data = await api("check", body);
  if (data.error) {
    box.hidden = true;
    showError(data.error);
    return;
  }
  saveState();
  box.hidden = false;
  box.className = data.verdict;
  box.textContent = "";
  const headline = document.createElement("div");
  headline.className = "headline";
  headline.textContent = { correct: "✓ Correct", incorrect: "✗ Incorrect", undecided: "Undecided" }[data.verdict];
  const typed = document.createElement("div");
  setMarkup(typed, data.answer.mathml || "");
  const message = document.createElement("div");
  message.className = "message";
  message.textContent = data.message;
  box.append(headline, typed, message);
  if (data.caveats.length) {
    const list = document.createElement("ul");
    for (const caveat of data.caveats) {
      const item = document.createElement("li");
      item.textContent = caveat;
      list.append(item);
    }
    box.append(list);
  }
}

// ---- copying -------------------------------------------------------------------------------

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (error) {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    const done = document.execCommand && document.execCommand("copy");
    area.remove();
    return Boolean(done);
  }
}

async function copyForm(kind) {
  if (!latest) return;
  const derivative = latest.derivative;
  const text = kind === "text" ? derivative.text : kind === "latex" ? derivative.latex : derivative.code[kind];
  const shown = $("copied");
  shown.hidden = false;
  shown.dataset.kind = kind;
  shown.textContent = text || "(not available for this result)";
  if (!text) return;
  const copied = await copyText(text);
  $("copy-status").textContent = copied ? "copied " + kind : "select the text below to copy it";
}

// ---- wiring --------------------------------------------------------------------------------

function start() {
  for (const prefix of ["formula", "answer"]) {
    $(prefix).addEventListener("scroll", () => syncScroll(prefix));
  }
  $("formula").addEventListener("input", schedulePreview);
  $("formula").addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(previewTimer);
      preview();
    }
  });
  $("answer").addEventListener("input", () => markError("answer", null));
  $("answer").addEventListener("keydown", (event) => {
    if (event.key === "Enter") checkAnswer();
  });
  $("go").addEventListener("click", compute);
  $("wrt").addEventListener("change", compute);
  $("order").addEventListener("change", compute);
  for (const id of ["from", "to", "second"]) {
    $(id).addEventListener("change", () => {
      saveState();
      showPlot();
    });
  }
  $("draw").addEventListener("click", () => {
    saveState();
    showGraph();
    showPlot();
  });
  $("check").addEventListener("click", checkAnswer);
  $("share").addEventListener("click", async () => {
    saveState();
    status((await copyText(location.href)) ? "link copied" : location.href);
  });
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", () => copyForm(button.dataset.copy));
  }
  if (loadState()) {
    checkAfterCompute = Boolean($("answer").value.trim());
    preview();
  }
}

document.addEventListener("DOMContentLoaded", start);
