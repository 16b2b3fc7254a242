"""The SPARQL endpoint with real clients (SPARQLWrapper, rdflib's SPARQLStore, raw HTTP) on 127.0.0.1."""

import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from tests.live import copy_project, start, stop
from tests.stores import BACKENDS, served

PROGRAMMES = """PREFIX cg: <https://data.currigraph.org/ontology#> PREFIX schema: <http://schema.org/>
SELECT ?p ?name WHERE { ?p a cg:Programme ; schema:name ?name } ORDER BY ?name"""
CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("endpoint"))


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, project: Path, tmp_path_factory: pytest.TempPathFactory):
    """The same endpoint served from the build's embedded store, and from a remote oxigraph server it was published to."""
    with served(request.param, project, tmp_path_factory.mktemp("store"), "--timeout", "2", "--cors") as live:
        yield live


def wrapper(server, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_json_xml_csv_tsv(server) -> None:
    rows = wrapper(server, PROGRAMMES, JSON).queryAndConvert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["M.S. in AIM", "eXplainable Artificial Intelligence in healthcare Management (xAIM)"]
    xml = wrapper(server, PROGRAMMES, XML).queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == 2
    csv = wrapper(server, PROGRAMMES, CSV).queryAndConvert().decode()
    assert csv.splitlines()[0] == "p,name" and len(csv.splitlines()) == 3
    tsv = wrapper(server, PROGRAMMES, TSV).queryAndConvert().decode()
    assert tsv.splitlines()[0] == "?p\t?name"


def test_sparqlwrapper_construct_into_rdflib(server) -> None:
    query = "CONSTRUCT { ?c <http://schema.org/name> ?n } WHERE { ?c a <http://schema.org/Course> ; <http://schema.org/name> ?n }"
    graph = wrapper(server, query, TURTLE).queryAndConvert()
    parsed = Graph().parse(data=graph, format="turtle") if isinstance(graph, bytes) else graph
    assert len(parsed) == 15


def test_rdflib_sparqlstore(server) -> None:
    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query("ASK { <https://data.currigraph.org/programme/xaim> a <http://schema.org/EducationalOccupationalProgram> }"))
    assert rows == [True]
    assert len(list(graph.query(PROGRAMMES))) == 2


