"""The build: convert the sources, validate them with the shapes, reason, and store the dataset.

A full build does everything in one in-memory pyoxigraph store: converted documents arrive as N-Quads from worker
processes (convert.batch), together with what each document entails under the ontology (reason_rules), the
shapes run as SPARQL over it (validate_fast), the entailments are merged into the inferred graph after
validation (reason_store.settle; the OWL 2 RL rules run as SPARQL updates inside the store instead when the
ontology has rules that join several triples), and it is what build/ is written from. rdflib holds one document
at a time, the ontology and the shapes; pyshacl and owlrl stay the references the fast paths fall back to.

Every build also records what it was made of (build_state), and the next build of the same project redoes only
what changed since (build_delta) when it can; `full=True` (`currigraph build --full`) always does everything.
"""

import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from currigraph import __version__
from currigraph.build.delta import DeltaInputs, rebuild
from currigraph.build.lock import build_lock
from currigraph.build.manifest import GraphEntry, Manifest, read_manifest
from currigraph.build.result import BuildResult
from currigraph.build.state import BuildState, Unit, UnitRecord, fingerprint, forget_state, load_state, pack_lines, save_state, scan_units
from currigraph.build.statistics import Statistics, count_store, write_statistics
from currigraph.build.writer import BuildWriter, Sections
from currigraph.convert.batch import convert_corpus
from currigraph.convert.catalogue import catalogue_mappings_path, mapping_files
from currigraph.courses.storage import published_quads
from currigraph.iris import Minter
from currigraph.project import Project, load_turtle_dir
from currigraph.reasoning.in_store import graph_size, infer_in_store, settle
from currigraph.reasoning.rules import Rules
from currigraph.reasoning.schema import Schema
from currigraph.sources.lexicon import prose_lexicon_files
from currigraph.sources.links import link_table_path
from currigraph.sources.page_lexicon import lexicon_dir
from currigraph.terms import OxTerms, sorted_ntriples, to_rdflib_triple
from currigraph.validation.compiled import Unsupported, compile_shapes, validate_store
from currigraph.validation.report import Lines, Report
from currigraph.validation.shacl import validate
from currigraph.vocab import CG_NS

Progress = Callable[[str, int], None]
NQUADS = ox.RdfFormat.N_QUADS

__all__ = ["BuildResult", "Converted", "add_published", "convert_sources", "infer_converted", "run_build", "union_graph"]


@dataclass
class Converted:
    """The sources in one store: a named graph per document (plus shared and published ones), and value lines."""

    store: ox.Store
    entries: list[GraphEntry] = field(default_factory=list)
    lines: Lines = field(default_factory=dict)
    # What the documents entail (N-Triples), kept out of the store until validation has seen the asserted data alone.
    derived: BinaryIO = field(default_factory=tempfile.TemporaryFile)
    states_schema: bool = False
    # Each input's graph, own size and statements about shared nodes (N-Quads), by path: what build_state records.
    records: dict[str, tuple[str, int, bytes]] = field(default_factory=dict)
    repeated: bool = False  # two inputs share a graph (the same file name stem): no record can tell them apart


def convert_sources(files: list[Path], minter: Minter, step: Progress, jobs: int | None = None,
                    rules: Rules | None = None) -> Converted:
    """Convert source documents into a new store (and what they entail, given rules); InputError names the first bad file."""
    converted = Converted(ox.Store())
    sizes: dict[str, tuple[str, int]] = {}
    repeated: set[str] = set()
    for chunk in convert_corpus(files, minter.base, jobs, rules):
        converted.store.load(chunk.nquads, format=NQUADS, lenient=True)  # written by pyoxigraph itself
        converted.derived.write(chunk.derived)
        converted.states_schema |= chunk.states_schema
        converted.lines.update(chunk.lines)
        for doc in chunk.documents:
            if doc.graph in sizes:
                repeated.add(doc.graph)  # two files with the same name stem share a graph; count it in the store
            sizes[doc.graph] = (Path(doc.path).name, doc.triples)
            converted.records[doc.path] = (doc.graph, doc.triples, doc.shared)
        step(f"converted {Path(chunk.documents[-1].path).name}", len(chunk.documents))
    for iri, (name, triples) in sizes.items():
        triples = graph_size(converted.store, iri) if iri in repeated else triples
        if triples:
            converted.entries.append(GraphEntry(iri, "source", triples, name))
    converted.repeated = bool(repeated)
    return converted


