"""The SPARQL 1.1 Service Description of the endpoint, with VoID sizes of its graphs."""

import pyoxigraph as ox
from flask import Response, current_app, request

from currigraph.build.manifest import Manifest
from currigraph.serving.engine import GRAPH_FORMATS, RESULT_FORMATS, choose
from currigraph.web import backend

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS_W3C = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "nt": "http://www.w3.org/ns/formats/N-Triples",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "trig": "http://www.w3.org/ns/formats/TriG",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def description_triples(endpoint: str, manifest: Manifest, update: bool) -> list[ox.Triple]:
    """The service description as pyoxigraph triples."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
        ox.Triple(default, ox.NamedNode(VOID + "triples"), _integer(manifest.triples)),
        ox.Triple(service, ox.NamedNode(VOID + "inDataset"), ox.NamedNode(endpoint.rsplit("/sparql", 1)[0] + "/.well-known/void")),
    ]
    if update:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    for name, _, _ in RESULT_FORMATS + GRAPH_FORMATS:
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS_W3C[name])))
    for number, entry in enumerate(manifest.graphs):
        named = ox.BlankNode(f"named{number}")
        graph = ox.BlankNode(f"graph{number}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(entry.iri)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), _integer(entry.triples)),
        ]
    return triples


def service_description(fmt: str | None) -> Response:
    """The negotiated service description response (Turtle by default)."""
    formats = [f for f in GRAPH_FORMATS if f[0] not in ("trig", "nquads")]
    chosen = choose(formats, request.headers.get("Accept", ""), fmt)
    if isinstance(chosen, str):
        return Response(chosen + "\n", status=406, mimetype="text/plain")
    media, serializer = chosen
    endpoint = request.host_url.rstrip("/") + "/sparql"
    triples = description_triples(endpoint, backend().manifest(), current_app.config["UPDATE"])
    body = ox.serialize(triples, format=serializer, prefixes={"sd": SD, "void": VOID})
    return Response(body, status=200, content_type=media, headers={"Vary": "Accept"})
