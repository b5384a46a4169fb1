"""Whole-process start-up: the README's first command against Python's own start-up.

Each command runs as a fresh process, the commands taking turns (so that load on the shared
machine falls on all of them alike); the table gives the median and the fastest wall time of
each, the median CPU time (user + system, which other jobs on a shared machine disturb less
than the wall clock) and the ratios of the medians to ``python -c pass`` of the same
environment.  Two environments are measured in the same run:

* ``editable``: this interpreter (``sys.executable``), the development install of the README's
  set-up commands (``pip install -e``); byte code is written first (``compileall``).  Its
  ``python -c pass`` is slower than a plain one: setuptools' editable finder, run from a
  ``.pth`` file at every start, imports ``pathlib`` (and with it ``re``, ``fnmatch``,
  ``urllib.parse``);
* ``regular``: a fresh virtual environment (in a temporary folder) with the wheel of this
  checkout installed by ``pip install`` (which compiles the byte code), as a user gets it; its
  console script is the one pip writes.  ``--no-regular`` skips it.

    python benchmarks/bench_startup.py             # 40 rounds
    python benchmarks/bench_startup.py --quick     # 10 rounds
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import symdiff

ROOT = Path(__file__).resolve().parent.parent
FIRST = 'symdiff "x**2*y+y+2" --wrt x'


def commands(python: str, peers: bool) -> dict[str, list[str]]:
    """The commands timed in the environment of ``python``."""
    script = os.path.join(os.path.dirname(python), "symdiff")  # the console script
    cli = [python, script] if os.path.exists(script) else [python, "-m", "symdiff"]
    found = {
        "python -c pass": [python, "-c", "pass"],
        FIRST: [*cli, "x**2*y+y+2", "--wrt", "x"],
        "python -c 'import symdiff'": [python, "-c", "import symdiff"],
    }
    for peer in ("lark", "sympy", "symengine") if peers else ():  # peers' import, if installed
        if importlib.util.find_spec(peer) is not None:
            found[f"python -c 'import {peer}'"] = [python, "-c", f"import {peer}"]
    return found


def regular_install(folder: str) -> str:
    """The interpreter of a new virtual environment in ``folder`` holding this checkout's wheel
    (built without build isolation, installed with ``--no-deps``: the command never imports
    Lark, symdiff's one dependency)."""
    wheels = os.path.join(folder, "wheels")
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, str(ROOT)],
                   **quiet)  # type: ignore[call-overload]  # fmt: skip
    venv = os.path.join(folder, "venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)  # with its own pip
    python = os.path.join(venv, "bin", "python")
    wheel = next(Path(wheels).glob("symdiff-*.whl"))
    subprocess.run([python, *pip[1:], "install", "--no-deps", "--no-index", str(wheel)],
                   **quiet)  # type: ignore[call-overload]  # fmt: skip
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if not any(Path(target).glob("symdiff/__pycache__/*.pyc")):
        raise SystemExit("pip install wrote no byte code")
    return python


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command} failed with status {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 rounds")
    parser.add_argument("--no-regular", action="store_true", help="only the editable install")
    args = parser.parse_args(argv)
    rounds = 10 if args.quick else 40
    compileall.compile_dir(str(Path(symdiff.__file__).parent), quiet=1)
    unset = ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    with tempfile.TemporaryDirectory() as folder:
        kinds = {"editable": commands(sys.executable, peers=True)}
        if not args.no_regular:
            kinds["regular"] = commands(regular_install(folder), peers=False)
        runs = [(kind, name, command) for kind, found in kinds.items()
                for name, command in found.items()]  # fmt: skip
        times: dict[tuple[str, str], list[float]] = {(k, n): [] for k, n, _ in runs}
        cpu: dict[tuple[str, str], list[float]] = {(k, n): [] for k, n, _ in runs}
        for _, _, command in runs:  # one warm-up each (file cache, byte code)
            _run(command, env)
        for _ in range(rounds):
            for kind, name, command in runs:
                wall, used = _run(command, env)
                times[kind, name].append(wall)
                cpu[kind, name].append(used)
    print(f"{rounds} rounds, {sys.version.split()[0]}, {os.cpu_count()} cores")
    print("| install | command | wall, median | wall, fastest | CPU, median "
          "| wall / `python -c pass` | CPU / `python -c pass` |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for (kind, name), values in times.items():
        base = statistics.median(times[kind, "python -c pass"])
        cpu_base = statistics.median(cpu[kind, "python -c pass"])
        median, fastest = statistics.median(values), min(values)
        used = statistics.median(cpu[kind, name])
        cells = f"{median * 1e3:.0f} ms | {fastest * 1e3:.0f} ms | {used * 1e3:.0f} ms"
        print(f"| {kind} | `{name}` | {cells} | {median / base:.2f}x | {used / cpu_base:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
