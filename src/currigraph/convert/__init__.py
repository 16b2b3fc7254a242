"""Converters from source documents to RDF: one per kind of document, each writing its own named graph."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from currigraph.convert.catalogue import CatalogueWriter, catalogue_format, convert_catalogue
from currigraph.convert.course_page import convert_course_page
from currigraph.convert.facts import FactWriter
from currigraph.convert.links import apply_links
from currigraph.convert.programme_page import convert_programme_page
from currigraph.convert.report import ExtractionReport
from currigraph.iris import Minter
from currigraph.mapping.reading import MAX_CATALOGUE_BYTES
from currigraph.sources.document import CATALOGUE, COURSE_PAGE, PROGRAMME_PAGE, PROSE, UNKNOWN, Document, load_document
from currigraph.vocab import CG, bind_prefixes


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
    """Records that no catalogue mapping describes (write_source converts the ones a mapping matches): reported."""
    writer.report.not_understood(f"{writer.document.syntax} records: no catalogue mapping in mappings/catalogues/ matches this "
                                 "file; write one (docs/catalogues.md)")


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
    graphs: dict[URIRef, Document | Path] = field(default_factory=dict)  # a catalogue is known by its path
    lines: dict[tuple[Node, Node], tuple[str, int]] = field(default_factory=dict)
    reports: list[ExtractionReport] = field(default_factory=list)


def write_document(document: Document, minter: Minter) -> FactWriter:
    """Run the converter of the document's kind; the writer holds its triples and the line of each value."""
    writer = FactWriter(document, minter)
    CONVERTERS[document.kind](writer)
    apply_links(writer)  # the project's link table, whatever the kind of document
    if document.layout != "seed" or document.kind == PROSE:
        # Every document gets a report; seed-layout pages keep their former graphs byte for byte.
        writer.finish()
    else:
        writer.report.count(writer.graph)
    return writer


def convert_document(document: Document, conversion: Conversion, minter: Minter) -> URIRef:
    """Convert one loaded document into its named graph inside the conversion's dataset."""
    return _add_graph(conversion, write_document(document, minter), document, document.path)


def _add_graph(conversion: Conversion, writer: FactWriter | CatalogueWriter, origin: Document | Path, path: Path) -> URIRef:
    graph = conversion.dataset.graph(writer.graph_iri)
    for triple in writer.graph:
        graph.add(triple)
    conversion.graphs[writer.graph_iri] = origin
    conversion.reports.append(writer.report)
    for key, line in writer.lines.items():
        conversion.lines[key] = (str(path), line)
    return writer.graph_iri


def write_source(path: Path, minter: Minter) -> FactWriter | CatalogueWriter:
    """Convert one source file, whatever its kind: a catalogue a mapping matches through its mapping (with its
    extraction report), any other document by the kind its content shows."""
    if path.is_file() and path.stat().st_size <= MAX_CATALOGUE_BYTES:
        data = path.read_bytes()
        syntax = catalogue_format(path, data)
        if syntax is not None:
            writer = convert_catalogue(path, data, minter)
            report = ExtractionReport(str(path), "catalogue", syntax, reasons=[f"records described by the mapping {writer.mapping.name}"])
            report.read(f"{writer.records} records")
            report.count(writer.graph)
            for note in report.notes():
                writer.graph.add((writer.source, CG.extractionNote, Literal(note)))
            for warning in report.warnings:
                writer.graph.add((writer.source, CG.extractionWarning, Literal(warning)))
            writer.report = report
            return writer
    return write_document(load_document(path), minter)


def new_conversion(minter: Minter) -> Conversion:
    """An empty conversion whose dataset has the project's prefixes bound."""
    return Conversion(bind_prefixes(Dataset(), minter.base))


def convert_paths(
    paths: Iterable[Path], minter: Minter, on_document: Callable[[Path], None] | None = None
) -> Conversion:
    """Load and convert several source files (raises InputError, naming the file, on the first bad one)."""
    conversion = new_conversion(minter)
    for path in paths:
        writer = write_source(path, minter)
        _add_graph(conversion, writer, writer.document if isinstance(writer, FactWriter) else path, path)
        if on_document:
            on_document(path)
    return conversion
