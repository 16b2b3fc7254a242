"""Helpers shared by the benchmarks: replicated datasets, built projects, live servers, medians."""

import json
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

REPLICATED = ("programme/", "course/", "organisation/", "person/", "source/", "graph/")


def replicated_nquads(source: Path, copies: int) -> str:
    """A build's N-Quads repeated `copies` times, data IRIs renamed per copy (ontology terms untouched)."""
    text = source.read_text("utf-8")
    if copies == 1:
        return text
    parts = []
    for n in range(copies):
        copy = text
        for prefix in REPLICATED if n else ():  # copy 0 keeps the original IRIs
            copy = copy.replace(f"<https://data.currigraph.org/{prefix}", f"<https://data.currigraph.org/{prefix}c{n}-")
        parts.append(copy)
    return "".join(parts)


def replicated_project(target: Path, copies: int) -> Path:
    """A project directory whose build/ holds data/ replicated `copies` times (store and manifest included)."""
    from currigraph.store import DATASET_FILE, MANIFEST_FILE, write_oxigraph

    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, target / name)
    (target / "data" / "sources").mkdir(parents=True)
    build = target / "build"
    build.mkdir()
    (build / DATASET_FILE).write_text(replicated_nquads(ROOT / "build" / DATASET_FILE, copies), "utf-8")
    manifest = json.loads((ROOT / "build" / MANIFEST_FILE).read_text())
    manifest["triples"] *= copies
    (build / MANIFEST_FILE).write_text(json.dumps(manifest))
    write_oxigraph(build)
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def median_ms(run: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of `repeat` runs in milliseconds, after `warmup` untimed runs."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def corpus_project(target: Path, programmes: int, seed: int = 7) -> Path:
    """A project of data/sources plus a generated corpus of `programmes` programme pages, built by the real CLI."""
    import subprocess

    from corpus import generate

    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copytree(ROOT / "data" / "sources", target / "data" / "sources")
    generate(programmes, seed, target / "data" / "sources")
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run([sys.executable, "-m", "currigraph", "--project", str(target), "build", "-q"], check=True)
    return target
