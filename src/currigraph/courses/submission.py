"""New course data as users submit it (a Markdown course page, or Turtle, JSON-LD, RDF/XML, N-Triples), as a graph."""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

from currigraph.convert import convert_document, new_conversion
from currigraph.errors import InputError
from currigraph.iris import Minter
from currigraph.sources.document import CATALOGUE, UNKNOWN, load_document, read_text
from currigraph.sources.rdf import RDF_MEDIA_TYPES, parse_rdf, sniff_rdf_format
from currigraph.vocab import CG

MARKDOWN_TYPES = {"text/markdown", "text/x-markdown"}
# Predicates that change the ontology rather than describe data; submissions may not use them.
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass,
                     OWL.equivalentProperty, OWL.inverseOf, OWL.imports, OWL.sameAs, OWL.propertyChainAxiom}


class UnsupportedMediaType(InputError):
    """A Content-Type that is neither RDF nor a Markdown course page."""


@dataclass
class Submission:
    """Submitted data as triples, with the file line each front-matter value came from."""

    graph: Graph
    lines: dict[tuple[Node, Node], tuple[str, int]] = field(default_factory=dict)
    markdown: bool = False

    def courses(self) -> list[URIRef]:
        """The courses the submission describes."""
        return sorted(c for c in self.graph.subjects(RDF.type, CG.Course) if isinstance(c, URIRef))


def _from_markdown(text: str, name: str, minter: Minter) -> Submission:
    conversion = new_conversion(minter)
    document = load_document(Path(name), text.encode("utf-8"))
    if document.kind in (UNKNOWN, CATALOGUE):
        raise InputError(f"unknown kind of document ({'; '.join(document.reasons)}): send a course page or RDF", name)
    convert_document(document, conversion, minter)
    graph = Graph()
    for g in conversion.dataset.graphs():
        for triple in g:
            graph.add(triple)
    return Submission(graph, conversion.lines, markdown=True)


def parse_submission(data: bytes, media_type: str | None, name: str, minter: Minter) -> Submission:
    """Parse submitted bytes: by media type when given, else by content; InputError says what and where."""
    read_text(Path(name), data)  # refuses empty and binary data with the usual messages
    try:
        # Submissions are UTF-8 (the media types say so); files found on disk are decoded by BOM, charset or detection.
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not valid UTF-8 text (byte {err.start})", name, data[: err.start].count(b"\n") + 1) from None
    media = (media_type or "").split(";")[0].strip().lower()
    if media in MARKDOWN_TYPES:
        return _from_markdown(text, name, minter)
    if media in RDF_MEDIA_TYPES and media != "text/plain":
        rdf_format = RDF_MEDIA_TYPES[media]
    elif media and media not in ("text/plain", "application/octet-stream"):
        raise UnsupportedMediaType(
            f"unsupported Content-Type {media!r}: send text/markdown (a course page), text/turtle, application/ld+json, "
            "application/rdf+xml or application/n-triples", name)
    else:
        sniffed = sniff_rdf_format(text)
        if sniffed is None:
            return _from_markdown(text, name, minter)
        rdf_format = sniffed
    graph = parse_rdf(text, rdf_format, name)
    if not len(graph):
        raise InputError("no RDF triples in the submission", name)
    return Submission(graph)


def schema_changes(graph: Graph) -> list[str]:
    """Statements that would change the ontology (terms of its namespace, or schema-level predicates)."""
    problems = []
    for s, p, _ in graph:
        if isinstance(s, URIRef) and str(s).startswith(str(CG)):
            problems.append(f"{s} is an ontology term; submitted data may not describe it")
        elif p in SCHEMA_PREDICATES:
            problems.append(f"{p} changes the ontology; submitted data may not use it")
    return sorted(set(problems))[:20]


def foreign_subjects(graph: Graph, course: URIRef, base: str) -> list[str]:
    """Subjects a published course may not write about: anything but itself, its parts, pillars, tracks, provenance."""
    own = (str(course) + "/",) + tuple(base + part for part in ("pillar/", "track/", "scheme/", "source/", "graph/", "agent/"))
    return sorted({str(s) for s in graph.subjects() if not isinstance(s, BNode) and s != course and not str(s).startswith(own)})