def add_published(converted: Converted, project: Project, minter: Minter, rules: Rules | None = None,
                  files: list[Path] | None = None) -> None:
    """Courses published through the API: each file is one named graph, validated and reasoned with the rest."""
    terms = OxTerms()
    for path in project.published_files() if files is None else files:
        name, own, shared = published_quads(path, minter, terms)
        converted.store.extend([*own, *shared])
        if rules is not None:
            entailed, states = rules.entailments([(q.subject, q.predicate, q.object) for q in [*own, *shared]])  # type: ignore[misc]
            converted.derived.write(entailed)
            converted.states_schema |= states
        converted.records[str(path)] = (name, len(own), ox.serialize(shared, format=NQUADS) or b"")
        if own:
            converted.entries.append(GraphEntry(name, "published", graph_size(converted.store, name)))


def run_build(project: Project, sources: list[Path] | None = None, progress: Progress | None = None,
              jobs: int | None = None, full: bool = False, strict: bool = False) -> BuildResult:
    """Convert, validate, reason and write build/ (only what changed, when the last build's record allows); nothing is
    written unless the data conforms, nor, when strict, while any document has an extraction warning (a strict build
    converts every document, so that each one's warnings are seen)."""
    with build_lock(project.build_dir), project.reading():  # the project's own lexicon and link table
        result = _build(project, sources, progress, jobs, full or strict, strict)
    if result.written and not result.warnings and not strict:
        result.warnings = stored_warnings(project.build_dir)
    return result


EXTRACTION_WARNINGS = f"SELECT ?src ?w WHERE {{ ?src <{CG_NS}extractionWarning> ?w }} ORDER BY ?src ?w"


def extraction_warnings(store: ox.Store) -> list[tuple[str, str]]:
    """(source document, warning) of every document in a store whose extraction report has a warning."""
    rows = store.query(EXTRACTION_WARNINGS, use_default_graph_as_union=True)
    return [(row["src"].value, row["w"].value) for row in rows]  # type: ignore[union-attr,index]


def stored_warnings(build_dir: Path) -> list[tuple[str, str]]:
    """The extraction warnings of the build in build/ (read from its store; nothing when it cannot be opened)."""
    try:
        store = ox.Store.read_only(str(build_dir / "oxigraph"))
    except (OSError, ValueError):
        return []
    return extraction_warnings(store)


def _build(project: Project, sources: list[Path] | None, progress: Progress | None, jobs: int | None,
           full: bool, strict: bool = False) -> BuildResult:
    step = progress or (lambda _msg, _n: None)
    minter = Minter(project.base)
    files = sources if sources is not None else project.source_files()
    published = project.published_files() if sources is None else []
    ontology = load_turtle_dir(project.ontology_dir)
    shapes = load_turtle_dir(project.shapes_dir)
    schema = Schema(ontology)
    rules = Rules.of(schema)
    units = scan_units(project.root, files, published)
    table = link_table_path()
    made_under = fingerprint(project.base, sorted(project.ontology_dir.glob("*.ttl")), sorted(project.shapes_dir.glob("*.ttl")),
                             [*lexicon_files(), *([table] if table is not None else [])], mapping_files(catalogue_mappings_path()))
    state = None if full else load_state(project.build_dir, made_under, _build_id(project))
    if state is not None:
        result = rebuild(DeltaInputs(project, units, state, minter, ontology, shapes, schema, rules, step, jobs))
        if result is not None:
            return result
    return _full_build(project, files, published, units, minter, ontology, shapes, schema, rules, made_under, step, jobs,
                       strict)


def lexicon_files() -> list[Path]:
    """Every file of the active lexicon: the prose words of each language and the page words and units beside them."""
    return sorted({*prose_lexicon_files(), *lexicon_dir().glob("*.yaml")})


def _build_id(project: Project) -> str | None:
    """The id of the build build/ holds now, as its manifest says (None when there is none)."""
    try:
        return read_manifest(project.build_dir).build
    except Exception:  # no build, or one that cannot be read: nothing to build on
        return None


