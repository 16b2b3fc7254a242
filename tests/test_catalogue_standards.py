"""The dataset's description against DCAT-AP 3.0.0 (pyshacl, the official shapes), stable identifiers, named graph pages."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from tests.live import copy_project, running

BASE = "https://data.currigraph.org/"
SHAPES = Path(__file__).parent / "data" / "dcat-ap-3.0.0"
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCT = "http://purl.org/dc/terms/"
# What DCAT-AP recommends and only the publisher can say (docs/catalogue.md): licence, contact point, dates, coverage,
# availability of the distributions, the publisher's type.
LEFT_TO_THE_PUBLISHER = {DCT + "license", DCT + "issued", DCT + "modified", DCT + "spatial", DCT + "temporal", DCT + "type",
                         str(DCAT.contactPoint), "http://data.europa.eu/r5r/availability"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with running(copy_project(tmp_path_factory.mktemp("catalogue"))) as live:
        yield live


def turtle(server, path: str, host: str | None = None) -> Graph:
    headers = {"Accept": "text/turtle"} | ({"Host": host} if host else {})
    status, response_headers, body = server.request("GET", path, headers=headers)
    assert status == 200 and response_headers["content-type"].startswith("text/turtle"), (path, status, body[:300])
    return Graph().parse(data=body, format="turtle")


def results(data: Graph, shapes_file: str) -> list[tuple[str, str, str, str]]:
    """(severity, focus node, path, message) of every result of one DCAT-AP shapes file."""
    _, report, _ = validate(data, shacl_graph=Graph().parse(SHAPES / shapes_file), inference="none", allow_warnings=True)
    return [(str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], str(report.value(r, SH.focusNode)),
             str(report.value(r, SH.resultPath)), str(report.value(r, SH.resultMessage)))
            for r in report.subjects(RDF.type, SH.ValidationResult)]


@pytest.mark.parametrize("shapes_file", ["html_shacl_shapes.ttl", "shacl_dcat-ap-SHACL.ttl", "html_shacl_range.ttl"])
def test_no_violation_of_the_mandatory_core_and_range_shapes(server, shapes_file: str) -> None:
    assert results(turtle(server, "/.well-known/void"), shapes_file) == []


def test_recommended_warnings_are_only_what_the_publisher_must_say(server) -> None:
    found = results(turtle(server, "/.well-known/void"), "html_shacl_shapes_recommended.ttl")
    assert {severity for severity, *_ in found} <= {"Warning"}
    assert {path for _, _, path, _ in found} <= LEFT_TO_THE_PUBLISHER, sorted({path for _, _, path, _ in found} - LEFT_TO_THE_PUBLISHER)
    assert len(found) < 42  # the description had 42 warnings before it said what it can


def _identifiers(graph: Graph) -> set[str]:
    kinds = (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.DataService, FOAF.Agent, VOID.Dataset)
    return {str(node) for kind in kinds for node in graph.subjects(RDF.type, kind)}


def test_identifiers_do_not_follow_the_host_a_request_names(server) -> None:
    one, two = turtle(server, "/.well-known/void", "one.example"), turtle(server, "/.well-known/void", "two.example:8080")
    ids = _identifiers(one)
    assert ids == _identifiers(two) and len(ids) > 10
    assert all(i.startswith(BASE) for i in ids), sorted(i for i in ids if not i.startswith(BASE))
    # Locators (downloads, the endpoint) are URLs of the server; identifiers are the same whatever the Host.
    assert all(urlparse(str(u)).hostname == "one.example" for u in one.objects(None, DCAT.downloadURL))


def test_the_dataset_iri_dereferences_to_the_same_description(server) -> None:
    assert isomorphic(turtle(server, "/dataset"), turtle(server, "/.well-known/void"))
    status, headers, body = server.request("GET", "/dataset", headers={"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = Page()
    page.feed(body.decode())
    assert page.h1 == ["Dataset description"]
    assert {"/export?format=turtle&graphs=all", "/graph/ontology", "/graph/inferred"} <= set(page.links)
    assert page.facts["Statements"] == str(turtle(server, "/dataset").value(URIRef(BASE + "dataset"), VOID.triples))


class Page(HTMLParser):
    """The h1, the links and the facts (dt -> dd) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.h1: list[str] = []
        self.links: list[str] = []
        self.facts: dict[str, str] = {}
        self._in: str | None = None
        self._text = ""
        self._term = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]
        if tag in ("h1", "dt", "dd"):
            self._in, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag != self._in:
            return
        text = " ".join(self._text.split())
        if tag == "h1":
            self.h1.append(text)
        elif tag == "dt":
            self._term = text
        else:
            self.facts[self._term] = text
        self._in = None


@pytest.mark.parametrize("name", ["ontology", "inferred", "shared", "000-dc21eb6798945ba3"])
def test_named_graphs_dereference(server, name: str) -> None:
    iri = URIRef(BASE + "graph/" + name)
    described = turtle(server, f"/graph/{name}")
    triples = int(described.value(iri, VOID.triples))
    assert triples > 0 and (URIRef(BASE + "dataset"), VOID.subset, iri) in described
    assert len(described) < 40  # its VoID description, not its triples
    assert described.value(iri, VOID.triples) == turtle(server, "/.well-known/void").value(iri, VOID.triples)
    status, headers, body = server.request("GET", f"/graph/{name}", headers={"Accept": "text/html"})
    assert status == 200 and headers["vary"].startswith("Accept")
    page = Page()
    page.feed(body.decode())
    assert page.facts["Statements"] == str(triples)
    dump = next(link for link in page.links if link.startswith("/sparql?query=") or "/sparql?query=" in link)
    status, _, content = server.request("GET", dump[dump.index("/sparql"):], headers={"Accept": "text/turtle"})
    assert status == 200 and len(Graph().parse(data=content, format="turtle")) == triples
    assert "/dataset" in page.links


def test_an_unknown_graph_is_not_found(server) -> None:
    assert server.request("GET", "/graph/no-such-graph")[0] == 404
