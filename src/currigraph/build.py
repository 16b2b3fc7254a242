"""The build: convert the sources, validate them with the shapes, reason, and store the dataset."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from currigraph import __version__
from currigraph.convert import Conversion, convert_paths
from currigraph.iris import Minter
from currigraph.project import Project
from currigraph.reason_fast import infer_fast
from currigraph.schema_files import load_turtle_dir
from currigraph.store import GraphEntry, write_build, write_oxigraph
from currigraph.validate import Report, validate
from currigraph.validate_fast import Unsupported, compile_shapes, to_store, validate_store

Progress = Callable[[str, int], None]


@dataclass
class BuildResult:
    """What a build produced: the validation report and the size of each part."""

    report: Report
    asserted: int
    inferred: int
    graphs: int
    written: bool


def _entry(graph: Graph, conversion: Conversion) -> GraphEntry:
    """The manifest entry of an asserted graph: a source document's, the shared one, or a published course's."""
    document = conversion.graphs.get(graph.identifier)  # type: ignore[arg-type]
    if str(graph.identifier).endswith("/graph/shared"):
        return GraphEntry(str(graph.identifier), "shared", len(graph))
    if document is None:
        return GraphEntry(str(graph.identifier), "published", len(graph))
    return GraphEntry(str(graph.identifier), "source", len(graph), document.path.name)


def union(conversion: Conversion, ontology: Graph) -> Graph:
    """Asserted data of every source plus the ontology, as one graph (what the shapes see)."""
    data = Graph()
    for graph in conversion.dataset.graphs():
        for triple in graph:
            data.add(triple)
    for triple in ontology:
        data.add(triple)
    return data


def add_published(conversion: Conversion, project: Project, minter: Minter) -> None:
    """Courses published through the API: each file is one named graph, validated and reasoned with the rest."""
    from currigraph.publishing import PUBLISHED_PREFIX
    from currigraph.rdf_input import parse_rdf

    for path in project.published_files():
        graph = parse_rdf(path.read_text("utf-8"), "turtle", str(path))
        target = conversion.dataset.graph(minter.graph(PUBLISHED_PREFIX + path.stem))
        for triple in graph:
            target.add(triple)


# Nodes that many documents mention; what is said about them is kept once, in the shared graph.
SHARED_ROOTS = ("pillar/", "scheme/", "organisation/", "person/", "track/", "agent/")


def share_common_nodes(conversion: Conversion, minter: Minter) -> Graph | None:
    """Move statements about shared nodes (pillars, schemes, organisations, people, tracks, the converter) into one graph.

    Every source that mentions a pillar states its label and scheme again; in a union default graph, which
    pyoxigraph evaluates as a multiset, a join through the pillar would then match once per source. Kept once
    here, each statement is still traceable: the node keeps prov:wasDerivedFrom every source that stated it,
    and facts read from sentences keep their reified evidence in the source's own graph.
    """
    shared_prefixes = tuple(minter.base + root for root in SHARED_ROOTS)
    shared = conversion.dataset.graph(minter.graph("shared"))
    for graph in list(conversion.dataset.graphs()):
        if graph.identifier == shared.identifier:
            continue
        moving = [t for t in graph if isinstance(t[0], URIRef) and str(t[0]).startswith(shared_prefixes)]
        for triple in moving:
            graph.remove(triple)
            shared.add(triple)
    return shared if len(shared) else None


def run_build(project: Project, sources: list[Path] | None = None, progress: Progress | None = None) -> BuildResult:
    """Convert, validate, reason and write build/; nothing is written unless the data conforms."""
    step = progress or (lambda _msg, _n: None)
    minter = Minter(project.base)
    files = sources if sources is not None else project.source_files()
    ontology = load_turtle_dir(project.ontology_dir)
    shapes = load_turtle_dir(project.shapes_dir)
    conversion = convert_paths(files, minter, on_document=lambda p: step(f"converted {p.name}", 1))
    if sources is None:
        add_published(conversion, project, minter)
    share_common_nodes(conversion, minter)
    asserted = sorted((g for g in conversion.dataset.graphs() if len(g)), key=lambda g: str(g.identifier))
    named_ontology = Graph(identifier=minter.graph("ontology"))
    named_ontology += ontology
    # One pyoxigraph store holds what the build writes: it is what validation queries, and what is stored.
    dataset = to_store([*asserted, named_ontology])
    report = _validate(dataset, conversion, ontology, shapes)
    step("validated", 1)
    if not report.conforms:
        return BuildResult(report, sum(len(g) for g in asserted), 0, len(asserted), False)
    inferred = infer_fast(ontology, asserted)
    inferred_named = Graph(identifier=minter.graph("inferred"))
    inferred_named += inferred
    to_store([inferred_named], dataset)
    step("reasoned", 1)
    entries = [_entry(g, conversion) for g in asserted]
    entries.append(GraphEntry(str(minter.graph("ontology")), "ontology", len(ontology)))
    entries.append(GraphEntry(str(minter.graph("inferred")), "inferred", len(inferred)))
    write_build(project.build_dir, dataset, entries, minter.base, {"generator": f"currigraph {__version__}", "conforms": True})
    write_oxigraph(project.build_dir)
    step("stored", 1)
    return BuildResult(report, sum(len(g) for g in asserted), len(inferred), len(entries), True)


def _validate(dataset: ox.Store, conversion: Conversion, ontology: Graph, shapes: Graph) -> Report:
    """The shapes compiled to SPARQL over the store; pyshacl (the reference) when they use SHACL the compiler lacks."""
    try:
        checks = compile_shapes(shapes)
    except Unsupported:
        return validate(union(conversion, ontology), shapes, conversion.lines)
    return validate_store(dataset, checks, conversion.lines)
