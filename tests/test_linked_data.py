"""Linked data: IRIs dereference with negotiation, pages link up without broken links, exports round-trip, DCAT/VoID.

Through Flask's test client on both back ends; chromium needs a live server.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urldefrag, urljoin, urlparse

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from currigraph.formats import DATASETS, Format
from tests.browser import browser

BASE = "https://data.currigraph.org/"
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt", "application/rdf+xml": "xml"}
SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".rdf": "xml"}
KINDS = ["programme/xaim", "course/xaim/trustworthy-ai", "course/ai-for-healthcare-choice", "organisation/university-of-pavia",
         "pillar/ai", "person/sandeep-bodduluri", "track/ai-english", "programme/xaim/requirement/1", "source/002-fb1c08826e7fe348"]


@pytest.fixture(scope="module")
def app_config(backend_config: dict[str, Any]) -> dict[str, Any]:
    return backend_config


@pytest.mark.parametrize("path", KINDS)
def test_each_kind_negotiates_every_format(client, path: str) -> None:
    status, headers, body = client.request("GET", f"/{path}", headers={"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html") and b"<h1>" in body
    assert "Accept" in headers["vary"] and 'rel="alternate"; type="text/turtle"' in headers["link"]
    for media, parser in RDF_TYPES.items():
        status, headers, body = client.request("GET", f"/{path}", headers={"Accept": media})
        assert status == 200 and headers["content-type"].startswith(media), (path, media)
        graph = Graph().parse(data=body, format=parser)
        assert (URIRef(BASE + path), None, None) in graph
    for suffix, parser in SUFFIXES.items():
        status, _, body = client.request("GET", f"/{path}{suffix}")
        assert status == 200 and len(Graph().parse(data=body, format=parser)) > 0


def test_unknown_iri_gets_a_404_page(client) -> None:
    status, headers, body = client.request("GET", "/programme/does-not-exist")
    assert status == 404 and headers["content-type"].startswith("text/html") and b"Not found" in body
    assert client.request("GET", "/nothing-here/at-all")[0] == 404


def test_every_subject_under_the_base_dereferences(client) -> None:
    query = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}'
    status, _, body = client.request("GET", "/sparql?query=" + quote(query))
    subjects = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert len(subjects) > 100
    for subject in subjects:
        path = "/" + quote(urldefrag(subject)[0][len(BASE):])  # a client never sends the fragment
        html = client.request("GET", path, headers={"Accept": "text/html"})
        turtle = client.request("GET", path, headers={"Accept": "text/turtle"})
        assert html[0] == 200 and turtle[0] == 200, subject


def test_programme_page_has_its_sections_and_schema_org(client) -> None:
    _, _, body = client.request("GET", "/programme/xaim")
    page = body.decode()
    assert 'id="semester-table"' in page and page.count("<tr>") > 14
    assert "One of the following" in page and "University of Pavia" in page and "coordinator" in page
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert script
    graph = Graph().parse(data=script.group(1), format="json-ld")
    schema = "http://schema.org/"
    programme = URIRef(BASE + "programme/xaim")
    assert (programme, RDF.type, URIRef(schema + "EducationalOccupationalProgram")) in graph
    assert (programme, URIRef(schema + "name"), None) in graph and (programme, URIRef(schema + "provider"), None) in graph
    _, _, course = client.request("GET", "/course/xaim/trustworthy-ai")
    assert b'"@type": "Course"' in course
    status, headers, alone = client.request("GET", "/programme/xaim.schema.jsonld")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    assert isomorphic(Graph().parse(data=alone, format="json-ld"), graph)


def test_facts_link_to_their_source_and_evidence(client) -> None:
    _, _, body = client.request("GET", "/person/sandeep-bodduluri")
    page = body.decode()
    assert "/source/002-fb1c08826e7fe348" in page and "program director" in page and "evidence" in page
    _, _, source = client.request("GET", "/source/002-fb1c08826e7fe348")
    assert b"Facts read from this document" in source and b"Graduate Certificate in AI in Medicine" in source


def _export(client, fmt: str, graphs: str = "all") -> bytes:
    status, _, body = client.request("GET", f"/export?format={fmt}&graphs={graphs}")
    assert status == 200, body
    return body


@pytest.mark.parametrize("graphs", ["asserted", "inferred", "all"])
def test_exports_round_trip_through_two_parsers(client, graphs: str) -> None:
    turtle = Graph().parse(data=_export(client, "turtle", graphs), format="turtle")
    jsonld = Graph().parse(data=_export(client, "json-ld", graphs), format="json-ld")
    assert len(turtle) > 100 and isomorphic(turtle, jsonld)
    for fmt, parser, oxformat in (("nt", "nt", ox.RdfFormat.N_TRIPLES), ("xml", "xml", ox.RdfFormat.RDF_XML),
                                  ("turtle", "turtle", ox.RdfFormat.TURTLE)):
        body = _export(client, fmt, graphs)
        assert isomorphic(Graph().parse(data=body, format=parser), turtle)
        assert len(list(ox.parse(body, format=oxformat))) == len(turtle)
    trig = _export(client, "trig", graphs)
    quads = Dataset().parse(data=trig, format="trig")
    assert len(list(ox.parse(trig, format=ox.RdfFormat.TRIG))) == len(list(quads.quads((None, None, None, None))))
    assert len(list(ox.parse(_export(client, "nquads", graphs), format=ox.RdfFormat.N_QUADS))) == len(list(quads.quads((None, None, None, None))))


@pytest.mark.parametrize("fmt", DATASETS, ids=lambda f: f.name)
def test_every_name_of_an_export_format_works(client, fmt: Format) -> None:
    for name in (fmt.name, *fmt.names, fmt.media_type, *fmt.media_aliases):
        status, headers, body = client.request("GET", f"/export?graphs=inferred&format={quote(name)}")
        assert status == 200 and headers["content-type"].split(";")[0] == fmt.media_type and body, (name, status, body[:200])


def test_jsonld_uses_the_published_context(client) -> None:
    document = json.loads(_export(client, "json-ld", "asserted"))
    _, _, context = client.request("GET", "/context.jsonld")
    assert document["@context"] == json.loads(context)["@context"]
    flat = json.dumps(document)
    assert '"name"' in flat and '"hasMandatoryCourse"' in flat and "http://schema.org/name" not in flat


def test_dcat_and_void(client) -> None:
    status, _, body = client.request("GET", "/.well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=body, format="turtle")
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset):
        assert graph.value(catalog, prop) is not None, prop
    dataset = graph.value(catalog, DCAT.dataset)
    assert graph.value(dataset, DCTERMS.title) and graph.value(dataset, DCTERMS.description)
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 6 and all(graph.value(d, DCAT.accessURL) for d in distributions)
    service = next(graph.subjects(RDF.type, DCAT.DataService))
    assert graph.value(service, DCAT.endpointURL) and graph.value(service, DCTERMS.title)
    void = "http://rdfs.org/ns/void#"
    assert int(graph.value(dataset, URIRef(void + "triples"))) > 1000
    assert len(list(graph.objects(dataset, URIRef(void + "subset")))) == 7
    _, _, sd = client.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    assert b"/.well-known/void" in sd


def test_ontology_page(client) -> None:
    status, _, body = client.request("GET", "/ontology", headers={"Accept": "text/html"})
    assert status == 200 and b'id="Programme"' in body and b"schema:EducationalOccupationalProgram" in body
    status, headers, body = client.request("GET", "/ontology", headers={"Accept": "text/turtle"})
    assert status == 200 and len(Graph().parse(data=body, format="turtle")) > 300


def test_search_and_compare(client) -> None:
    _, _, body = client.request("GET", "/search?q=deep")
    assert b"Computer Vision and Deep Learning" in body
    _, _, body = client.request("GET", "/compare")
    assert b'id="compare-table"' in body and b"M.S. in AIM" in body


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag in ("script", "img") and name == "src") or (tag == "link" and name == "href")):
                self.links.append(value)


def test_crawl_from_home_finds_no_broken_link(client) -> None:
    seen: set[str] = set()
    queue = ["/"]
    pages = 0
    broken = []
    while queue and len(seen) < 600:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = client.request("GET", path)
        if status != 200:
            broken.append((path, status))
            continue
        if not headers.get("content-type", "").startswith("text/html"):
            continue
        pages += 1
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urldefrag(urljoin(path, link))[0]
            parsed = urlparse(target)
            if parsed.netloc or not target.startswith("/") or "/export" in target:
                continue
            if target not in seen:
                queue.append(target)
    assert not broken, broken[:10]
    assert pages > 20


def test_programme_page_in_chromium(live_server, tmp_path: Path) -> None:
    with browser() as chromium:
        page = chromium.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(live_server.url + "/programme/xaim", wait_until="networkidle")
        rows = page.locator("#semester-table tbody tr")
        assert rows.count() == 14
        page.locator("#pillar-chart svg").first.wait_for(timeout=10000)
        assert page.locator("#pillar-chart svg .mark-rect path").count() >= 3
        assert page.locator("h1").inner_text().startswith("eXplainable")
        page.screenshot(path=str(tmp_path / "programme.png"), full_page=True)
    assert errors == []
