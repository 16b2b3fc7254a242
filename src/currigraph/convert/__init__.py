"""Converters from source documents to RDF: one per kind of document, each writing its own named graph."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.term import Node

from currigraph.convert.course_page import convert_course_page
from currigraph.convert.facts import FactWriter
from currigraph.convert.programme_page import convert_programme_page
from currigraph.convert.report import ExtractionReport
from currigraph.iris import Minter
from currigraph.sources.document import CATALOGUE, COURSE_PAGE, PROGRAMME_PAGE, PROSE, UNKNOWN, Document, load_document
from currigraph.vocab import bind_prefixes


def _convert_prose(writer: FactWriter) -> None:
    # Imported late: the prose extractor is the heaviest converter and most documents are pages.
    from currigraph.convert.prose import convert_prose

    convert_prose(writer)


def _convert_programme(writer: FactWriter) -> None:
    if writer.document.layout == "seed":
        convert_programme_page(writer)
        return
    from currigraph.convert.curriculum import convert_curriculum

    convert_curriculum(writer)


def _convert_course(writer: FactWriter) -> None:
    if writer.document.layout == "seed":
        convert_course_page(writer)
        return
    from currigraph.convert.course_generic import convert_course_fields

    convert_course_fields(writer)


def _convert_catalogue(writer: FactWriter) -> None:
    """The hook for structured catalogues: convert.catalogue.convert_catalogue(writer), when installed.

    It receives a FactWriter whose document has .data (the bytes), .text and .syntax ("json", "csv", "tsv",
    "xlsx"), finds the project's mapping for the records, and writes through the writer as every converter does;
    writer.report takes what it read and did not understand.
    """
    try:
        from currigraph.convert.catalogue import convert_catalogue  # type: ignore[import-not-found]
    except ImportError:
        writer.report.not_understood(f"{writer.document.syntax} records: no catalogue converter is installed")
        return
    convert_catalogue(writer)


def _convert_unknown(writer: FactWriter) -> None:
    writer.report.not_understood("the whole document: no layout the converters know")


CONVERTERS: dict[str, Callable[[FactWriter], object]] = {
    PROGRAMME_PAGE: _convert_programme,
    COURSE_PAGE: _convert_course,
    PROSE: _convert_prose,
    CATALOGUE: _convert_catalogue,
    UNKNOWN: _convert_unknown,
}


@dataclass
class Conversion:
    """Converted documents: the dataset of their named graphs, and where each value came from."""

    dataset: Dataset
    graphs: dict[URIRef, Document] = field(default_factory=dict)
    lines: dict[tuple[Node, Node], tuple[str, int]] = field(default_factory=dict)
    reports: list[ExtractionReport] = field(default_factory=list)


def write_document(document: Document, minter: Minter) -> FactWriter:
    """Run the converter of the document's kind; the writer holds its triples and the line of each value."""
    writer = FactWriter(document, minter)
    CONVERTERS[document.kind](writer)
    if document.layout != "seed" or document.kind == PROSE:
        # Every document gets a report; seed-layout pages keep their former graphs byte for byte.
        writer.finish()
    else:
        writer.report.count(writer.graph)
    return writer


def convert_document(document: Document, conversion: Conversion, minter: Minter) -> URIRef:
    """Convert one loaded document into its named graph inside the conversion's dataset."""
    writer = write_document(document, minter)
    graph = conversion.dataset.graph(writer.graph_iri)
    for triple in writer.graph:
        graph.add(triple)
    conversion.graphs[writer.graph_iri] = document
    conversion.reports.append(writer.report)
    for key, line in writer.lines.items():
        conversion.lines[key] = (str(document.path), line)
    return writer.graph_iri


def new_conversion(minter: Minter) -> Conversion:
    """An empty conversion whose dataset has the project's prefixes bound."""
    return Conversion(bind_prefixes(Dataset(), minter.base))


def convert_paths(
    paths: Iterable[Path], minter: Minter, on_document: Callable[[Path], None] | None = None
) -> Conversion:
    """Load and convert several source files (raises InputError, naming the file, on the first bad one)."""
    conversion = new_conversion(minter)
    for path in paths:
        convert_document(load_document(path), conversion, minter)
        if on_document:
            on_document(path)
    return conversion
