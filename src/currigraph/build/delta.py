"""An incremental build: redo only what the documents that changed since the last build can change.

The last build's on-disk store is copied (a RocksDB checkpoint: hard links, milliseconds), and in the copy the
graphs of changed and removed documents are replaced, and the shared graph gets the statements no other document
still makes taken out and the new ones put in. Then, as a full build does, in order:

- validate: the focus nodes the change can affect (those of the changed documents, and those whose checks read a
  changed triple, validate_delta.affected) are checked again on the asserted triples their checks read
  (validate_delta.gather); every other node keeps its results from the last build's report;
- reason: the inferences about every node a changed triple touches are derived again (reason_delta.refresh);
- store: build/dataset.nq is written from the old file's unchanged sections (copied by the kernel) and the new
  ones; the store, the dataset file, the record of the build and the manifest are swapped in, the manifest last.

The result is the same build/ a full build of the same inputs writes (tests/test_build_delta.py compares them
byte for byte). Whenever that cannot be promised (the ontology's rules join triples, a document states schema,
the shapes go beyond what the footprint bounds, blank nodes, two documents sharing a graph) or a full build is
quicker (more than a quarter of the documents changed), rebuild() returns None and the caller builds in full.
"""

import gc
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from currigraph import __version__
from currigraph.build.layout import DATASET_FILE, OXIGRAPH_DIR, store_present
from currigraph.build.manifest import GraphEntry, Manifest, read_manifest
from currigraph.build.result import BuildResult
from currigraph.build.state import BuildState, Unit, UnitRecord, pack_lines, save_state
from currigraph.build.statistics import Statistics, count_store, write_statistics
from currigraph.build.writer import SectionWriter, graph_nquads, install
from currigraph.convert.batch import convert_corpus
from currigraph.courses.storage import published_quads
from currigraph.iris import Minter
from currigraph.project import Project
from currigraph.reasoning.delta import refresh, touched_nodes
from currigraph.reasoning.rules import Rules
from currigraph.reasoning.schema import Schema
from currigraph.terms import OxTerm, OxTerms, sorted_ntriples, to_rdflib
from currigraph.validation.compiled import Check, Unsupported, compiled, find_problems, names_of, problem_order, report_of
from currigraph.validation.delta import Reach, affected, footprint, gather
from currigraph.validation.report import Lines, Problem, Report

NQUADS = ox.RdfFormat.N_QUADS
# Beyond this share of the documents changed, a full build is about as quick, and leaves a compacted store.
FULL_BUILD_SHARE = 0.25
ALWAYS_INCREMENTAL = 50  # ...but up to this many changed documents are always rebuilt incrementally
Triple = tuple[OxTerm, ox.NamedNode, OxTerm]


@dataclass
class DeltaInputs:
    """What a rebuild starts from: the project, its inputs now, the last build's record, and the schema."""

    project: Project
    units: list[Unit]
    state: BuildState
    minter: Minter
    ontology: Graph
    shapes: Graph
    schema: Schema
    rules: Rules | None
    step: Callable[[str, int], None]
    jobs: int | None = None


@dataclass
class Fresh:
    """A changed input converted again: its graph, own N-Quads, shared N-Quads lines, size and value lines."""

    graph: str
    own: bytes
    shared: bytes
    triples: int
    lines: Lines = field(default_factory=dict)


class NotIncremental(Exception):
    """This change cannot be built incrementally with the same result as a full build; build in full."""


def rebuild(job: DeltaInputs) -> BuildResult | None:
    """Build only what changed since the last build; None when a full build must (or had better) do it."""
    try:
        return _rebuild(job)
    except (NotIncremental, Unsupported):
        return None


