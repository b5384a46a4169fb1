"""log(x) + x*y - sin(y) at (2, 5): partials 5.5 and 2 - cos(5), with its trace and graph.

Run: python examples/log_graph.py [PICTURE]   (PICTURE: a .dot, .svg or .png file; .svg and
.png need Graphviz).  examples/graph.svg was drawn by
``symdiff "log(x) + x*y - sin(y)" --at x=2,y=5 --graph examples/graph.svg``.
"""

import math
import shutil
import sys
import tempfile
from pathlib import Path

import symdiff

f = symdiff.parse("log(x) + x*y - sin(y)")
point = {"x": 2, "y": 5}
result = symdiff.partials_at(f, point)
print(symdiff.format_partials(result))
print()
print(symdiff.evaluation_trace(f, point))

assert math.isclose(result.value, math.log(2) + 10 - math.sin(5), rel_tol=1e-15)
assert result.gradient["x"] == 5.5
assert math.isclose(result.gradient["y"], 2 - math.cos(5), rel_tol=1e-15)

suffix = ".svg" if shutil.which("dot") else ".dot"
with tempfile.TemporaryDirectory() as folder:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(folder) / f"graph{suffix}"
    symdiff.write_graph(f, target, point)
    print(f"\nwrote {target}")
    text = symdiff.to_dot(f, point)
    assert text.count("[label=") == symdiff.dag_size(f) == 8
    assert "adj 5.5" in text and "adj 1.71634" in text  # 2 - cos(5)
