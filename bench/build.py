"""The whole `currigraph build` at N generated programmes: wall time, peak memory, and where the time goes.

Run: .venv/bin/python bench/build.py [--programmes 10,100,1000] [--seed 7] [--plot bench/build.png]
Each size is a fresh project (ontology, shapes, generated data/sources) built by the real CLI in a child
process; peak memory is the child's maximum resident set size. owlrl alone is timed on the same asserted
graphs at the smallest sizes, as the reference the build's reasoning (each document's entailments from the
rule tables, then settled in the store) is compared with. At one size the build also runs in this process to
say where the time and the CPU go, and the on-disk store `serve` opens is loaded again alone, to show its cost.
"""

import argparse
import json
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


def build_once(project: Path, *flags: str) -> tuple[float, float, str]:
    """Wall seconds, peak MiB (of this build's own process) and the CLI's summary line of one build.

    The peak is the child's VmHWM, read while it runs: the rusage of a child of a large process (this one, after
    an in-process build) reports the parent's high-water mark, not the child's own.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "currigraph", "--project", str(project), "build", *flags], stdout=out, stderr=err)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _high_water_kib(child.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise RuntimeError(err.read()[-2000:])
        return seconds, peak / 1024, out.read().strip()


def _high_water_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):  # the process has just ended
        pass
    return 0


def change_programmes(project: Path, count: int, salt: str) -> list[Path]:
    """Edit one course description in each of `count` programme pages spread over the corpus (a catalogue's daily edits)."""
    pages = sorted((project / "data" / "sources").glob("programme-*.txt"))
    chosen = pages[:: max(1, len(pages) // count)][:count]
    for path in chosen:
        text = path.read_text("utf-8")
        path.write_text(text.replace("Participants learn", f"Participants {salt} learn", 1), "utf-8")
    return chosen


def rebuilds(project: Path, counts: list[int]) -> list[tuple[str, float, float, str]]:
    """Incremental rebuilds after editing k programme pages, removing one page and adding one: wall s, peak MiB, summary."""
    rows = []
    for count in counts:
        change_programmes(project, count, f"r{count}")
        seconds, peak, summary = build_once(project)
        rows.append((f"{count} programme page(s) edited", seconds, peak, summary))
    sources = project / "data" / "sources"
    removed = sorted(sources.glob("programme-*.txt"))[-1]
    text = removed.read_text("utf-8")
    removed.unlink()
    seconds, peak, summary = build_once(project)
    rows.append(("1 programme page removed", seconds, peak, summary))
    (sources / "programme-99999.txt").write_text(text.replace("(P", "(Q", 1), "utf-8")
    seconds, peak, summary = build_once(project)
    rows.append(("1 programme page added", seconds, peak, summary))
    seconds, peak, summary = build_once(project)
    rows.append(("nothing changed", seconds, peak, summary))
    return rows


# Run as a child process on a built project: when each step of a rebuild ended, on the clock the parent shares.
_PROBE = """
import json, sys, time
marks = [("start Python", time.perf_counter())]
from pathlib import Path
from currigraph.build.pipeline import run_build
from currigraph.project import Project
marks.append(("import currigraph", time.perf_counter()))
names = {"converted": "read inputs and the record, convert the change", "applied": "copy the store, replace graphs",
         "validated": "validate affected nodes", "reasoned": "reason over touched nodes",
         "stored": "write dataset.nq, record, swap in"}
run_build(Project(Path(sys.argv[1])), None, lambda message, _n: marks.append((names[message.split()[0]], time.perf_counter())))
print(json.dumps(marks))
"""


def rebuild_steps(project: Path) -> list[tuple[str, float]]:
    """Wall seconds of each step of a rebuild after one programme page is edited, from starting the process to its end."""
    change_programmes(project, 1, "probe")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PROBE, str(project)], capture_output=True, text=True, check=True).stdout
    end = time.perf_counter()
    marks = [("", start)] + [(name, at) for name, at in json.loads(out.splitlines()[-1])] + [("exit", end)]
    steps: list[tuple[str, float]] = []
    for (_, before), (name, at) in zip(marks, marks[1:], strict=False):
        if steps and steps[-1][0] == name:  # several conversion chunks
            steps[-1] = (name, steps[-1][1] + at - before)
        else:
            steps.append((name, at - before))
    return steps


def owlrl_seconds(project: Path) -> tuple[float, float]:
    """owlrl's closure, and the build's reasoning (rule tables per document, settled in the store), on the same graphs."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from currigraph.convert import convert_paths
    from currigraph.iris import Minter
    from currigraph.project import load_turtle_dir
    from currigraph.reasoning.in_store import settle
    from currigraph.reasoning.reference import infer
    from currigraph.reasoning.rules import Rules
    from currigraph.reasoning.schema import Schema
    from currigraph.terms import OxTerms
    from currigraph.validation.compiled import to_store

    ontology = load_turtle_dir(project / "ontology")
    graphs = [g for g in convert_paths(sorted((project / "data" / "sources").iterdir()), Minter()).dataset.graphs() if len(g)]
    start = time.perf_counter()
    infer(ontology, graphs)
    reference = time.perf_counter() - start
    named = Graph(identifier=URIRef("urn:currigraph:ontology"))
    named += ontology
    store, terms, inferred = to_store([*graphs, named]), OxTerms(), ox.NamedNode("urn:currigraph:inferred")
    start = time.perf_counter()
    schema = Schema(ontology)
    rules = Rules.of(schema)
    assert rules is not None
    for graph in graphs:
        entailed, _ = rules.entailments([(terms.term(s), terms.term(p), terms.term(o)) for s, p, o in graph])  # type: ignore[misc]
        store.load(entailed, format=ox.RdfFormat.N_TRIPLES, to_graph=inferred)
    settle(store, schema, inferred)
    return reference, time.perf_counter() - start


def phases(project: Path) -> list[tuple[str, float, float, float]]:
    """(step, wall s, CPU s of this process, CPU s of worker processes) of each build step, through the progress hook."""
    from currigraph.build.pipeline import run_build
    from currigraph.project import Project

    def now(name: str) -> tuple[str, float, float, float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return name, time.perf_counter(), time.process_time(), children.ru_utime + children.ru_stime

    marks = [now("start")]

    def step(message: str, _n: int) -> None:
        name = "convert" if message.startswith("converted") else message
        if marks[-1][0] == name:
            marks[-1] = now(name)
        else:
            marks.append(now(name))

    run_build(Project(project), None, step, full=True)
    names = {"convert": "convert", "validated": "validate", "reasoned": "reason", "stored": "store"}
    rows = [(names[m[0]], m[1] - p[1], m[2] - p[2], 0.0) for p, m in zip(marks, marks[1:], strict=False)]
    # Worker processes run during convert only, but their CPU is counted when the pool is shut down, after it.
    workers = marks[-1][3] - marks[0][3]
    return [(name, wall, cpu, workers if name == "convert" else 0.0) for name, wall, cpu, _ in rows]


def disk_load_cpu(project: Path) -> tuple[int, float, float]:
    """Quads, wall s and CPU s of loading build/dataset.nq into a fresh on-disk store and compacting it, as the build does."""
    import pyoxigraph as ox

    from currigraph.build.loading import compact, load_in_pieces

    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        load_in_pieces(project / "build" / "dataset.nq", Path(tmp) / "store")
        compact(Path(tmp) / "store")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return len(ox.Store.read_only(str(Path(tmp) / "store"))), wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", default="10,100,1000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--owlrl-up-to", type=int, default=100, help="time owlrl alone only up to this size")
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument("--phases-at", type=int, default=1000, help="time each build step at this size")
    parser.add_argument("--rebuild-at", type=int, default=None, help="time incremental rebuilds at this size")
    parser.add_argument("--rebuild-counts", default="1,10,100", help="programme pages edited before each rebuild")
    args = parser.parse_args()
    print(f"# Build at scale ({date.today()}, {platform.machine()}, {os.cpu_count()} cores)\n")
    rebuild = f" --rebuild-at {args.rebuild_at} --rebuild-counts {args.rebuild_counts}" if args.rebuild_at else ""
    print(f"Command: `.venv/bin/python bench/build.py --programmes {args.programmes} --seed {args.seed} --phases-at {args.phases_at}"
          f"{rebuild}" + (f" --plot {args.plot}" if args.plot else "") + "`\n")
    print("| programmes | files | build wall (s) | peak memory (MiB) | owlrl alone (s) | the build's reasoning (s) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    points = []
    split: list[tuple[str, float, float, float]] = []
    disk: tuple[int, float, float] | None = None
    again: list[tuple[str, float, float, str]] = []
    probe: list[tuple[str, float]] = []
    for n in (int(x) for x in args.programmes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            for name in ("ontology", "shapes"):
                shutil.copytree(ROOT / name, project / name)
            files = generate(n, args.seed, project / "data" / "sources")
            seconds, peak, _ = build_once(project, "-q")
            reference = owlrl_seconds(project) if n <= args.owlrl_up_to else None
            points.append((n, seconds, peak))
            if n == args.phases_at:
                split = phases(project)
                disk = disk_load_cpu(project)
            if n == args.rebuild_at:
                again = rebuilds(project, [int(k) for k in args.rebuild_counts.split(",")])
                probe = rebuild_steps(project)
            ref = f"{reference[0]:.1f} | {reference[1]:.2f} | {reference[0] / reference[1]:.0f}×" if reference else "– | – | –"
            print(f"| {n} | {len(files)} | {seconds:.1f} | {peak:.0f} | {ref} |", flush=True)
    if split:
        wall = sum(w for _, w, _, _ in split)
        print(f"\nWhere the time goes at {args.phases_at} programmes (one build in this process; CPU s counts every thread, "
              "and the on-disk store loads in a background thread from the end of convert to store):\n")
        print("| step | wall (s) | share | CPU s, build process | CPU s, worker processes |")
        print("|---|---:|---:|---:|---:|")
        for name, seconds, cpu, children in split:
            print(f"| {name} | {seconds:.1f} | {seconds / wall:.0%} | {cpu:.1f} | {children:.1f} |")
        cpu = sum(c + k for _, _, c, k in split)
        print(f"| total | {wall:.1f} | | {sum(c for _, _, c, _ in split):.1f} | {sum(k for _, _, _, k in split):.1f} |")
        print(f"\nCPU seconds in all: {cpu:.0f}; {os.cpu_count()} cores for 60 s give {60 * (os.cpu_count() or 1)}.")
    if disk:
        print(f"Loading the on-disk store `serve` opens, alone: {disk[0]:,} quads in {disk[1]:.1f} s wall, {disk[2]:.1f} CPU s "
              "(store.load_in_pieces and store.compact: pyoxigraph's RocksDB bulk loader, then a full compaction).")
    if again:
        full = next(seconds for n, seconds, _ in points if n == args.rebuild_at)
        print(f"\nIncremental rebuilds at {args.rebuild_at} programmes (`currigraph build` after each change, in a row, on the "
              f"project just built in full in {full:.1f} s; each a child process):\n")
        print("| change | rebuild wall (s) | peak memory (MiB) | full build / rebuild | what the CLI said |")
        print("|---|---:|---:|---:|---|")
        for change, seconds, peak, summary in again:
            said = summary.splitlines()[-1].split(" (", 1)[-1].split("): ", 1)[0] if summary else ""
            print(f"| {change} | {seconds:.1f} | {peak:.0f} | {full / seconds:.0f}× | {said} |")
    if probe:
        total = sum(seconds for _, seconds in probe)
        print(f"\nWhere a rebuild at {args.rebuild_at} programmes spends its time, one programme page edited (`currigraph build` "
              "in a child process, each step timed when it ends):\n")
        print("| step | wall (s) | share |")
        print("|---|---:|---:|")
        for name, seconds in probe:
            print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")
        print(f"| total | {total:.2f} | |")
    if args.plot:
        rebuilt = [(args.rebuild_at, seconds, peak) for change, seconds, peak, _ in again if "edited" in change]
        plot(points, rebuilt, args.plot)
        print(f"\n![build time and peak memory against N]({args.plot.name})")


def plot(points: list[tuple[int, float, float]], rebuilt: list[tuple[int, float, float]], path: Path) -> None:
    """Build time and peak memory against the number of programmes (log-log), with the incremental rebuilds."""
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
    if rebuilt:
        rn, rs, rp = zip(*rebuilt, strict=True)
        left.scatter(rn, rs, marker="v", color="tab:green", zorder=3, label="incremental rebuild, 1-100 pages edited (s)")
        right.scatter(rn, rp, marker="^", color="tab:red", zorder=3, label="incremental rebuild peak (MiB)")
    handles = [h for axis in (left, right) for h in axis.get_legend_handles_labels()[0]]
    left.legend(handles, [h.get_label() for h in handles], fontsize=7, loc="upper left")
    left.axhline(60, color="tab:blue", linestyle=":", linewidth=1)
    left.annotate("target 60 s", (n[0], 60), color="tab:blue", fontsize=8, va="bottom")
    right.axhline(4096, color="tab:orange", linestyle=":", linewidth=1)
    right.annotate("target 4 GB", (n[0], 4096), color="tab:orange", fontsize=8, va="bottom")
    left.set_title("currigraph build at scale")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