def _rebuild(job: DeltaInputs) -> BuildResult:
    state, build_dir = job.state, job.project.build_dir
    checks = compiled(job.shapes)
    if job.rules is None or checks is None:
        raise NotIncremental("the ontology's rules or the shapes need the whole graph")
    reach = footprint(job.shapes)
    if not store_present(build_dir) or not (build_dir / DATASET_FILE).is_file():
        raise NotIncremental("the last build's store or dataset file is gone")
    current = {u.key for u in job.units}
    changed = [u for u in job.units if _is_changed(u, state.units.get(u.key))]
    removed = [key for key in state.units if key not in current]
    if not changed and not removed:
        return _up_to_date(build_dir, job.project.root, state)
    if len(changed) + len(removed) > max(ALWAYS_INCREMENTAL, FULL_BUILD_SHARE * len(job.units)):
        raise NotIncremental("too much changed")
    fresh = _convert(job, changed)
    records = _records(job, fresh)
    graphs = [r.graph for r in records.values()]
    if len(set(graphs)) != len(graphs):
        raise NotIncremental("two inputs share a graph")
    return Delta(job, changed, removed, fresh, records).run(checks, reach)


def _is_changed(unit: Unit, record: UnitRecord | None) -> bool:
    return record is None or not unit.sha256 or record.sha256 != unit.sha256 or record.kind != unit.kind


def _up_to_date(build_dir: Path, root: Path, state: BuildState) -> BuildResult:
    """Nothing changed: build/ stays as it is, and the last report is the report."""
    entries = read_manifest(build_dir).graphs
    report = report_of(state.moved_problems(root), state.names)
    inferred = sum(e.triples for e in entries if e.kind == "inferred")
    asserted = sum(e.triples for e in entries if e.kind not in ("inferred", "ontology"))
    return BuildResult(report, asserted, inferred, len(entries), True, changed=0, up_to_date=True)


def _convert(job: DeltaInputs, changed: list[Unit]) -> dict[str, Fresh]:
    """Convert the changed inputs, as a full build would (InputError for the first unusable one)."""
    fresh: dict[str, Fresh] = {}
    sources = [u for u in changed if u.kind == "source"]
    by_path = {str(u.path): u.key for u in sources}
    for chunk in convert_corpus([u.path for u in sources], job.minter.base, job.jobs, job.rules):
        if chunk.states_schema:
            raise NotIncremental("a document states schema")
        for doc in chunk.documents:
            fresh[by_path[doc.path]] = Fresh(doc.graph, doc.own, doc.shared, doc.triples, doc.lines)
        job.step(f"converted {Path(chunk.documents[-1].path).name}", len(chunk.documents))
    terms = OxTerms()
    for unit in (u for u in changed if u.kind == "published"):
        name, own, shared = published_quads(unit.path, job.minter, terms)
        quads = [*own, *shared]
        if job.rules is not None and job.rules.deriver().states_schema((q.subject, q.predicate, q.object) for q in quads):  # type: ignore[misc]
            raise NotIncremental("a published course states schema")
        fresh[unit.key] = Fresh(name, _nquads(own), _nquads(shared), len(own))
    return fresh


def _records(job: DeltaInputs, fresh: dict[str, Fresh]) -> dict[str, UnitRecord]:
    """The record of every input after this build: unchanged ones as they were, changed ones anew."""
    records = {}
    for unit in job.units:
        new = fresh.get(unit.key)
        records[unit.key] = job.state.units[unit.key] if new is None else UnitRecord(
            unit.sha256, new.graph, unit.kind, new.triples, pack_lines(new.shared))
    return records


def _nquads(quads: list[ox.Quad]) -> bytes:
    return (ox.serialize(quads, format=NQUADS) or b"") if quads else b""


def _triples(data: bytes) -> set[Triple]:
    """The triples of some N-Quads (graphs dropped)."""
    return {(q.subject, q.predicate, q.object) for q in ox.parse(data, format=NQUADS)} if data else set()  # type: ignore[misc]


