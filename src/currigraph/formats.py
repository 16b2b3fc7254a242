"""Every syntax currigraph reads or writes, stated once, and the one content negotiation every entry point uses.

A format is a value that answers for its name, the other names users pass (`xml`, `rdfxml`, `rdf+xml`, `json-ld`,
`jsonld`, `n3` ...), its media types, its file extension, and the pyoxigraph and rdflib names of its parser and
serialiser. A name is looked up among the formats an answer can take: `xml` is SPARQL XML results for a SELECT and
RDF/XML for a CONSTRUCT, as `application/xml` is. /sparql, /export, pages, the named-query API, /validate and the
CLI all negotiate with `negotiate()`. This module imports only pyoxigraph and werkzeug: query workers use it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One syntax: its names, media types, extension and the libraries' names for it."""

    name: str  # the canonical name (format= parameters, CLI options, service descriptions)
    label: str
    media_type: str
    extension: str
    names: tuple[str, ...] = ()  # other names users pass for it
    media_aliases: tuple[str, ...] = ()  # other media types clients send for it
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    rdflib: str | None = None  # rdflib's parser and serialiser plugin
    w3c: str | None = None  # its IRI in http://www.w3.org/ns/formats/

    @property
    def content_type(self) -> str:
        """The Content-Type header of an answer in this format (text formats say their charset)."""
        text = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        return self.media_type + ("; charset=utf-8" if text else "")

    def answers_to(self, name: str) -> bool:
        """True when a user's name or media type stands for this format."""
        key = name.strip().lower()
        return key == self.name or key in self.names or key == self.media_type or key in self.media_aliases

    @property
    def keeps_graphs(self) -> bool:
        """True for the syntaxes that write named graphs (TriG, N-Quads)."""
        return self.oxigraph in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)


# RDF graphs and datasets
TURTLE = Format("turtle", "Turtle", "text/turtle", "ttl", ("ttl",), ("application/x-turtle", "application/turtle"),
                ox.RdfFormat.TURTLE, "turtle", W3C_FORMATS + "Turtle")
# Turtle is N3: clients that ask for N3 get Turtle labelled as N3.
N3 = Format("n3", "N3", "text/n3", "n3", ("notation3",), ("text/rdf+n3", "application/n3", "application/rdf+n3"),
            ox.RdfFormat.TURTLE, "n3", W3C_FORMATS + "N3")
JSON_LD = Format("jsonld", "JSON-LD", "application/ld+json", "jsonld", ("json-ld",), ("application/x-json+ld",),
                 ox.RdfFormat.JSON_LD, "json-ld", W3C_FORMATS + "JSON-LD")
N_TRIPLES = Format("nt", "N-Triples", "application/n-triples", "nt", ("ntriples", "n-triples"), ("text/plain",),
                   ox.RdfFormat.N_TRIPLES, "nt", W3C_FORMATS + "N-Triples")
RDF_XML = Format("rdfxml", "RDF/XML", "application/rdf+xml", "rdf", ("xml", "rdf", "rdf+xml", "xml-rdf", "rdf/xml"),
                 ("application/xml", "text/xml"), ox.RdfFormat.RDF_XML, "xml", W3C_FORMATS + "RDF_XML")
TRIG = Format("trig", "TriG", "application/trig", "trig", (), ("application/x-trig",), ox.RdfFormat.TRIG, "trig", W3C_FORMATS + "TriG")
N_QUADS = Format("nquads", "N-Quads", "application/n-quads", "nq", ("n-quads", "nq"), ("text/x-nquads",), ox.RdfFormat.N_QUADS,
                 "nquads", W3C_FORMATS + "N-Quads")

# SPARQL results
RESULTS_JSON = Format("json", "SPARQL JSON", "application/sparql-results+json", "srj", ("srj",),
                      ("application/json", "text/javascript", "application/javascript"), ox.QueryResultsFormat.JSON, "json",
                      W3C_FORMATS + "SPARQL_Results_JSON")
RESULTS_XML = Format("xml", "SPARQL XML", "application/sparql-results+xml", "srx", ("srx",), ("application/xml", "text/xml"),
                     ox.QueryResultsFormat.XML, "xml", W3C_FORMATS + "SPARQL_Results_XML")
