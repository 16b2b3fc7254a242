"""Answering the endpoint's jobs from a remote store, with the same negotiation, formats and errors as the embedded engine.

The client's Accept header and format parameter are negotiated here, against what currigraph offers, and
the store is asked for exactly that media type (with a standard fallback). An answer in the fallback is
converted with pyoxigraph, so every store gives the client the same choice of formats.
"""

import pyoxigraph as ox

from currigraph.build.manifest import GraphEntry, Manifest
from currigraph.formats import CONSTRUCTED, RESULTS, Format, FormatError, find, negotiate
from currigraph.remote.client import SparqlClient, StoreError
from currigraph.remote.manifest import entry_triples, from_triples, manifest_iri
from currigraph.serving.engine import Answer, Job, export_answer
from currigraph.sparql import inspect_query

RESULTS_FALLBACK = "application/sparql-results+json"
GRAPH_FALLBACK = "application/n-triples"


def with_base(text: str, base_iri: str | None) -> str:
    """The text with a BASE declaration in front (the protocol has no base parameter).

    A query's own BASE comes later in the text and so still wins. It goes on the first line, so that the store's
    error positions keep their line numbers.
    """
    return f"BASE <{base_iri}> " + text if base_iri else text


class RemoteEngine:
    """Runs jobs on a store reached over the SPARQL 1.1 Protocol."""

    def __init__(self, client: SparqlClient, base: str, max_result_bytes: int = 256 * 1024 * 1024) -> None:
        self.client = client
        self.base = base
        self.max_result_bytes = max_result_bytes

    def run(self, job: Job, timeout: float) -> Answer:
        """Execute a job within timeout seconds; every failure becomes a clear error answer."""
        try:
            if job.kind == "export":
                return self._export(job, timeout)
            if job.kind == "update":
                self.client.update(with_base(job.text, job.base_iri), timeout)
                return Answer(204, "text/plain", b"")
            return self._query(job, timeout)
        except StoreError as err:
            return Answer.error(err.status, str(err))

    def _query(self, job: Job, timeout: float) -> Answer:
        form = job.form or inspect_query(job.text).form  # the server's own queries (pages, named queries) say nothing
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        offered = CONSTRUCTED if graph_form else RESULTS
        try:
            chosen = negotiate(offered, job.accept, job.format)
        except FormatError as err:
            return Answer.error(err.status, str(err))
        media = chosen.media_type
        fallback = GRAPH_FALLBACK if graph_form else RESULTS_FALLBACK
        accept = media if media == fallback else f"{media}, {fallback};q=0.5"
        content_type, body = self.client.query(with_base(job.text, job.base_iri), accept, timeout, job.default_graphs, job.named_graphs,
                                               self.max_result_bytes)
        got = content_type.split(";")[0].strip().lower()
        if got == media:
            return Answer(200, chosen.content_type, body)
        return Answer(200, chosen.content_type, _convert(body, got, chosen, offered, graph_form))

    def _export(self, job: Job, timeout: float) -> Answer:
        values = " ".join(f"<{name}>" for name in job.graphs)
        query = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        _, body = self.client.query(query, RESULTS_FALLBACK, timeout, max_bytes=self.max_result_bytes * 4)
        rows = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return export_answer((ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows), job.format, job.spool)  # type: ignore[union-attr]

    def read_manifest(self, timeout: float) -> tuple[Manifest, bool] | None:
        """(manifest, union default graph?) as a publish left it in the store; None when there is none."""
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{manifest_iri(self.base)}> {{ ?s ?p ?o }} }}"
        _, body = self.client.query(query, GRAPH_FALLBACK, timeout)
        return from_triples(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)), self.base)

    def replace_graphs(self, graphs: list[tuple[GraphEntry, list[ox.Triple]]], union_default: bool, total: int,
                       timeout: float) -> None:
        """Replace named graphs (and their part of a union default graph, and their manifest entries) in one update."""
        self.client.update(write_through(graphs, manifest_iri(self.base), union_default, total), timeout)

    def ping(self, timeout: float) -> None:
        """Raise StoreError unless the store answers a trivial query."""
        self.client.query("ASK {}", RESULTS_FALLBACK, timeout)


def _convert(body: bytes, got: str, chosen: Format, offered: tuple[Format, ...], graph_form: bool) -> bytes:
    """Re-serialise the store's answer in the negotiated syntax."""
    source = find(offered, got) if got else None
    if source is None:
        raise StoreError(502, f"the store answered in {got or 'no declared media type'}, which currigraph cannot convert")
    try:
        if graph_form:
            return ox.serialize(list(ox.parse(body, format=source.oxigraph)), format=chosen.oxigraph) or b""  # type: ignore[arg-type]
        return ox.parse_query_results(body, format=source.oxigraph).serialize(format=chosen.oxigraph) or b""  # type: ignore[arg-type]
    except (SyntaxError, ValueError, OSError) as err:
        raise StoreError(502, f"the store's answer ({got}) could not be read: {err}") from None


def write_through(graphs: list[tuple[GraphEntry, list[ox.Triple]]], manifest: str, union_default: bool, total: int) -> str:
    """One SPARQL Update that replaces the given graphs, keeps a union default graph so, and updates the manifest."""
    names = [entry.iri for entry, _ in graphs]
    others = ", ".join(f"<{iri}>" for iri in [*names, manifest])
    operations = []
    if union_default:
        # A triple leaves the default graph only if no other graph states it.
        operations += [f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} "
                       f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other NOT IN ({others})) }} }}" for iri in names]
    operations += [f"DROP SILENT GRAPH <{iri}>" for iri in names]
    inserts = [f"GRAPH <{entry.iri}> {{\n{_nt(triples)}}}" for entry, triples in graphs]
    if union_default:
        inserts += [_nt(triples) for _, triples in graphs]
    operations.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    me = ox.NamedNode(manifest)
    operations += [f"DELETE WHERE {{ GRAPH <{manifest}> {{ <{iri}> ?p ?o }} }}" for iri in names]
    operations.append(f"DELETE WHERE {{ GRAPH <{manifest}> {{ <{manifest}> <http://rdfs.org/ns/void#triples> ?n }} }}")
    described = [t for entry, _ in graphs for t in entry_triples(me, entry)]
    described.append(ox.Triple(me, ox.NamedNode("http://rdfs.org/ns/void#triples"),
                               ox.Literal(str(total), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    operations.append(f"INSERT DATA {{ GRAPH <{manifest}> {{\n{_nt(described)}}} }}")
    return " ;\n".join(operations)


def _nt(triples: list[ox.Triple]) -> str:
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
