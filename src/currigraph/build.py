"""The build: convert the sources, validate them with the shapes, reason, and store the dataset.

Everything happens in one in-memory pyoxigraph store: converted documents arrive as N-Quads from worker
processes (convert.batch), together with what each document entails under the ontology (reason_rules), the
shapes run as SPARQL over it (validate_fast), the entailments are merged into the inferred graph after
validation (reason_store.settle; the OWL 2 RL rules run as SPARQL updates inside the store instead when the
ontology has rules that join several triples), and it is what build/ is written from. rdflib holds one document
at a time, the ontology and the shapes; pyshacl and owlrl stay the references the fast paths fall back to.
"""

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from currigraph import __version__
from currigraph.convert.batch import convert_corpus
from currigraph.iris import Minter
from currigraph.project import Project
from currigraph.reason_fast import Schema
from currigraph.reason_rules import Rules
from currigraph.reason_store import graph_size, infer_in_store, settle
from currigraph.schema_files import load_turtle_dir
from currigraph.store import BuildWriter, GraphEntry, build_lock
from currigraph.terms import OxTerms, sorted_ntriples, to_rdflib_triple
from currigraph.validate import Lines, Report, validate
from currigraph.validate_fast import Unsupported, compile_shapes, validate_store

Progress = Callable[[str, int], None]
NQUADS = ox.RdfFormat.N_QUADS


@dataclass
class BuildResult:
    """What a build produced: the validation report and the size of each part."""

    report: Report
    asserted: int
    inferred: int
    graphs: int
    written: bool


@dataclass
class Converted:
    """The sources in one store: a named graph per document (plus shared and published ones), and value lines."""

    store: ox.Store
    entries: list[GraphEntry] = field(default_factory=list)
    lines: Lines = field(default_factory=dict)
    # What the documents entail (N-Triples), kept out of the store until validation has seen the asserted data alone.
    derived: BinaryIO = field(default_factory=tempfile.TemporaryFile)
    states_schema: bool = False


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
        for iri, path, triples in chunk.graphs:
            if iri in sizes:
                repeated.add(iri)  # two files with the same name stem share a graph; count it in the store
            sizes[iri] = (Path(path).name, triples)
        step(f"converted {Path(chunk.graphs[-1][1]).name}", len(chunk.graphs))
    for iri, (name, triples) in sizes.items():
        triples = graph_size(converted.store, iri) if iri in repeated else triples
        if triples:
            converted.entries.append(GraphEntry(iri, "source", triples, name))
    return converted


def add_published(converted: Converted, project: Project, minter: Minter, rules: Rules | None = None) -> None:
    """Courses published through the API: each file is one named graph, validated and reasoned with the rest."""
    from currigraph.publishing import PUBLISHED_PREFIX
    from currigraph.rdf_input import parse_rdf

    shared, terms = minter.graph("shared"), OxTerms()
    for path in project.published_files():
        graph = parse_rdf(path.read_text("utf-8"), "turtle", str(path))
        name = minter.graph(PUBLISHED_PREFIX + path.stem)
        triples = sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
        quads = [ox.Quad(terms.term(s), terms.term(p), terms.term(o),  # type: ignore[arg-type]
                         terms.iri(shared if minter.is_shared(s) else name)) for s, p, o in triples]
        converted.store.extend(quads)
        if rules is not None:
            entailed, states = rules.entailments([(q.subject, q.predicate, q.object) for q in quads])  # type: ignore[misc]
            converted.derived.write(entailed)
            converted.states_schema |= states
        if own := graph_size(converted.store, name):
            converted.entries.append(GraphEntry(str(name), "published", own))


def run_build(project: Project, sources: list[Path] | None = None, progress: Progress | None = None,
              jobs: int | None = None) -> BuildResult:
    """Convert, validate, reason and write build/; nothing is written unless the data conforms."""
    with build_lock(project.build_dir):
        return _build(project, sources, progress, jobs)


def _build(project: Project, sources: list[Path] | None, progress: Progress | None, jobs: int | None) -> BuildResult:
    step = progress or (lambda _msg, _n: None)
    minter = Minter(project.base)
    files = sources if sources is not None else project.source_files()
    ontology = load_turtle_dir(project.ontology_dir)
    shapes = load_turtle_dir(project.shapes_dir)
    schema = Schema(ontology)
    rules = Rules.of(schema)
    converted = convert_sources(files, minter, step, jobs, rules)
    if sources is None:
        add_published(converted, project, minter, rules)
    store, entries = converted.store, converted.entries
    shared = str(minter.graph("shared"))
    if shared_size := graph_size(store, shared):
        entries.append(GraphEntry(shared, "shared", shared_size))
    entries.sort(key=lambda e: e.iri)
    asserted = sum(e.triples for e in entries)
    ontology_iri, inferred_iri = ox.NamedNode(str(minter.graph("ontology"))), ox.NamedNode(str(minter.graph("inferred")))
    store.load(sorted_ntriples(ontology), format=ox.RdfFormat.N_TRIPLES, to_graph=ontology_iri)
    writer = BuildWriter(project.build_dir)
    writer.start(store, [*(e.iri for e in entries), ontology_iri.value])  # the on-disk store loads while shapes and rules run
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
        writer.finish(store, inferred_iri.value, entries, minter.base, {"generator": f"currigraph {__version__}", "conforms": True})
    except BaseException:
        writer.abandon()
        raise
    step("stored", 1)
    return BuildResult(report, asserted, inferred, len(entries), True)


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