RESULTS_CSV = Format("csv", "CSV", "text/csv", "csv", (), (), ox.QueryResultsFormat.CSV, "csv", W3C_FORMATS + "SPARQL_Results_CSV")
RESULTS_TSV = Format("tsv", "TSV", "text/tab-separated-values", "tsv", (), (), ox.QueryResultsFormat.TSV, "tsv",
                     W3C_FORMATS + "SPARQL_Results_TSV")

# Documents for people and plain tables
HTML = Format("html", "HTML", "text/html", "html", (), ("application/xhtml+xml",))
JSON = Format("json", "JSON", "application/json", "json")
CSV = Format("csv", "CSV", "text/csv", "csv")
TEXT = Format("text", "text", "text/plain", "txt")

# What each kind of answer can be, the default first.
RESULTS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)  # SELECT and ASK
GRAPHS = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML, N3)  # one graph: CONSTRUCT, DESCRIBE, pages, service description
DATASETS = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML, TRIG, N_QUADS)  # exports: TriG and N-Quads keep the named graphs
CONSTRUCTED = GRAPHS + (TRIG, N_QUADS)  # what /sparql offers for CONSTRUCT and DESCRIBE
ALL = RESULTS + CONSTRUCTED


class FormatError(ValueError):
    """A format nobody can give (400) or one this answer cannot take (406); the message lists what is offered."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def find(offered: Sequence[Format], name: str) -> Format | None:
    """The offered format a name or media type stands for, or None."""
    return next((f for f in offered if f.answers_to(name)), None)


def names_of(offered: Sequence[Format]) -> list[str]:
    """Every name a user may pass for the offered formats (for CLI choices and messages)."""
    return list(dict.fromkeys(n for f in offered for n in (f.name, *f.names)))


def negotiate(offered: Sequence[Format], accept: str | None = "", requested: Sequence[str] | str | None = None) -> Format:
    """The format to answer in: the requested one(s) (a format= parameter) if any, else the best of the Accept header.

    A requested value is a name (`turtle`), a media type, or a comma-separated list of media types (SPARQLWrapper
    repeats its format parameter with its Accept header as the second value); several values must agree.
    Raises FormatError: 400 for a value that is no format at all, 406 for one this answer cannot take.
    """
    values = [requested] if isinstance(requested, str) else list(requested or [])
    if len(accept or "") > _CACHED_ACCEPT or sum(len(v) for v in values) > _CACHED_ACCEPT:
        return _negotiate.__wrapped__(tuple(offered), accept or "", tuple(values))  # answered, not kept
    return _negotiate(tuple(offered), accept or "", tuple(values))


# Clients repeat the same few Accept headers; parsing one costs more than running a small query. Oversized headers
# are answered but not cached, so that a client cannot fill the cache with them.
_CACHED_ACCEPT = 1024


@lru_cache(maxsize=256)
def _negotiate(offered: tuple[Format, ...], accept: str, requested: tuple[str, ...]) -> Format:
    if requested:
        chosen = {_requested(offered, value) for value in requested if value.strip()}
        if len(chosen) > 1:
            raise FormatError(400, "conflicting 'format' parameters: " + ", ".join(sorted(f.name for f in chosen)))
        if chosen:
            return chosen.pop()
    if not accept.strip():
        return offered[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    candidates = [m for f in offered for m in (f.media_type, *f.media_aliases)]
    best = parsed.best_match(candidates)
    if best is None:
        raise FormatError(406, "Not Acceptable: none of the requested media types can answer this request; offered: "
                               + ", ".join(f.media_type for f in offered))
    found = find(offered, best)
    assert found is not None  # best_match returns one of the candidates
    return found


def _requested(offered: tuple[Format, ...], value: str) -> Format:
    """The format one format= value asks for."""
    found = find(offered, value)  # a name (some have a slash: rdf/xml) or one media type
    if found is None and "/" in value:  # media types, as an Accept header would list them
        best = parse_accept_header(value, MIMEAccept).best_match([m for f in offered for m in (f.media_type, *f.media_aliases)])
        found = find(offered, best) if best else None
    if found is not None:
        return found
    known = any(f.answers_to(part) for f in ALL + (HTML, JSON, TEXT) for part in value.split(","))
    raise FormatError(406 if known else 400, f"format={value!r} is not offered here; use one of: " + ", ".join(f.name for f in offered))
