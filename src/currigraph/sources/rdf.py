"""Parsing RDF that users hand us (Turtle, N-Triples, JSON-LD, RDF/XML) without ever fetching anything."""

import json
import re
import xml.parsers.expat
from typing import Any

from rdflib import Graph, Literal, URIRef

from currigraph.errors import InputError
from currigraph.vocab import is_absolute_iri

# Media types and the rdflib parser for each; also the names accepted by --format options.
RDF_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
MAX_JSON_DEPTH = 64


def sniff_rdf_format(text: str) -> str | None:
    """Guess an RDF syntax from the text itself; None when it does not look like RDF."""
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if head.startswith(("{", "[")):
        return "json-ld"
    if head.startswith("<?xml") or re.match(r"<(rdf:)?RDF\b", head):
        return "xml"
    if re.search(r"^\s*(@prefix|@base|PREFIX|BASE)\b", head, re.M | re.I):
        return "turtle"
    if re.match(r"(<[^>\s]+>|_:\S+)\s+<[^>\s]+>\s+", head):
        return "turtle"  # N-Triples is a subset of Turtle
    return None


def _check_json(value: Any, name: str, depth: int = 0) -> None:
    """Refuse remote @context references and absurd nesting before rdflib sees the document."""
    if depth > MAX_JSON_DEPTH:
        raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels", name)
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("@context", "@import"):
                _check_context(item, name)
            _check_json(item, name, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, name, depth + 1)


def _check_context(context: Any, name: str) -> None:
    items = context if isinstance(context, list) else [context]
    for item in items:
        if isinstance(item, str):
            raise InputError(
                f"remote JSON-LD @context {item!r} refused: currigraph never fetches URLs; inline the context",
                name,
                field="@context",
            )
        if isinstance(item, dict) and "@import" in item:
            raise InputError("JSON-LD @import refused: currigraph never fetches URLs", name, field="@import")


class _Refused(Exception):
    """A construct the XML pre-check refuses, with its line."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _check_xml(text: str, name: str) -> None:
    """Refuse DOCTYPE and entity declarations, found by an XML parser (expat) before rdflib reads the document."""
    parser = xml.parsers.expat.ParserCreate()

    def refuse(*_args: object) -> None:
        raise _Refused(parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        raise InputError("XML DOCTYPE and entity declarations are refused (they can read files or URLs)", name, refused.line) from None
    except xml.parsers.expat.ExpatError as err:
        raise InputError(f"not well-formed XML: {xml.parsers.expat.ErrorString(err.code)} (column {err.offset + 1})", name,
                         err.lineno) from None


def _check_terms(graph: Graph, name: str) -> None:
    """Refuse what parsed but is not RDF a store can hold: IRIs that are not absolute IRIs, text that is not Unicode."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and not is_absolute_iri(str(term)):
                raise InputError(f"not an absolute IRI: {str(term)[:200]!r} (IRIs may not hold spaces, quotes or <>)", name)
            surrogate = next((c for c in str(term) if 0xD800 <= ord(c) <= 0xDFFF), None) if isinstance(term, Literal) else None
            if surrogate is not None:
                raise InputError(f"a literal holds an unpaired surrogate (U+{ord(surrogate):04X}), which is not Unicode text", name)


def parse_rdf(text: str, rdf_format: str, name: str) -> Graph:
    """Parse RDF text in a known syntax into a graph, refusing anything that could fetch, with the error's position."""
    graph = Graph()
    if rdf_format == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"invalid JSON: {err.msg} (column {err.colno})", name, err.lineno) from None
        except RecursionError:
            raise InputError("JSON nested too deeply", name) from None
        except ValueError as err:  # e.g. a number of more than 4300 digits
            raise InputError(f"invalid JSON: {err}", name) from None
        _check_json(document, name)
    if rdf_format == "xml":
        _check_xml(text, name)
    try:
        graph.parse(data=text, format=rdf_format, publicID="urn:currigraph:upload:")
    except Exception as err:  # rdflib's parsers raise many exception types
        message = " ".join(str(err).split()) or type(err).__name__
        line_match = re.search(r"line (\d+)", message)
        raise InputError(f"cannot parse {rdf_format}: {message[:500]}", name,
                         int(line_match.group(1)) if line_match else None) from None
    _check_terms(graph, name)
    return graph
