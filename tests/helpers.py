"""Shared test helpers: convert documents and query the result with SPARQL."""

from pathlib import Path

from rdflib import Graph

from currigraph.convert import Conversion, convert_document, new_conversion
from currigraph.iris import Minter
from currigraph.sources.document import load_document
from currigraph.vocab import sparql_prologue

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
BASE = "https://data.currigraph.org/"


def convert_text(text: str, name: str = "doc.txt") -> Conversion:
    """Convert a document given as text (as if read from a file called name)."""
    minter = Minter(BASE)
    conversion = new_conversion(minter)
    convert_document(load_document(Path(name), text.encode("utf-8")), conversion, minter)
    return conversion


def convert_file(path: Path) -> Conversion:
    """Convert one source file."""
    minter = Minter(BASE)
    conversion = new_conversion(minter)
    convert_document(load_document(path), conversion, minter)
    return conversion


def merged(conversion: Conversion) -> Graph:
    """All triples of a conversion in one graph."""
    graph = Graph()
    for g in conversion.dataset.graphs():
        for triple in g:
            graph.add(triple)
    return graph


def select(graph: Graph, query: str) -> list[tuple]:
    """Rows of a SELECT, as tuples of Python values (IRIs and literals as strings, numbers as numbers)."""
    rows = graph.query(sparql_prologue(BASE) + query)
    return [tuple(v.toPython() if v is not None else None for v in row) for row in rows]
