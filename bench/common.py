"""Helpers shared by the benchmarks: replicated datasets, built projects, live servers, medians."""

import json
import os
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
    from currigraph.build.layout import DATASET_FILE, MANIFEST_FILE
    from currigraph.build.loading import write_oxigraph

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


def replicate_build(project: Path, copies: int) -> int:
    """Grow a built project `copies`-fold: each extra copy renames every data IRI, so it describes other programmes.

    Statements that the renaming leaves unchanged (about pillars, schemes, the ontology: shared by all copies)
    are kept once, as a real build of that many programmes would. Returns the number of quads.
    """
    from currigraph.build.layout import DATASET_FILE, MANIFEST_FILE
    from currigraph.build.loading import write_oxigraph

    build = project / "build"
    source = build / DATASET_FILE
    target = build / f"{DATASET_FILE}.grown"
    quads = 0
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(line)
            quads += 1
            triple, graph = line.rstrip(" .\n").rsplit(" <", 1)
            for n in range(1, copies):
                renamed = triple
                for prefix in REPLICATED:
                    renamed = renamed.replace(f"<https://data.currigraph.org/{prefix}", f"<https://data.currigraph.org/{prefix}c{n}-")
                if renamed == triple:
                    continue
                out.write(f"{renamed} <{_renamed_graph(graph, n)} .\n")
                quads += 1
    os.replace(target, source)
    manifest = json.loads((build / MANIFEST_FILE).read_text())
    manifest["triples"] = quads
    (build / MANIFEST_FILE).write_text(json.dumps(manifest))
    write_oxigraph(build)
    return quads


def _renamed_graph(graph: str, n: int) -> str:
    """The graph a renamed statement goes to: a source document's graph is renamed with it, the others stay."""
    prefix = "https://data.currigraph.org/graph/"
    name = graph[len(prefix):] if graph.startswith(prefix) else ""
    if name[:1].isdigit():
        return f"{prefix}c{n}-{name}"
    return graph


def grown_project(target: Path, programmes: int, build_limit: int = 10000) -> tuple[Path, str]:
    """A built project of data/ plus `programmes` generated programmes; past build_limit, a build grown to size.

    Returns the project and a note saying how it was made.
    """
    built = min(programmes, build_limit)
    project = corpus_project(target, built)
    if programmes <= built:
        return project, f"data/ plus {programmes} generated programmes"
    replicate_build(project, programmes // built)
    return project, f"data/ plus {built} generated programmes, grown {programmes // built}-fold (IRIs renamed per copy)"
