"""The whole `currigraph build` at N generated programmes: wall time, peak memory, and where the time goes.

Run: .venv/bin/python bench/build.py [--programmes 10,100,1000] [--seed 7] [--plot bench/build.png]
Each size is a fresh project (ontology, shapes, generated data/sources) built by the real CLI in a child
process; peak memory is the child's maximum resident set size. owlrl alone is timed on the same asserted
graphs at the smallest sizes, as the reference the build's reasoning (SPARQL updates in the store) is compared with.
"""

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import ROOT
from corpus import generate


def build_once(project: Path) -> tuple[float, float, str]:
    """Wall seconds, peak MiB and the CLI's summary line of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(project), "build", "-q"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return seconds, peak, result.stdout.strip()


def owlrl_seconds(project: Path) -> tuple[float, float]:
    """owlrl's closure, and the build's reasoning inside the store, on the project's asserted graphs (reference timing)."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from currigraph.convert import convert_paths
    from currigraph.iris import Minter
    from currigraph.reason import infer
    from currigraph.reason_store import infer_in_store
    from currigraph.schema_files import load_turtle_dir
    from currigraph.validate_fast import to_store

    ontology = load_turtle_dir(project / "ontology")
    graphs = [g for g in convert_paths(sorted((project / "data" / "sources").iterdir()), Minter()).dataset.graphs() if len(g)]
    start = time.perf_counter()
    infer(ontology, graphs)
    reference = time.perf_counter() - start
    named = Graph(identifier=URIRef("urn:currigraph:ontology"))
    named += ontology
    store = to_store([*graphs, named])
    start = time.perf_counter()
    infer_in_store(store, ontology, ox.NamedNode("urn:currigraph:ontology"), ox.NamedNode("urn:currigraph:inferred"))
    return reference, time.perf_counter() - start


def phases(project: Path) -> dict[str, float]:
    """Seconds of each build step (convert, validate, reason, store), timed in this process through the progress hook."""
    from currigraph.build import run_build
    from currigraph.project import Project

    marks: list[tuple[str, float]] = [("start", time.perf_counter())]

    def step(message: str, _n: int) -> None:
        name = "convert" if message.startswith("converted") else message
        if marks[-1][0] == name:
            marks[-1] = (name, time.perf_counter())
        else:
            marks.append((name, time.perf_counter()))

    run_build(Project(project), None, step)
    names = {"convert": "convert", "validated": "validate", "reasoned": "reason", "stored": "store"}
    return {names[name]: at - marks[i][1] for i, (name, at) in enumerate(marks[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", default="10,100,1000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--owlrl-up-to", type=int, default=100, help="time owlrl alone only up to this size")
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--phases-at", type=int, default=1000, help="time each build step at this size")
    args = parser.parse_args()
    print(f"# Build at scale ({date.today()}, {platform.machine()}, {os.cpu_count()} cores)\n")
    print(f"Command: `.venv/bin/python bench/build.py --programmes {args.programmes} --seed {args.seed}`\n")
    print("| programmes | files | build wall (s) | peak memory (MiB) | owlrl alone (s) | reasoning in the store (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    points = []
    split: dict[str, float] = {}
    for n in (int(x) for x in args.programmes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            for name in ("ontology", "shapes"):
                shutil.copytree(ROOT / name, project / name)
            files = generate(n, args.seed, project / "data" / "sources")
            seconds, peak, _ = build_once(project)
            reference = owlrl_seconds(project) if n <= args.owlrl_up_to else None
            points.append((n, seconds, peak))
            if n == args.phases_at:
                split = phases(project)
            ref = f"{reference[0]:.1f} | {reference[1]:.2f} | {reference[0] / reference[1]:.0f}×" if reference else "– | – | –"
            print(f"| {n} | {len(files)} | {seconds:.1f} | {peak:.0f} | {ref} |", flush=True)
    if split:
        total = sum(split.values())
        print(f"\nWhere the time goes at {args.phases_at} programmes (in-process, s): "
              + ", ".join(f"{k} {v:.1f} ({v / total:.0%})" for k, v in split.items()))
    if args.plot:
        plot(points, args.plot)
        print(f"\n![build time and peak memory against N]({args.plot.name})")


def plot(points: list[tuple[int, float, float]], path: Path) -> None:
    """Build time and peak memory against the number of programmes (log-log)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n, seconds, peak = zip(*points, strict=True)
    fig, left = plt.subplots(figsize=(6, 3.5))
    left.loglog(n, seconds, "o-", color="tab:blue", label="build wall time (s)")
    left.set_xlabel("programmes")
    left.set_ylabel("seconds", color="tab:blue")
    right = left.twinx()
    right.loglog(n, peak, "s--", color="tab:orange", label="peak memory (MiB)")
    right.set_ylabel("MiB", color="tab:orange")
    left.axhline(60, color="tab:blue", linestyle=":", linewidth=1)
    left.annotate("target 60 s", (n[0], 60), color="tab:blue", fontsize=8, va="bottom")
    right.axhline(4096, color="tab:orange", linestyle=":", linewidth=1)
    right.annotate("target 4 GB", (n[0], 4096), color="tab:orange", fontsize=8, va="bottom")
    left.set_title("currigraph build at scale")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
