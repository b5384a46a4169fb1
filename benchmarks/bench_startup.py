"""Whole-process start-up: the README's first command against Python's own start-up.

Each command runs as a fresh process, the commands taking turns (so that load on the shared
machine falls on all of them alike); the table gives the median and the fastest wall time of
each, the median CPU time (user + system, which other jobs on a shared machine disturb less
than the wall clock) and the ratios of the medians to ``python -c pass``.  The interpreter is
this one (``sys.executable``), so the same virtual environment and ``site`` set-up count on both
sides.
Byte code is written first (``compileall``), as an installed wheel has it.

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
import time
from pathlib import Path

import symdiff

PYTHON = sys.executable
# the installed console script, run by this interpreter (``python -m symdiff`` if there is none)
_SCRIPT = os.path.join(os.path.dirname(PYTHON), "symdiff")
_CLI = [PYTHON, _SCRIPT] if os.path.exists(_SCRIPT) else [PYTHON, "-m", "symdiff"]
COMMANDS = {
    "python -c pass": [PYTHON, "-c", "pass"],
    'symdiff "x**2*y+y+2" --wrt x': [*_CLI, "x**2*y+y+2", "--wrt", "x"],
    "python -c 'import symdiff'": [PYTHON, "-c", "import symdiff"],
}
for _peer in ("lark", "sympy", "symengine"):  # peers' own import, where installed
    if importlib.util.find_spec(_peer) is not None:
        COMMANDS[f"python -c 'import {_peer}'"] = [PYTHON, "-c", f"import {_peer}"]


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
    args = parser.parse_args(argv)
    rounds = 10 if args.quick else 40
    compileall.compile_dir(str(Path(symdiff.__file__).parent), quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():  # one warm-up each (file cache, byte code)
        _run(command, env)
    for _ in range(rounds):
        for name, command in COMMANDS.items():
            wall, used = _run(command, env)
            times[name].append(wall)
            cpu[name].append(used)
    base = statistics.median(times["python -c pass"])
    cpu_base = statistics.median(cpu["python -c pass"])
    print(f"{rounds} rounds, {sys.version.split()[0]}, {os.cpu_count()} cores")
    print("| command | wall, median | wall, fastest | CPU, median | wall / `python -c pass` "
          "| CPU / `python -c pass` |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for name, values in times.items():
        median, fastest, used = statistics.median(values), min(values), statistics.median(cpu[name])
        cells = f"{median * 1e3:.0f} ms | {fastest * 1e3:.0f} ms | {used * 1e3:.0f} ms"
        print(f"| `{name}` | {cells} | {median / base:.2f}x | {used / cpu_base:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
