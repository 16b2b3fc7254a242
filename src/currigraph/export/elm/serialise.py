"""Serialisations of an ELM graph: Turtle, JSON-LD compacted with ELM's own context, RDF/XML."""

import json
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from currigraph.export.elm.terms import PREFIXES
from currigraph.export.elm.vocabulary import VENDOR
from currigraph.formats import JSON_LD, RDF_XML, TURTLE, Format, find

# The syntaxes the ELM export is offered in (names and media types as in currigraph.formats).
ELM_FORMATS = (TURTLE, JSON_LD, RDF_XML)
CONTEXT = VENDOR / "edc-ap-context.jsonld"
# Where ELM publishes that context; the export inlines the vendored copy instead of pointing here (no fetching).
CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"


@cache
def elm_context() -> dict[str, Any]:
    """ELM's JSON-LD context (the EDC application profile's, which names every ELM term LOQ uses)."""
    context = json.loads(CONTEXT.read_text("utf-8"))["@context"]
    assert isinstance(context, dict)
    return context


def _sort_arrays(value: Any) -> Any:
    # JSON-LD arrays are sets here (the export has no @list), and rdflib fills them in hash order: sorting them
    # makes the same graph give the same bytes. The context is left as ELM writes it.
    if isinstance(value, dict):
        return {key: item if key == "@context" else _sort_arrays(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_sort_arrays(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def serialise(graph: Graph, fmt: Format | str) -> str:
    """The graph as Turtle, as JSON-LD compacted with the inlined ELM context, or as RDF/XML (a format or any of its names)."""
    found = fmt if isinstance(fmt, Format) else find(ELM_FORMATS, fmt)
    if found is TURTLE:
        return graph.serialize(format="turtle")
    if found is JSON_LD:
        text = graph.serialize(format="json-ld", context=elm_context(), auto_compact=True)
        return json.dumps(_sort_arrays(json.loads(text)), indent=2, ensure_ascii=False) + "\n"
    if found is RDF_XML:
        # rdflib writes RDF/XML in hash order; pyoxigraph writes the triples in the order given.
        triples = sorted(ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES), key=str)
        prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix in PREFIXES}
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes).decode("utf-8")
    raise ValueError(f"unknown ELM format {fmt!r} (turtle, json-ld or rdfxml)")
