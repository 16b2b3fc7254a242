"""Converters from source documents to RDF: one per kind of document, each writing its own named graph."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.term import Node

from currigraph.convert.course_page import convert_course_page
from currigraph.convert.facts import FactWriter
from currigraph.convert.links import apply_links
from currigraph.convert.programme_page import convert_programme_page
from currigraph.iris import Minter
from currigraph.sources.document import COURSE_PAGE, PROGRAMME_PAGE, PROSE, Document, load_document
from currigraph.vocab import bind_prefixes


def _convert_prose(writer: FactWriter) -> None:
    # Imported late: the prose extractor is the heaviest converter and most documents are pages.
    from currigraph.convert.prose import convert_prose

    convert_prose(writer)


CONVERTERS: dict[str, Callable[[FactWriter], object]] = {
    PROGRAMME_PAGE: convert_programme_page,
    COURSE_PAGE: convert_course_page,
    PROSE: _convert_prose,
}


@dataclass
class Conversion:
    """Converted documents: the dataset of their named graphs, and where each value came from."""

    dataset: Dataset
    graphs: dict[URIRef, Document] = field(default_factory=dict)
    lines: dict[tuple[Node, Node], tuple[str, int]] = field(default_factory=dict)


def write_document(document: Document, minter: Minter) -> FactWriter:
    """Run the converter of the document's kind; the writer holds its triples and the line of each value."""
    writer = FactWriter(document, minter)
    CONVERTERS[document.kind](writer)
    apply_links(writer)  # the project's link table, whatever the kind of document
    return writer


def convert_document(document: Document, conversion: Conversion, minter: Minter) -> URIRef:
    """Convert one loaded document into its named graph inside the conversion's dataset."""
    writer = write_document(document, minter)
    graph = conversion.dataset.graph(writer.graph_iri)
    for triple in writer.graph:
        graph.add(triple)
    conversion.graphs[writer.graph_iri] = document
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
