"""Checking new data (RDF files or source documents) against the shapes, in the context of the built graph."""

from pathlib import Path

from rdflib import OWL, Graph
from rdflib.term import Node

from currigraph.build import union
from currigraph.convert import convert_document, new_conversion
from currigraph.documents import load_document, read_text
from currigraph.errors import InputError
from currigraph.iris import Minter
from currigraph.project import Project
from currigraph.rdf_input import parse_rdf, sniff_rdf_format
from currigraph.schema_files import load_turtle_dir
from currigraph.store import load_dataset
from currigraph.validate import Report, validate


def load_submission(path: Path, minter: Minter, data: bytes | None = None) -> tuple[Graph, dict]:
    """Read one file as RDF (by its content) or as a source document; return its triples and value lines."""
    text = read_text(path, data)
    rdf_format = sniff_rdf_format(text)
    if rdf_format:
        graph = parse_rdf(text, rdf_format, str(path))
        # owl:imports is never followed: it would make the validator fetch URLs.
        graph.remove((None, OWL.imports, None))
        return graph, {}
    conversion = new_conversion(minter)
    convert_document(load_document(path, text.encode("utf-8")), conversion, minter)
    merged = Graph()
    for graph in conversion.dataset.graphs():
        for triple in graph:
            merged.add(triple)
    return merged, conversion.lines


def check_files(project: Project, files: list[Path]) -> Report:
    """Validate files together with the built graph; report only problems of the new data's nodes."""
    minter = Minter(project.base)
    new = Graph()
    lines: dict = {}
    for path in files:
        graph, file_lines = load_submission(path, minter)
        if not len(graph):
            raise InputError("no RDF triples in this file", str(path))
        for triple in graph:
            new.add(triple)
        lines.update(file_lines)
    ontology = load_turtle_dir(project.ontology_dir)
    shapes = load_turtle_dir(project.shapes_dir)
    context = new_conversion(minter)
    try:
        context.dataset = load_dataset(project.build_dir, {"source"})
    except InputError:
        pass  # no build yet: validate the new data against the ontology alone
    data = union(context, ontology)
    for triple in new:
        data.add(triple)
    report = validate(data, shapes, lines)
    subjects: set[Node] = set(new.subjects())
    report.problems = [p for p in report.problems if p.focus in subjects]
    report.conforms = not report.violations
    return report
