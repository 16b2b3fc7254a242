"""The SPARQL 1.1 Service Description of the endpoint, with VoID sizes of its graphs."""

import pyoxigraph as ox
from flask import Response, current_app, request

from currigraph.build.manifest import Manifest
from currigraph.formats import ALL, GRAPHS, negotiate
from currigraph.vocab import RDF_TYPE, XSD_INTEGER
from currigraph.vocab import SD_NS as SD
from currigraph.vocab import VOID_NS as VOID
from currigraph.web.data import backend, site_url

_TYPE = ox.NamedNode(RDF_TYPE)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD_INTEGER))


def description_triples(endpoint: str, manifest: Manifest, update: bool) -> list[ox.Triple]:
    """The service description as pyoxigraph triples."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    triples = [
        ox.Triple(service, _TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, _TYPE, _sd("Graph")),
        ox.Triple(default, ox.NamedNode(VOID + "triples"), _integer(manifest.triples)),
        ox.Triple(service, ox.NamedNode(VOID + "inDataset"), ox.NamedNode(endpoint.rsplit("/sparql", 1)[0] + "/.well-known/void")),
    ]
    if update:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    for fmt in ALL:
        if fmt.w3c:
            triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(fmt.w3c)))
    for number, entry in enumerate(manifest.graphs):
        named = ox.BlankNode(f"named{number}")
        graph = ox.BlankNode(f"graph{number}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, _TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(entry.iri)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, _TYPE, _sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), _integer(entry.triples)),
        ]
    return triples


def service_description(requested: list[str]) -> Response:
    """The negotiated service description response (Turtle by default)."""
    chosen = negotiate(GRAPHS, request.headers.get("Accept", ""), requested)
    endpoint = site_url() + "sparql"
    triples = description_triples(endpoint, backend().manifest(), current_app.config["UPDATE"])
    body = ox.serialize(triples, format=chosen.oxigraph, prefixes={"sd": SD, "void": VOID})  # type: ignore[arg-type]
    return Response(body, status=200, content_type=chosen.content_type, headers={"Vary": "Accept"})