def _full_build(project: Project, files: list[Path], published: list[Path], units: list[Unit], minter: Minter, ontology: Graph,
                shapes: Graph, schema: Schema, rules: Rules | None, made_under: str, step: Progress,
                jobs: int | None, strict: bool = False) -> BuildResult:
    converted = convert_sources(files, minter, step, jobs, rules)
    warnings = extraction_warnings(converted.store)
    if strict and warnings:
        return BuildResult(Report(True, []), 0, 0, 0, False, warnings=warnings, refused_by_strict=True)
    add_published(converted, project, minter, rules, published)
    store, entries = converted.store, converted.entries
    shared = str(minter.graph("shared"))
    if shared_size := graph_size(store, shared):
        entries.append(GraphEntry(shared, "shared", shared_size))
    entries.sort(key=lambda e: e.iri)
    asserted = sum(e.triples for e in entries)
    ontology_iri, inferred_iri = ox.NamedNode(str(minter.graph("ontology"))), ox.NamedNode(str(minter.graph("inferred")))
    store.load(sorted_ntriples(ontology), format=ox.RdfFormat.N_TRIPLES, to_graph=ontology_iri)
    writer = BuildWriter(project.build_dir)
    # The on-disk store loads while shapes and rules run; the shared graph is sorted, as a rebuild keeps it.
    writer.start(store, [*(e.iri for e in entries), ontology_iri.value], frozenset({shared}))
    try:
        report = _validate(store, shapes, converted.lines)
        step("validated", 1)
        if not report.conforms:
            writer.abandon()
            return BuildResult(report, asserted, 0, len(entries), False)
        inferred = infer_converted(converted, ontology, ontology_iri, inferred_iri, schema, rules)
        step("reasoned", 1)
        entries.append(GraphEntry(ontology_iri.value, "ontology", len(ontology)))
        entries.append(GraphEntry(inferred_iri.value, "inferred", inferred))
        state = BuildState(made_under, problems=report.problems, names=report.names, root=str(project.root))
        state.units = {u.key: UnitRecord(u.sha256, *_record(converted, u)) for u in units if str(u.path) in converted.records}
        state.shared_counts = dict(Counter(line for record in state.units.values() for line in record.shared_lines()))
        manifest = Manifest(minter.base, entries, f"currigraph {__version__}", True, state.build_id)
        statistics = count_store(store, state.build_id)
        writer.finish(store, inferred_iri.value, manifest, lambda sections: _keep(project, state, sections, converted.repeated, statistics))
    except BaseException:
        writer.abandon()
        raise
    step("stored", 1)
    return BuildResult(report, asserted, inferred, len(entries), True, warnings=warnings)


def _record(converted: Converted, unit: Unit) -> tuple[str, str, int, bytes]:
    graph, triples, shared = converted.records[str(unit.path)]
    return graph, unit.kind, triples, pack_lines(shared)


def _keep(project: Project, state: BuildState, sections: Sections, repeated: bool, statistics: Statistics) -> None:
    """Record the build for the next one (none when two inputs share a graph: a full build sorts that out), and its statistics."""
    write_statistics(project.build_dir, statistics)
    if repeated:
        forget_state(project.build_dir)
        return
    state.sections = sections
    save_state(project.build_dir, state)


def infer_converted(converted: Converted, ontology: Graph, ontology_iri: ox.NamedNode, inferred_iri: ox.NamedNode,
                    schema: Schema, rules: Rules | None) -> int:
    """The inferred graph: the documents' own entailments merged, or the rules run over the whole store."""
    with converted.derived:  # the temporary file is gone once reasoning is done, whichever way it went
        if rules is None or converted.states_schema:
            return infer_in_store(converted.store, ontology, ontology_iri, inferred_iri, schema)
        converted.derived.seek(0)
        converted.store.load(converted.derived, format=ox.RdfFormat.N_TRIPLES, to_graph=inferred_iri, lenient=True)
    return settle(converted.store, schema, inferred_iri)


def union_graph(store: ox.Store) -> Graph:
    """Every triple of every graph of the store as one rdflib graph (what pyshacl, the reference, validates)."""
    data = Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        data.add(to_rdflib_triple(quad))
    return data


def _validate(store: ox.Store, shapes: Graph, lines: Lines) -> Report:
    """The shapes compiled to SPARQL over the store; pyshacl (the reference) when they use SHACL the compiler lacks."""
    try:
        checks = compile_shapes(shapes)
    except Unsupported:
        return validate(union_graph(store), shapes, lines)
    return validate_store(store, checks, lines, threads=os.cpu_count() or 1)
