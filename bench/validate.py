"""How long one POST /validate takes against the graph of data/ and against a graph 100 times larger.

Run: .venv/bin/python bench/validate.py [--copies 1,100] [--programmes 10000] [--repeat 20]
--copies replicates data/; --programmes uses generated programmes (a real build; past 10,000, a build grown to size).
Reference: pyshacl over the whole graph plus the course (what validation would cost without the context
approach), measured once per size up to a million quads.
"""

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from common import ROOT, grown_project, median_ms, replicated_project
from pyshacl import validate as shacl
from rdflib import Dataset, Graph

from currigraph.project import load_turtle_dir
from tests.live import start, stop

COURSE = b"""---
title: Benchmark Course
semester: 2
studycredits: 5
pillar: AI
programme: xaim
---
A course for the benchmark.
"""


def whole_graph_ms(build: Path) -> float:
    """pyshacl over every asserted triple plus the ontology and the course: the naive reference."""
    dataset = Dataset()
    dataset.parse(build / "dataset.nq", format="nquads")
    data = Graph()
    for s, p, o, _ in dataset.quads():
        data.add((s, p, o))
    shapes = load_turtle_dir(ROOT / "shapes")
    return median_ms(lambda: shacl(data, shacl_graph=shapes, inference="none"), repeat=1, warmup=0)


def ready_seconds(project: Path) -> float:
    """From starting `currigraph serve` on a built store to its first answered query (process start included)."""
    began = time.perf_counter()
    server = start(project, "--no-rebuild")
    seconds = time.perf_counter() - began
    stop(server)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,100")
    parser.add_argument("--programmes", default="", help="sizes in generated programmes, e.g. 10000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"# One /validate ({date.today()}, {platform.machine()}, {os.cpu_count()} cores)\n")
    print(f"Command: `.venv/bin/python bench/validate.py --copies {args.copies} --programmes {args.programmes} --repeat {args.repeat}`\n")
    print("| graph | quads | `serve` ready (s, median of 5) | POST /validate median (ms) | pyshacl over the whole graph (ms) "
          "| whole / ours |")
    print("|---|---:|---:|---:|---:|---:|")
    sizes = [("copies", int(c)) for c in args.copies.split(",") if c] + [("programmes", int(n)) for n in args.programmes.split(",") if n]
    for kind, size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            if kind == "copies":
                project, label = replicated_project(Path(tmp) / "p", size), f"data/ × {size}"
            else:
                project, label = grown_project(Path(tmp) / "p", size)[0], f"{size} programmes"
            quads = json.loads((project / "build" / "manifest.json").read_text())["triples"]
            ready = statistics.median(ready_seconds(project) for _ in range(5))
            server = start(project, "--no-rebuild")
            try:
                def one(server=server) -> None:  # noqa: ANN001
                    status, _, body = server.request("POST", "/validate", COURSE, {"Content-Type": "text/markdown"})
                    assert status == 200 and b'"conforms": true' in body, body

                ours = median_ms(one, args.repeat, warmup=2)
            finally:
                stop(server)
            if quads <= 1_000_000:
                whole = whole_graph_ms(project / "build")
                print(f"| {label} | {quads} | {ready:.2f} | {ours:.1f} | {whole:.0f} | {whole / ours:.0f}× |")
            else:
                print(f"| {label} | {quads} | {ready:.2f} | {ours:.1f} | – (too large) | – |")

if __name__ == "__main__":
    main()
