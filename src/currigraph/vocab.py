"""The vocabulary: the namespaces and prefixes the project writes and reads, rdf:type, and the one IRI-safety check.

Everything here is stated once. The IRIs are plain strings, usable anywhere (SPARQL text, pyoxigraph terms); the
rdflib namespaces (CG, SCHEMA, RDF, ...) are made on first use, so that query worker processes, which never need
rdflib, start without importing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from rdflib import Graph, Namespace

CG_NS = "https://data.currigraph.org/ontology#"
SCHEMA_NS = "http://schema.org/"  # as in schema.org's own JSON-LD context
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SH_NS = "http://www.w3.org/ns/shacl#"
VOID_NS = "http://rdfs.org/ns/void#"
SD_NS = "http://www.w3.org/ns/sparql-service-description#"
DCAT_NS = "http://www.w3.org/ns/dcat#"
FOAF_NS = "http://xmlns.com/foaf/0.1/"

# The prefixes of queries, pages, exports and the query editor, in the order they are written.
PREFIXES: dict[str, str] = {
    "cg": CG_NS, "schema": SCHEMA_NS, "skos": SKOS_NS, "prov": PROV_NS, "dcterms": DCTERMS_NS, "rdf": RDF_NS,
    "rdfs": RDFS_NS, "owl": OWL_NS, "xsd": XSD_NS, "sh": SH_NS,
}
# Prefixes that only catalogue descriptions (VoID, DCAT, service description) use.
CATALOGUE_PREFIXES: dict[str, str] = {"void": VOID_NS, "sd": SD_NS, "dcat": DCAT_NS, "foaf": FOAF_NS}

RDF_TYPE = RDF_NS + "type"
XSD_STRING = XSD_NS + "string"
XSD_INTEGER = XSD_NS + "integer"

# Characters RFC 3987 excludes from IRIs, which would also let a value break out of `<...>` in SPARQL or Turtle.
_NOT_IN_IRIS = frozenset('<>"{}|^`\\') | frozenset(chr(c) for c in range(0x21))


def is_absolute_iri(value: str) -> bool:
    """True when value is an absolute IRI (a scheme, then only characters IRIs may hold) that is safe inside <...>."""
    if not value or any(c in _NOT_IN_IRIS for c in value) or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced '[' in the authority
        return False
    return bool(parts.scheme) and parts.scheme[0].isalpha()


def sparql_iri(value: str) -> str:
    """An absolute IRI written for SPARQL text (`<...>`); ValueError when the value is not one."""
    if not is_absolute_iri(value):
        raise ValueError(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


# The characters a SPARQL string literal writes escaped (ECHAR); everything else is written as itself.
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def sparql_string(value: str) -> str:
    """A Python string written as a SPARQL string literal ("..."); ValueError for text no RDF store can hold."""
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("the text holds an unpaired surrogate code point, which is not Unicode text")
    return '"' + "".join(_STRING_ESCAPES.get(c, c) for c in value) + '"'


def sparql_prologue(base: str | None = None) -> str:
    """PREFIX lines for queries, so named queries and users share one set of prefixes."""
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()]
    if base:
        lines.append(f"PREFIX data: <{base}>")
    return "\n".join(lines) + "\n"


def bind_prefixes(graph: Graph, base: str | None = None) -> Graph:
    """Bind the project's prefixes (and `data:` for the base when given) on a graph or dataset."""
    from rdflib import Namespace

    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, Namespace(ns), override=True, replace=True)
    if base:
        graph.bind("data", Namespace(base), override=True, replace=True)
    return graph


_NAMESPACES = {"CG": CG_NS, "SCHEMA": SCHEMA_NS, "RDF": RDF_NS, "RDFS": RDFS_NS, "XSD": XSD_NS, "OWL": OWL_NS, "PROV": PROV_NS,
               "DCTERMS": DCTERMS_NS, "SKOS": SKOS_NS, "SH": SH_NS, "VOID": VOID_NS, "SD": SD_NS, "DCAT": DCAT_NS, "FOAF": FOAF_NS}

if TYPE_CHECKING:
    CG: Namespace
    SCHEMA: Namespace
    RDF: Namespace
    RDFS: Namespace
    XSD: Namespace
    OWL: Namespace
    PROV: Namespace
    DCTERMS: Namespace
    SKOS: Namespace
    SH: Namespace
    VOID: Namespace
    SD: Namespace
    DCAT: Namespace
    FOAF: Namespace


def __getattr__(name: str) -> Any:
    """The rdflib namespaces, made on first use (PEP 562) and kept."""
    if name not in _NAMESPACES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    namespace = _term_namespace()(_NAMESPACES[name])
    globals()[name] = namespace
    return namespace


def _term_namespace() -> type:
    """rdflib's Namespace, with each term made once: converters look the same few terms up millions of times."""
    global _TermNamespace
    if _TermNamespace is None:
        from rdflib import Namespace, URIRef

        class TermNamespace(Namespace):
            """A Namespace that caches its terms."""

            def __getattr__(self, name: str) -> URIRef:
                if name.startswith("__"):  # not a term: copy, pickle and friends probe these
                    raise AttributeError(name)
                term = self.term(name)
                self.__dict__[name] = term
                return term

        _TermNamespace = TermNamespace
    return _TermNamespace


_TermNamespace: type | None = None
