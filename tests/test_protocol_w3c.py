"""The W3C SPARQL 1.1 Protocol tests (vendored in tests/data/w3c-sparql11-protocol), run against a live `currigraph serve --update`."""

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from tests.helpers import ROOT
from tests.stores import served

SUITE = ROOT / "tests" / "data" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
DATA_GRAPH = "http://kasei.us/2009/09/sparql/data/{}.rdf"


def load_manifest() -> tuple[Graph, list[URIRef]]:
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return graph, list(Collection(graph, graph.value(manifest, MF.entries)))


MANIFEST, ENTRIES = load_manifest()


def requests_of(test: URIRef) -> list[dict]:
    """The HTTP requests of one test, in order, with what each response must be."""
    action = MANIFEST.value(test, MF.action)
    out = []
    for req in Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        body_node = MANIFEST.value(req, HT.body)
        body = None
        if body_node is not None:
            encoding = str(MANIFEST.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(MANIFEST.value(body_node, CNT.chars)).encode(encoding)
        headers = {}
        header_list = MANIFEST.value(req, HT.headers)
        if header_list is not None:
            for header in Collection(MANIFEST, header_list):
                headers[str(MANIFEST.value(header, HT.fieldName))] = str(MANIFEST.value(header, HT.fieldValue)).strip()
        resp = MANIFEST.value(req, HT.resp)
        out.append({
            "method": str(MANIFEST.value(req, HT.methodName)),
            "path": str(MANIFEST.value(req, HT.absolutePath)),
            "body": body,
            "headers": headers,
            "status": {str(s).rsplit("#StatusCode", 1)[-1] for s in MANIFEST.objects(resp, MF.expectedStatus)},
            "boolean": MANIFEST.value(resp, MF.expectedBoolean),
            "format": MANIFEST.value(resp, MF.expectedFormat),
        })
    return out


def parse_boolean(content_type: str, body: bytes) -> bool:
    if "json" in content_type:
        return json.loads(body)["boolean"]
    root = ET.fromstring(body)
    return next(el.text for el in root.iter() if el.tag.endswith("boolean")) == "true"


def check_format(expected: str, content_type: str, body: bytes) -> None:
    if expected == "boolean":
        assert any(t in content_type for t in ("sparql-results+json", "sparql-results+xml")), content_type
    elif expected == "tabular":
        assert any(t in content_type for t in ("sparql-results", "text/csv", "tab-separated")), content_type
    elif expected == "RDF":
        media = content_type.split(";")[0]
        assert media in {"text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json"}, media
        Graph().parse(data=body, format={"text/turtle": "turtle", "application/rdf+xml": "xml",
                                         "application/n-triples": "nt", "application/ld+json": "json-ld"}[media])


@pytest.fixture(scope="module")
def server(backend: str, built_copy: Callable[[Path], Path], tmp_path_factory: pytest.TempPathFactory):
    """A live `currigraph serve --update` (its own copy of the built project, or its own store) with data1-3 loaded."""
    scratch = tmp_path_factory.mktemp("w3c")
    with served(backend, built_copy(scratch / "project"), scratch, "--update") as live:
        for name in ("data1", "data2", "data3"):
            triples = (SUITE / f"{name}.nt").read_text()
            update = f"INSERT DATA {{ GRAPH <{DATA_GRAPH.format(name)}> {{ {triples} }} }}"
            status, _, body = live.request("POST", "/sparql", update, {"Content-Type": "application/sparql-update"})
            assert status == 204, body
        yield live


def test_the_suite_has_34_tests():
    assert len(ENTRIES) == 34


@pytest.mark.parametrize("test", ENTRIES, ids=[str(t).rsplit("#", 1)[-1] for t in ENTRIES])
def test_w3c_protocol(server, test: URIRef) -> None:
    for req in requests_of(test):
        path = "/sparql" + req["path"].removeprefix("/sparql")
        status, headers, body = server.request(req["method"], path, req["body"], req["headers"])
        family = f"{str(status)[0]}xx"
        assert family in req["status"], f"{status} not in {req['status']}: {body[:300]!r}"
        content_type = headers.get("content-type", "")
        if req["format"] is not None:
            check_format(str(req["format"]), content_type, body)
        if req["boolean"] is not None:
            assert parse_boolean(content_type, body) == req["boolean"].toPython()
