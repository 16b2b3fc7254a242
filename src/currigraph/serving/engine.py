"""The query engine behind the endpoint: one small interface, and its pyoxigraph implementation.

Queries run in worker processes (see workers.py); this module is what a worker executes. It imports only
pyoxigraph and werkzeug so that a fresh worker starts quickly.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from currigraph.sparql_text import declares_dataset

# (format parameter value, media type, pyoxigraph format) for each kind of result.
RESULT_FORMATS = [
    ("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("csv", "text/csv", ox.QueryResultsFormat.CSV),
    ("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
]
GRAPH_FORMATS = [
    ("turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("trig", "application/trig", ox.RdfFormat.TRIG),
    ("nquads", "application/n-quads", ox.RdfFormat.N_QUADS),
]
EXPORT_PREFIXES = {"cg": "https://data.currigraph.org/ontology#", "schema": "http://schema.org/",
                   "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
                   "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#",
                   "xsd": "http://www.w3.org/2001/XMLSchema#", "dcterms": "http://purl.org/dc/terms/"}
FORMAT_ALIASES = {"json-ld": "jsonld", "ttl": "turtle", "xml-rdf": "rdfxml", "ntriples": "nt", "n-triples": "nt"}
# Media types some clients send for the same thing.
MEDIA_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
                 "text/xml": "application/sparql-results+xml", "application/x-turtle": "text/turtle",
                 "text/plain": "application/n-triples"}


@dataclass(frozen=True)
class Job:
    """One request for the engine: the SPARQL text and how the client wants the answer."""

    text: str
    kind: str = "query"  # or "update", or "export" (whole named graphs: graphs)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str = ""
    format: str | None = None
    base_iri: str | None = None
    graphs: tuple[str, ...] = ()  # the named graphs an export serialises


@dataclass(frozen=True)
class Answer:
    """A complete answer: status, media type and body, produced before any byte is sent."""

    status: int
    media_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> "Answer":
        """A plain-text error answer."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


def canonical_format(value: str) -> str:
    """The media type a format parameter value stands for ('tsv' and 'text/tab-separated-values' are one)."""
    key = FORMAT_ALIASES.get(value.lower(), value.lower())
    for name, media, _ in RESULT_FORMATS + GRAPH_FORMATS:
        if key in (name, media):
            return media
    return key


def choose(formats: list[tuple[str, str, object]], accept: str, fmt: str | None) -> tuple[str, object] | str:
    """The (media type, serializer) to answer with, or an error message listing what is offered."""
    if len(accept) > _CACHED_ACCEPT:  # a client's oversized header is answered, but not kept
        return _choose.__wrapped__(tuple(formats), accept, fmt)
    return _choose(tuple(formats), accept, fmt)


# Clients repeat the same few Accept headers; parsing one costs more than running a small query.
_CACHED_ACCEPT = 1024


@lru_cache(maxsize=256)
def _choose(formats: tuple[tuple[str, str, object], ...], accept: str, fmt: str | None) -> tuple[str, object] | str:
    if fmt:
        key = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        for name, media, serializer in formats:
            if key in (name, media):
                return media, serializer
        return f"format={fmt!r} is not offered here; use one of: " + ", ".join(n for n, _, _ in formats)
    if not accept.strip():
        return formats[0][1], formats[0][2]
    parsed = parse_accept_header(accept, MIMEAccept)
    offered = [media for _, media, _ in formats]
    aliases = [alias for alias, target in MEDIA_ALIASES.items() if target in offered]
    best = parsed.best_match(offered + aliases)
    if best is None:
        return "Not Acceptable: none of the requested media types can answer this query; offered: " + ", ".join(offered)
    best = MEDIA_ALIASES.get(best, best)
    return next((media, ser) for _, media, ser in formats if media == best)


class OxigraphEngine:
    """Runs jobs on a pyoxigraph store (default graph = union of all graphs unless the request names graphs)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def run(self, job: Job) -> Answer:
        """Execute a job; every failure becomes a clear error answer."""
        if job.kind == "update":
            return self._update(job)
        if job.kind == "export":
            return self._export(job)
        return self._query(job)

    def _export(self, job: Job) -> Answer:
        """Serialise whole named graphs."""
        names = [ox.NamedNode(g) for g in job.graphs]
        return export_answer((q for g in names for q in self.store.quads_for_pattern(None, None, None, g)), job.format)

    def _query(self, job: Job) -> Answer:
        # The union default graph applies only when neither the protocol nor the query (FROM) names a dataset:
        # pyoxigraph would otherwise let the union flag override FROM.
        names_dataset = bool(job.default_graphs or job.named_graphs) or declares_dataset(job.text)
        kwargs: dict[str, object] = {"use_default_graph_as_union": not names_dataset}
        if job.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        if job.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        try:
            result = self.store.query(job.text, base_iri=job.base_iri, **kwargs)
        except SyntaxError as err:
            return Answer.error(400, f"SPARQL syntax error: {err}")
        except ValueError as err:
            return Answer.error(400, f"invalid request: {err}")
        except OSError as err:
            return Answer.error(500, f"query failed: {err}")
        if isinstance(result, ox.QueryTriples):
            formats = GRAPH_FORMATS
        else:
            formats = RESULT_FORMATS
        chosen = choose(formats, job.accept, job.format)
        if isinstance(chosen, str):
            return Answer.error(406, chosen)
        media, serializer = chosen
        try:
            body = result.serialize(format=serializer)
        except (OSError, ValueError) as err:
            return Answer.error(500, f"could not serialise the result: {err}")
        return Answer(200, media + charset_for(media), body or b"")

    def _update(self, job: Job) -> Answer:
        try:
            self.store.update(job.text, base_iri=job.base_iri)
            self.store.flush()
        except SyntaxError as err:
            return Answer.error(400, f"SPARQL Update syntax error: {err}")
        except (ValueError, OSError) as err:
            return Answer.error(400, f"update failed: {err}")
        return Answer(204, "text/plain", b"")


def export_answer(quads: Iterable[ox.Quad], fmt: str | None) -> Answer:
    """Graphs in one syntax: TriG and N-Quads keep the named graphs, the others get the set union of their triples."""
    chosen = choose(GRAPH_FORMATS, "", fmt)
    if isinstance(chosen, str):
        return Answer.error(400, chosen)
    media, serializer = chosen
    if serializer in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        items: list = list(quads)
    else:
        items = list(dict.fromkeys(q.triple for q in quads))
    body = ox.serialize(items, format=serializer, prefixes=EXPORT_PREFIXES)
    return Answer(200, media, body or b"")


def charset_for(media: str) -> str:
    """The charset parameter text formats get."""
    return "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