class Delta:
    """One incremental build: the changed inputs applied to a copy of the last build's store, then published."""

    def __init__(self, job: DeltaInputs, changed: list[Unit], removed: list[str], fresh: dict[str, Fresh],
                 records: dict[str, UnitRecord]) -> None:
        self.job, self.state, self.fresh, self.records = job, job.state, fresh, records
        self.changed, self.removed = changed, removed
        self.build_dir = job.project.build_dir
        self.shared = str(job.minter.graph("shared"))
        self.ontology = ox.NamedNode(str(job.minter.graph("ontology")))
        self.inferred = ox.NamedNode(str(job.minter.graph("inferred")))
        self.store_dir = self.build_dir / f".{OXIGRAPH_DIR}.tmp"
        self.dataset = self.build_dir / f".{DATASET_FILE}.tmp"

    def run(self, checks: list[Check], reach: Reach) -> BuildResult:
        """Apply, validate, reason and store; nothing in build/ changes unless the data conforms."""
        old = self._old_inputs()
        counts, shared_added, shared_removed = self._shared_delta(old)
        changed, subjects = self._changes(old, shared_added, shared_removed)
        if any(isinstance(n, ox.BlankNode) for t in changed for n in (t[0], t[2])) or any(
                isinstance(n, ox.BlankNode) for n in subjects):
            raise NotIncremental("blank nodes cannot be named in a query")
        shutil.rmtree(self.store_dir, ignore_errors=True)
        live = ox.Store.read_only(str(self.build_dir / OXIGRAPH_DIR))
        live.backup(str(self.store_dir))
        del live
        store = ox.Store(str(self.store_dir))
        try:
            self._apply(store, old, shared_added, shared_removed, counts)
            report = self._validate(store, checks, reach, changed, subjects)
            self.job.step("validated", 1)
            if not report.conforms:
                raise _Rejected(report)
            nodes = touched_nodes(changed)
            refresh(store, self.job.rules, self.job.schema, self.inferred, nodes)  # type: ignore[arg-type]
            self.job.step("reasoned", 1)
            derived = _nquads([q for n in sorted(nodes, key=str) for q in store.quads_for_pattern(n, None, None, self.inferred)])
            store.flush()
            statistics = count_store(store, None)
        except _Rejected as rejected:
            self._abandon(store)
            entries = read_manifest(self.build_dir).graphs
            return BuildResult(rejected.report, sum(e.triples for e in entries if e.kind not in ("inferred", "ontology")), 0,
                               len(entries), False, changed=len(self.changed) + len(self.removed))
        except BaseException:
            self._abandon(store)
            raise
        del store
        gc.collect()  # the store closes when its last reference goes; it must be closed before it is moved
        try:
            return self._store(report, nodes, derived, counts, statistics)
        except BaseException:
            shutil.rmtree(self.store_dir, ignore_errors=True)
            self.dataset.unlink(missing_ok=True)
            raise

    def _shared_delta(self, old: dict[str, bytes]) -> tuple[dict[bytes, int], list[bytes], list[bytes]]:
        """How many inputs state each line of the shared graph now, and the lines that came and went."""
        counts = dict(self.state.shared_counts)
        touched: set[bytes] = set()
        for key in old:
            for line in self.state.units[key].shared_lines():
                counts[line] -= 1
                touched.add(line)
        for new in self.fresh.values():
            for line in set(_lines(new.shared)):
                counts[line] = counts.get(line, 0) + 1
                touched.add(line)
        added = sorted(line for line in touched if counts[line] > 0 and not self.state.shared_counts.get(line))
        removed = sorted(line for line in touched if counts[line] <= 0)
        for line in removed:
            del counts[line]
        return counts, added, removed

    def _old_inputs(self) -> dict[str, bytes]:
        """The last build's N-Quads of every input that changed or went away, read from build/dataset.nq."""
        old: dict[str, bytes] = {}
        keys = [u.key for u in self.changed if u.key in self.state.units] + self.removed
        with (self.build_dir / DATASET_FILE).open("rb") as handle:
            for key in keys:
                section = self.state.sections.get(self.state.units[key].graph)
                old[key] = _read(handle, *section) if section else b""
        return old

    def _changes(self, old: dict[str, bytes], added: list[bytes], removed: list[bytes]) -> tuple[set[Triple], set[OxTerm]]:
        """The triples that changed, and the subjects of every statement the changed inputs made before or make now."""
        changed: set[Triple] = set()
        subjects: set[OxTerm] = set()
        for key in set(old) | set(self.fresh):
            before = _triples(old.get(key, b""))
            new = self.fresh.get(key)
            after = _triples(new.own) if new else set()
            changed |= before ^ after
            shared = [*(self.state.units[key].shared_lines() if key in self.state.units else []), *(_lines(new.shared) if new else [])]
            subjects |= {t[0] for t in before | after | _triples(b"".join(shared))}
        changed |= _triples(b"".join([*added, *removed]))
        return changed, subjects

    def _apply(self, store: ox.Store, old: dict[str, bytes], added: list[bytes], removed: list[bytes], counts: dict[bytes, int]) -> None:
        """Replace the graphs of changed and removed inputs, and bring the shared graph up to date."""
        for key in old:
            name = ox.NamedNode(self.state.units[key].graph)
            if store.contains_named_graph(name):
                store.remove_graph(name)
        own = b"".join(f.own for f in self.fresh.values())
        if own:
            store.load(own, format=NQUADS)
        for quad in ox.parse(b"".join(removed), format=NQUADS) if removed else ():
            store.remove(quad)
        if added:
            store.load(b"".join(added), format=NQUADS)
        if not counts and store.contains_named_graph(ox.NamedNode(self.shared)):
            store.remove_graph(ox.NamedNode(self.shared))  # a full build has no empty shared graph either
        self.job.step("applied", 1)

    def _validate(self, store: ox.Store, checks: list[Check], reach: Reach, changed: set[Triple], subjects: set[OxTerm]) -> Report:
        """Check again the focus nodes the change can affect; every other node keeps the last build's results."""
        focus = subjects | affected(store, reach, changed)
        context = ox.Store()
        graph = ox.NamedNode("urn:currigraph:context")
        context.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in gather(store, reach, focus, self.inferred)])  # type: ignore[arg-type]
        context.load(sorted_ntriples(self.job.ontology), format=ox.RdfFormat.N_TRIPLES, to_graph=self.ontology)
        again = {to_rdflib(n) for n in focus}
        lines = self._lines()
        found = [p for p in find_problems(context, checks, lines, os.cpu_count() or 1) if p.focus in again]
        found = self._with_lines(store, found)
        kept = [p for p in self.state.moved_problems(self.job.project.root) if p.focus not in again]
        problems = sorted(kept + found, key=problem_order)
        names = {n: name for n, name in self.state.names.items() if n not in again}
        names.update(names_of(context, {p.focus for p in found}))
        return report_of(problems, names)

    def _lines(self, extra: dict[str, Lines] | None = None) -> Lines:
        """The value lines of the converted inputs, merged in the inputs' order as a full build merges them (a later one wins)."""
        lines: Lines = {}
        for unit in self.job.units:
            if unit.key in self.fresh:
                lines.update(self.fresh[unit.key].lines)
            elif extra and unit.key in extra:
                lines.update(extra[unit.key])
        return lines

    def _with_lines(self, store: ox.Store, problems: list[Problem]) -> list[Problem]:
        """Give problems of nodes that unchanged documents also describe the lines a full build would give them."""
        focus = sorted({p.focus for p in problems if isinstance(p.path, URIRef) and isinstance(p.focus, URIRef)}, key=str)
        if not focus:
            return problems
        by_graph = {r.graph: key for key, r in self.records.items()}
        owners: set[str] = set()
        values = " ".join(f"<{f}>" for f in focus)
        for row in store.query(f"SELECT DISTINCT ?g WHERE {{ VALUES ?f {{ {values} }} GRAPH ?g {{ ?f ?p ?o }} }}"):  # type: ignore[union-attr]
            graph = row["g"].value  # type: ignore[index]
            if graph == self.shared:
                owners |= self._shared_owners(focus)
            elif graph in by_graph:
                owners.add(by_graph[graph])
        unchanged = [u for u in self.job.units if u.key in owners and u.key not in self.fresh and u.kind == "source"]
        if not unchanged:
            return problems
        key_of = {str(u.path): u.key for u in unchanged}
        extra = {key_of[doc.path]: doc.lines for chunk in convert_corpus([u.path for u in unchanged], self.job.minter.base, 1)
                 for doc in chunk.documents}
        lines = self._lines(extra)
        return [replace(p, where=lines.get((p.focus, p.path))) if isinstance(p.path, URIRef) else p for p in problems]

    def _shared_owners(self, focus: list[Node]) -> set[str]:
        """The inputs that make statements in the shared graph about any of these nodes."""
        prefixes = tuple(f"<{f}> ".encode() for f in focus)
        return {key for key, record in self.records.items() if any(line.startswith(prefixes) for line in record.shared_lines())}

    def _store(self, report: Report, nodes: set[OxTerm], derived: bytes, counts: dict[bytes, int], statistics: Statistics) -> BuildResult:
        """Write build/dataset.nq from the old sections and the new ones, then swap everything in, the manifest last."""
        old_entries = {e.iri: e for e in read_manifest(self.build_dir).graphs}
        fresh_by_graph = {f.graph: f for f in self.fresh.values()}
        entries = []
        for unit in self.job.units:
            record = self.records[unit.key]
            if record.triples:
                entries.append(GraphEntry(record.graph, unit.kind, record.triples, unit.path.name if unit.kind == "source" else None))
        shared = b"".join(sorted(counts))
        if shared:
            entries.append(GraphEntry(self.shared, "shared", len(counts)))
        entries.sort(key=lambda e: e.iri)
        with (self.build_dir / DATASET_FILE).open("rb") as old, self.dataset.open("wb") as handle:
            out = SectionWriter(handle)
            for entry in entries:
                if entry.iri in fresh_by_graph:
                    out.write(entry.iri, _in_store_order(fresh_by_graph[entry.iri].own, entry.iri))
                elif entry.iri == self.shared:
                    out.write(entry.iri, shared)
                else:
                    out.copy(entry.iri, old, *self.state.sections[entry.iri])
            out.copy(self.ontology.value, old, *self.state.sections[self.ontology.value])
            blocks = _by_subject(nodes, derived)
            dropped = out.splice(self.inferred.value, old, *self.state.sections[self.inferred.value], blocks)
            inferred = old_entries[self.inferred.value].triples - dropped + sum(b.count(b"\n") for b in blocks.values())
            handle.flush()
            os.fsync(handle.fileno())
        entries.append(old_entries[self.ontology.value])
        entries.append(GraphEntry(self.inferred.value, "inferred", inferred))
        state = BuildState(self.state.fingerprint, units=self.records, sections=out.sections, problems=report.problems,
                           names=report.names, shared_counts=counts, root=str(self.job.project.root))
        manifest = Manifest(self.job.minter.base, entries, f"currigraph {__version__}", True, state.build_id)
        statistics.version = state.build_id

        def before_manifest() -> None:
            save_state(self.build_dir, state)
            write_statistics(self.build_dir, statistics)

        install(self.build_dir, self.dataset, self.store_dir, manifest, before_manifest)
        self.job.step("stored", 1)
        asserted = sum(e.triples for e in entries if e.kind not in ("inferred", "ontology"))
        return BuildResult(report, asserted, entries[-1].triples, len(entries), True, changed=len(self.changed) + len(self.removed))

    def _abandon(self, store: ox.Store) -> None:
        del store
        gc.collect()
        shutil.rmtree(self.store_dir, ignore_errors=True)
        self.dataset.unlink(missing_ok=True)


class _Rejected(Exception):
    """The changed data does not conform: the build stops and build/ stays as it was."""

    def __init__(self, report: Report) -> None:
        super().__init__("the data does not conform")
        self.report = report


def _in_store_order(nquads: bytes, graph: str) -> bytes:
    """A graph's N-Quads in the order a full build writes them: the order its in-memory store lists them in."""
    store = ox.Store()
    store.load(nquads, format=NQUADS)
    return graph_nquads(store, graph)


def _lines(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines(keepends=True) if line.strip()]


def _read(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(length)


def _by_subject(nodes: set[OxTerm], derived: bytes) -> dict[bytes, bytes]:
    """The new sorted lines of each node's inferences (empty for a node that has none now), by subject as written."""
    grouped: dict[bytes, list[bytes]] = {str(n).encode(): [] for n in nodes}
    for line in _lines(derived):
        grouped[line[: line.index(b" ")]].append(line)
    return {subject: b"".join(sorted(lines)) for subject, lines in grouped.items()}


__all__ = ["DeltaInputs", "rebuild"]
