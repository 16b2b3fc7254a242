"""Exports over HTTP (/export), the project's JSON-LD context (/context.jsonld) and the dataset's DCAT/VoID description."""

import json

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue
from rdflib import Dataset, Graph

from currigraph.export.catalogue import describe as describe_dataset
from currigraph.export.rdf import GRAPH_KINDS, jsonld_context
from currigraph.serving.engine import Job
from currigraph.vocab import bind_prefixes
from currigraph.web import answer_body, backend, plain

blueprint = Blueprint("exports", __name__)

FORMATS = {  # format parameter -> (media type, rdflib serializer or None for the worker's own)
    "turtle": ("text/turtle", None),
    "nt": ("application/n-triples", None),
    "xml": ("application/rdf+xml", None),
    "trig": ("application/trig", None),
    "nquads": ("application/n-quads", None),
    "json-ld": ("application/ld+json", "json-ld"),
}
WORKER_FORMAT = {"turtle": "turtle", "nt": "nt", "xml": "rdfxml", "trig": "trig", "nquads": "nquads"}


def graph_iris(kinds: set[str]) -> list[str]:
    """The named graphs of the build of the given kinds (source, published, ontology, inferred)."""
    return backend().manifest().iris(kinds)


def dump(graphs: list[str], fmt: str) -> bytes:
    """The chosen graphs serialised by a worker (named graphs kept in TriG and N-Quads)."""
    job = Job(text="", kind="export", format=fmt, graphs=tuple(graphs))
    return answer_body(job, float(current_app.config["TIMEOUT"]) * 4)


def context() -> dict:
    """The published JSON-LD context (the same one the CLI's JSON-LD export uses)."""
    ontology: Graph = current_app.extensions["currigraph.schema"]["ontology"]
    return {"@context": jsonld_context(ontology, current_app.config["BASE"])}


@blueprint.get("/context.jsonld")
def context_document() -> ResponseReturnValue:
    """The JSON-LD context the JSON-LD export is compacted against."""
    return Response(json.dumps(context(), indent=2), mimetype="application/ld+json")


@blueprint.get("/export")
def export() -> ResponseReturnValue:
    """The whole dataset, or its asserted or inferred part, in one RDF syntax."""
    fmt = request.args.get("format", "turtle")
    which = request.args.get("graphs", "all")
    if fmt not in FORMATS:
        return plain(400, f"format must be one of {', '.join(FORMATS)}")
    if which not in GRAPH_KINDS:
        return plain(400, f"graphs must be one of {', '.join(GRAPH_KINDS)}")
    media, _ = FORMATS[fmt]
    graphs = graph_iris(GRAPH_KINDS[which])
    if fmt == "json-ld":
        dataset = Dataset()
        dataset.parse(data=dump(graphs, "nquads"), format="nquads")
        merged = bind_prefixes(Graph(), current_app.config["BASE"])
        for s, p, o, _ in dataset.quads():
            merged.add((s, p, o))
        body = merged.serialize(format="json-ld", context=context()["@context"], auto_compact=True, indent=2)
        document = json.loads(body)
        document["@context"] = context()["@context"]
        # The context stays inline: a consumer can read the export without fetching anything; it is the
        # same document as /context.jsonld.
        response = Response(json.dumps(document, indent=2, ensure_ascii=False), mimetype=media)
    else:
        response = Response(dump(graphs, WORKER_FORMAT[fmt]), mimetype=media)
    response.headers["Content-Disposition"] = f'inline; filename="currigraph-{which}.{_extension(fmt)}"'
    return response


def _extension(fmt: str) -> str:
    return {"turtle": "ttl", "nt": "nt", "xml": "rdf", "trig": "trig", "nquads": "nq", "json-ld": "jsonld"}[fmt]


@blueprint.get("/.well-known/void")
def void() -> ResponseReturnValue:
    """DCAT-AP catalogue and VoID statistics of the dataset, negotiated (Turtle by default)."""
    cache = current_app.extensions.setdefault("currigraph.void", {})
    manifest = backend().manifest()
    key = (request.host_url, manifest.triples, len(manifest.graphs))
    if key not in cache:
        dataset = Dataset()
        dataset.parse(data=dump(graph_iris(GRAPH_KINDS["all"]), "nquads"), format="nquads")
        kinds = manifest.kinds()
        cache.clear()
        cache[key] = describe_dataset(dataset, request.host_url, current_app.config["BASE"], kinds)
    graph = cache[key]
    offered = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "text/html": "turtle"}
    best = request.accept_mimetypes.best_match(list(offered), default="text/turtle") or "text/turtle"
    media = "text/turtle" if best == "text/html" else best
    response = Response(graph.serialize(format=offered[best]), mimetype=media)
    response.headers["Vary"] = "Accept"
    return response