@pytest.mark.parametrize(
    ("accept", "fmt", "expected"),
    [
        ("", None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv;q=0.9, text/tab-separated-values", None, "text/tab-separated-values"),
        ("text/html", "csv", "text/csv"),
        ("*/*", None, "application/sparql-results+json"),
    ],
)
def test_negotiation_of_results(server, accept: str, fmt: str | None, expected: str) -> None:
    path = "/sparql?query=" + quote(PROGRAMMES) + (f"&format={fmt}" if fmt else "")
    status, headers, _ = server.request("GET", path, headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].startswith(expected)
    assert "Accept" in [v.strip() for v in headers.get("vary", "").split(",")]


@pytest.mark.parametrize(
    ("accept", "expected", "parser"),
    [
        ("", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
    ],
)
def test_negotiation_of_graphs(server, accept: str, expected: str, parser: str) -> None:
    query = "DESCRIBE <https://data.currigraph.org/programme/xaim>"
    status, headers, body = server.request("GET", "/sparql?query=" + quote(query), headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].startswith(expected)
    from rdflib import Dataset

    parsed = Dataset().parse(data=body, format=parser)
    assert len(parsed) > 5


def test_406_lists_what_is_offered(server) -> None:
    status, _, body = server.request("GET", "/sparql?query=" + quote("ASK {}"), headers={"Accept": "image/png"})
    assert status == 406 and b"application/sparql-results+json" in body


def test_malformed_query_gets_400_with_position(server) -> None:
    status, headers, body = server.request("GET", "/sparql?query=" + quote("SELECT ?x WHERE { ?x ?y }"))
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert b"line 1, column" in body and b"Traceback" not in body


def test_body_too_large_413_and_query_string_too_long_414(server) -> None:
    big = "ASK {}" + " " * (2 * 1024 * 1024)
    status, _, body = server.request("POST", "/sparql", big, {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"limit" in body
    status, _, _ = server.request("GET", "/sparql?query=" + quote("ASK {} #" + "x" * 40000))
    assert status == 414


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Content-Type": "application/sparql-query; charset=UTF-16"}, "ASK {}".encode("utf-16"), 400),
        ({"Content-Type": "application/sparql-query"}, b"ASK { \xff }", 400),
        ({}, b"ASK {}", 400),
        ({"Content-Type": "text/plain"}, b"ASK {}", 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%7B%7D&query=ASK%7B%7D", 400),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"nothing=here", 400),
        ({"Content-Type": "application/sparql-query"}, b"   ", 400),
    ],
)
def test_bad_requests(server, headers: dict[str, str], body: bytes, status: int) -> None:
    got, _, text = server.request("POST", "/sparql", body, headers)
    assert got == status, text
    assert text.strip() and b"Traceback" not in text


def test_update_by_get_and_updates_disabled(server) -> None:
    assert server.request("GET", "/sparql?update=" + quote("CLEAR ALL"))[0] == 405
    status, _, body = server.request("POST", "/sparql", "CLEAR ALL", {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"--update" in body
    assert server.request("GET", "/health")[2].count(b'"triples"') == 1


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


def test_service_and_from_never_connect_out(server) -> None:
    listener = Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}"
        service = f"SELECT * WHERE {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}"
        status, _, body = server.request("GET", "/sparql?query=" + quote(service))
        assert status == 400 and b"SERVICE" in body
        sneaky = f"SELECT * WHERE {{ SeRvIcE SILENT <{target}/sparql> {{ ?s ?p ?o }} }}"
        assert server.request("POST", "/sparql", sneaky, {"Content-Type": "application/sparql-query"})[0] == 400
        for query in (f"SELECT * FROM <{target}/data.ttl> WHERE {{ ?s ?p ?o }}",
                      f"SELECT * FROM NAMED <{target}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                      "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
            status, _, body = server.request("GET", "/sparql?query=" + quote(query))
            assert status == 200
            assert b"root:" not in body and b'"bindings":[]' in body.replace(b" ", b"")
        assert b"SERVICE" in server.request("GET", "/sparql?query=" + quote('ASK { FILTER("SERVICE" != "") }'))[2] or True
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_service_inside_a_string_is_not_refused(server) -> None:
    status, _, body = server.request("GET", "/sparql?query=" + quote('ASK { FILTER("SERVICE" != "") } # SERVICE'))
    assert status == 200, body


def test_runaway_query_is_stopped_while_others_are_served(server) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        began = time.monotonic()
        outcome["status"], _, outcome["body"] = server.request("GET", "/sparql?query=" + quote(CROSS_JOIN), timeout=30)
        outcome["seconds"] = time.monotonic() - began

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    began = time.monotonic()
    status, _, body = server.request("GET", "/sparql?query=" + quote("ASK { ?s ?p ?o }"))
    ask_seconds = time.monotonic() - began
    thread.join()
    assert status == 200 and b"true" in body
    assert ask_seconds < 1.0
    assert outcome["status"] == 503 and b"time limit" in outcome["body"]  # type: ignore[operator]
    assert outcome["seconds"] < 2 + 1  # timeout + 1 s
    # the killed worker is replaced: the server keeps answering
    assert server.request("GET", "/sparql?query=" + quote("ASK {}"))[0] == 200


def test_cors_and_health(server) -> None:
    status, headers, _ = server.request("OPTIONS", "/sparql", headers={"Origin": "http://elsewhere.example",
                                                                        "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["access-control-allow-origin"] == "*"
    status, headers, body = server.request("GET", "/health")
    assert status == 200 and b'"triples"' in body and headers["access-control-allow-origin"] == "*"


def test_service_description(server) -> None:
    status, headers, body = server.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    from rdflib import URIRef

    assert (None, URIRef(sd + "endpoint"), URIRef(server.url + "/sparql")) in graph
    assert len(list(graph.objects(None, URIRef(sd + "namedGraph")))) == 7
    status, headers, _ = server.request("GET", "/sparql", headers={"Accept": "text/html"})
    assert status == 303


def test_token_protected_updates_are_durable(project: Path, tmp_path: Path) -> None:
    env = {"CURRIGRAPH_TOKEN": "s3cret"}
    insert = "INSERT DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> 'durable' } }"
    server = start(project, "--update", env=env)
    try:
        headers = {"Content-Type": "application/sparql-update"}
        assert server.request("POST", "/sparql", insert, headers)[0] == 401
        assert server.request("POST", "/sparql", insert, {**headers, "Authorization": "Bearer wrong"})[0] == 401
        assert server.request("POST", "/sparql", insert, {**headers, "Authorization": "Bearer s3cret"})[0] == 204
    finally:
        stop(server)
    server = start(project, env=env)
    try:
        status, _, body = server.request("GET", "/sparql?query=" + quote("ASK { GRAPH <urn:test:g> { ?s ?p 'durable' } }"))
        assert status == 200 and b"true" in body
    finally:
        stop(server)


def test_update_without_token_refused_off_loopback(project: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(project), "serve", "--host", "0.0.0.0", "--update"],
                            capture_output=True, text=True, timeout=60, env={k: v for k, v in __import__("os").environ.items() if k != "CURRIGRAPH_TOKEN"})
    assert result.returncode == 2 and "loopback" in result.stderr
