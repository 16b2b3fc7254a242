"""The SPARQL endpoint: protocol, negotiation and limits through Flask's test client; real clients (SPARQLWrapper,
rdflib's SPARQLStore), time limits and restarts against `currigraph serve` on 127.0.0.1. Both back ends throughout.
"""

import csv
import io
import json
import socket
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDF, RDFXML, TSV, TURTLE, URLENCODED, SPARQLWrapper

from currigraph.formats import CONSTRUCTED, RESULTS, Format
from tests.live import start, stop
from tests.stores import served

PROGRAMMES = """PREFIX cg: <https://data.currigraph.org/ontology#> PREFIX schema: <http://schema.org/>
SELECT ?p ?name WHERE { ?p a cg:Programme ; schema:name ?name } ORDER BY ?name"""
CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


@pytest.fixture(scope="module")
def project(built_copy: Callable[[Path], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project of the module's own (the update tests write to it)."""
    return built_copy(tmp_path_factory.mktemp("endpoint") / "project")


@pytest.fixture(scope="module")
def server(backend: str, project: Path, tmp_path_factory: pytest.TempPathFactory):
    """A live endpoint served from the build's embedded store, or from a remote oxigraph server it was published to."""
    with served(backend, project, tmp_path_factory.mktemp("store"), "--timeout", "2", "--cors") as live:
        yield live


@pytest.fixture(scope="module")
def app_config(backend_config: dict[str, Any]) -> dict[str, Any]:
    """The app as the live server runs it: `--timeout 2 --cors`."""
    return {**backend_config, "TIMEOUT": 2.0, "CORS": True}


ASK_XAIM = "ASK { <https://data.currigraph.org/programme/xaim> a <http://schema.org/EducationalOccupationalProgram> }"
COURSE_NAMES = "CONSTRUCT { ?c <http://schema.org/name> ?n } WHERE { ?c a <http://schema.org/Course> ; <http://schema.org/name> ?n }"
DESCRIBE_XAIM = "DESCRIBE <https://data.currigraph.org/programme/xaim>"
# SPARQLWrapper's ways of sending a query: GET, POST of a form, POST of the query itself
METHODS = {"GET": (GET, URLENCODED), "POST-form": (POST, URLENCODED), "POST-direct": (POST, POSTDIRECTLY)}
# (SPARQLWrapper return format or None for its default, XML; an Accept header instead of the format parameters)
TABLES = {"json": (JSON, None), "xml-default": (None, None), "csv": (CSV, None), "tsv": (TSV, None)}
GRAPHS = {"turtle": (TURTLE, None), "json-ld": (JSONLD, None), "rdf+xml": (RDFXML, None), "rdf": (RDF, None),
          "n3": (N3, None), "n-triples": (N3, "application/n-triples"), "xml-default": (None, None)}
GRAPH_PARSERS = {"text/turtle": "turtle", "text/n3": "n3", "application/n-triples": "nt"}  # SPARQLWrapper hands these over as bytes
MATRIX = ([(form, query, name, *fmt) for form, query in (("SELECT", PROGRAMMES), ("ASK", ASK_XAIM)) for name, fmt in TABLES.items()]
          + [(form, query, name, *fmt) for form, query in (("CONSTRUCT", COURSE_NAMES), ("DESCRIBE", DESCRIBE_XAIM))
             for name, fmt in GRAPHS.items()])


@pytest.fixture(scope="module")
def expected(project: Path) -> dict[str, Any]:
    """What each query of the matrix must answer, from the build's dataset file queried in this process."""
    store = ox.Store()
    store.bulk_load(path=str(project / "build" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)

    def run(query: str) -> Any:
        return store.query(query, use_default_graph_as_union=True)

    rows = [(str(r["p"].value), str(r["name"].value)) for r in run(PROGRAMMES)]
    graphs = {form: _graph(ox.serialize(run(query), format=ox.RdfFormat.N_TRIPLES), "nt")
              for form, query in (("CONSTRUCT", COURSE_NAMES), ("DESCRIBE", DESCRIBE_XAIM))}
    assert [name for _, name in rows] == ["M.S. in AIM", "eXplainable Artificial Intelligence in healthcare Management (xAIM)"]
    assert len(graphs["CONSTRUCT"]) == 15 and len(graphs["DESCRIBE"]) > 5
    return {"SELECT": rows, "ASK": bool(run(ASK_XAIM)), **graphs}


def _graph(data: bytes | str, parser: str) -> Graph:
    return Graph().parse(data=data, format=parser)


def _triples(converted: Any) -> Graph:
    """The triples of an rdflib graph SPARQLWrapper made (a ConjunctiveGraph for JSON-LD), as one plain graph."""
    graph = Graph()
    for triple in converted.triples((None, None, None)):
        graph.add(triple)
    return graph


def _table(fmt: str, converted: Any) -> list[tuple[str, str]] | bool:
    """SELECT rows (IRI and name, in order) or the ASK boolean, read from what SPARQLWrapper's convert() returned."""
    if fmt == "json":
        if "boolean" in converted:
            return converted["boolean"]
        assert converted["head"]["vars"] == ["p", "name"]
        return [(b["p"]["value"], b["name"]["value"]) for b in converted["results"]["bindings"]]
    if fmt == "xml-default":  # a DOM document
        booleans = converted.getElementsByTagName("boolean")
        if booleans:
            return booleans[0].firstChild.data == "true"
        assert [v.getAttribute("name") for v in converted.getElementsByTagName("variable")] == ["p", "name"]
        return [tuple(next(b for b in result.getElementsByTagName("binding") if b.getAttribute("name") == name).firstChild.firstChild.data
                      for name in ("p", "name")) for result in converted.getElementsByTagName("result")]
    text = converted.decode("utf-8")  # CSV and TSV come back as bytes
    if text.strip() in ("true", "false"):
        return text.strip() == "true"
    if fmt == "csv":
        header, *rows = list(csv.reader(io.StringIO(text)))
        assert header == ["p", "name"]
        return [(p, name) for p, name in rows]
    assert text.splitlines()[0] == "?p\t?name"
    return [(str(r["p"].value), str(r["name"].value)) for r in ox.parse_query_results(converted, format=ox.QueryResultsFormat.TSV)]


@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize(("form", "query", "name", "fmt", "accept"), MATRIX, ids=[f"{m[0]}-{m[2]}" for m in MATRIX])
def test_sparqlwrapper_matrix(server, expected: dict[str, Any], method: str, form: str, query: str, name: str,
                              fmt: str | None, accept: str | None) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setMethod(METHODS[method][0])
    client.setRequestMethod(METHODS[method][1])
    if fmt is not None:
        client.setReturnFormat(fmt)
    if accept is not None:  # a format SPARQLWrapper has no name for: content negotiation only
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", accept)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = client.query()
        content_type = result.info()["content-type"]
        converted = result.convert()
    # SPARQLWrapper warns when the answer is not in the format it asked for ('rdf' makes it send Accept: */*)
    complaints = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert [c for c in complaints if "Sending Accept header '*/*'" not in c] == []
    if form in ("SELECT", "ASK"):
        assert _table(name, converted) == expected[form], content_type
        return
    if isinstance(converted, bytes):
        media = content_type.split(";")[0]
        assert media == (accept or {"turtle": "text/turtle", "n3": "text/n3"}[name])
        graph = _graph(converted, GRAPH_PARSERS[media])
    else:  # RDF/XML and JSON-LD: an rdflib graph
        assert content_type.startswith("application/ld+json" if name == "json-ld" else "application/rdf+xml"), content_type
        graph = _triples(converted)
    assert isomorphic(graph, expected[form]), (content_type, len(graph), len(expected[form]))


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
def test_negotiation_of_results(client, accept: str, fmt: str | None, expected: str) -> None:
    path = "/sparql?query=" + quote(PROGRAMMES) + (f"&format={fmt}" if fmt else "")
    status, headers, _ = client.request("GET", path, headers={"Accept": accept} if accept else {})
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
def test_negotiation_of_graphs(client, accept: str, expected: str, parser: str) -> None:
    query = "DESCRIBE <https://data.currigraph.org/programme/xaim>"
    status, headers, body = client.request("GET", "/sparql?query=" + quote(query), headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].startswith(expected)
    parsed = Dataset().parse(data=body, format=parser)
    assert len(parsed) > 5


@pytest.mark.parametrize(("query", "fmt"), [(PROGRAMMES, f) for f in RESULTS] + [("DESCRIBE <https://data.currigraph.org/programme/xaim>", f)
                                                                              for f in CONSTRUCTED], ids=lambda v: getattr(v, "name", "q"))
def test_every_name_of_a_format_works_as_format_parameter(client, query: str, fmt: Format) -> None:
    for name in (fmt.name, *fmt.names, fmt.media_type, *fmt.media_aliases):
        status, headers, body = client.request("GET", f"/sparql?query={quote(query)}&format={quote(name)}", headers={"Accept": "image/png"})
        assert status == 200 and headers["content-type"] == fmt.content_type, (name, status, body[:200])


def test_406_lists_what_is_offered(client) -> None:
    status, _, body = client.request("GET", "/sparql?query=" + quote("ASK {}"), headers={"Accept": "image/png"})
    assert status == 406 and b"application/sparql-results+json" in body


def test_malformed_query_gets_400_with_position(client) -> None:
    status, headers, body = client.request("GET", "/sparql?query=" + quote("SELECT ?x WHERE { ?x ?y }"))
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert b"line 1, column" in body and b"Traceback" not in body


def test_body_too_large_413(server) -> None:
    # live: waitress reads the body and has a cap of its own, set above the app's so that the app answers
    big = "ASK {}" + " " * (2 * 1024 * 1024)
    status, _, body = server.request("POST", "/sparql", big, {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"limit" in body


def test_query_string_too_long_414(client) -> None:
    status, _, body = client.request("GET", "/sparql?query=" + quote("ASK {} #" + "x" * 40000))
    assert status == 414 and b"POST the query" in body


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
def test_bad_requests(client, headers: dict[str, str], body: bytes, status: int) -> None:
    got, _, text = client.request("POST", "/sparql", body, headers)
    assert got == status, text
    assert text.strip() and b"Traceback" not in text


def test_update_by_get_and_updates_disabled(client) -> None:
    assert client.request("GET", "/sparql?update=" + quote("CLEAR ALL"))[0] == 405
    status, _, body = client.request("POST", "/sparql", "CLEAR ALL", {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"--update" in body
    assert client.request("GET", "/health")[2].count(b'"triples"') == 1


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


def test_service_and_from_never_connect_out(client) -> None:
    listener = Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}"
        service = f"SELECT * WHERE {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}"
        status, _, body = client.request("GET", "/sparql?query=" + quote(service))
        assert status == 400 and b"SERVICE" in body
        sneaky = f"SELECT * WHERE {{ SeRvIcE SILENT <{target}/sparql> {{ ?s ?p ?o }} }}"
        assert client.request("POST", "/sparql", sneaky, {"Content-Type": "application/sparql-query"})[0] == 400
        for query in (f"SELECT * FROM <{target}/data.ttl> WHERE {{ ?s ?p ?o }}",
                      f"SELECT * FROM NAMED <{target}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                      "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
            status, _, body = client.request("GET", "/sparql?query=" + quote(query))
            assert status == 200
            assert b"root:" not in body and b'"bindings":[]' in body.replace(b" ", b"")
        status, _, body = client.request("GET", "/sparql?query=" + quote('ASK { FILTER("SERVICE" != "") }'))
        assert status == 200 and json.loads(body)["boolean"] is True  # the word in a string is no SERVICE clause
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_service_inside_a_string_is_not_refused(client) -> None:
    status, _, body = client.request("GET", "/sparql?query=" + quote('ASK { FILTER("SERVICE" != "") } # SERVICE'))
    assert status == 200 and json.loads(body)["boolean"] is True, body
    query = 'SELECT ?s WHERE { BIND(<https://example.org/SERVICE> AS ?s) FILTER(?s != <urn:x:service>) }'
    status, _, body = client.request("GET", "/sparql?query=" + quote(query))
    assert status == 200 and json.loads(body)["results"]["bindings"] == [{"s": {"type": "uri", "value": "https://example.org/SERVICE"}}]


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


def test_cors_and_health(client) -> None:
    status, headers, _ = client.request("OPTIONS", "/sparql", headers={"Origin": "http://elsewhere.example",
                                                                        "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["access-control-allow-origin"] == "*"
    status, headers, body = client.request("GET", "/health")
    assert status == 200 and b'"triples"' in body and headers["access-control-allow-origin"] == "*"


def test_service_description(client) -> None:
    status, headers, body = client.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(client.url + "/sparql")) in graph
    assert len(list(graph.objects(None, URIRef(sd + "namedGraph")))) == 7
    status, headers, _ = client.request("GET", "/sparql", headers={"Accept": "text/html"})
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
