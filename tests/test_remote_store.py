"""Publishing to, and serving from, a real remote store: `oxigraph serve` on 127.0.0.1, reached only through the standard protocols."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.live import free_port, start, stop
from tests.stores import Oxigraph, cli, oxigraph, publish, serve_remote
from tests.test_validation_http import AUTH, TOKEN, course, post

COURSES = "PREFIX cg: <https://data.currigraph.org/ontology#> SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cg:Course }"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def project(built_copy: Callable[[Path], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_copy(tmp_path_factory.mktemp("remote") / "project")


def count(server, query: str) -> int:
    status, _, body = server.request("GET", "/sparql?query=" + quote(query), headers={"Accept": "text/csv"})
    assert status == 200, body
    return int(body.decode().splitlines()[1])


def test_two_publishes_leave_the_same_quads_and_serve_the_same_courses(project: Path, tmp_path: Path) -> None:
    with oxigraph(tmp_path / "db") as store:
        first = publish(project, store)
        assert "published 7 graphs" in first.stdout
        after_one = store.quads()
        publish(project, store)
        assert store.quads() == after_one
        assert store.count(GRAPHS) == 8  # the build's seven graphs and the manifest
        embedded = start(project)
        remote = serve_remote(project, store)
        try:
            assert count(remote, COURSES) == count(embedded, COURSES) == 15
            for path in ("/health", "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")):
                assert remote.request("GET", path)[0] == 200
            e_health = json.loads(embedded.request("GET", "/health")[2])
            r_health = json.loads(remote.request("GET", "/health")[2])
            assert (r_health["backend"], e_health["backend"]) == ("remote", "embedded")
            assert r_health["triples"] == e_health["triples"] and r_health["graphs"] == e_health["graphs"] == 7
        finally:
            stop(remote)
            stop(embedded)


def test_default_graph_is_the_set_union_or_left_alone(project: Path, tmp_path: Path) -> None:
    with oxigraph(tmp_path / "db") as store:
        publish(project, store)
        union = store.count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                            "FILTER (?g != <https://data.currigraph.org/graph/manifest>) } }")
        assert store.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == union > 1000
    with oxigraph(tmp_path / "db2") as store:
        result = publish(project, store, "--default-graph", "keep")
        assert "default graph" not in result.stdout
        assert store.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 0


def test_graphs_the_build_no_longer_has_are_removed(built_copy: Callable[[Path], Path], tmp_path: Path) -> None:
    root = built_copy(tmp_path / "shrinking")
    with oxigraph(tmp_path / "db") as store:
        publish(root, store)
        before = store.count(GRAPHS)
        sorted((root / "data" / "sources").iterdir())[-1].unlink()  # a guide that nothing else refers to
        result = publish(root, store)
        assert "removed 1 graphs" in result.stdout, result.stdout
        assert store.count(GRAPHS) == before - 1


def test_publish_errors_are_clear_and_lose_nothing(project: Path, tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/store"
    result = cli(project, "publish", "--to", nowhere)
    assert result.returncode == 2 and "cannot reach the store" in result.stderr and "connection refused" in result.stderr
    assert "Traceback" not in result.stderr
    result = cli(project, "publish", "--to", "ftp://127.0.0.1/store")
    assert result.returncode == 2 and "http://" in result.stderr
    with oxigraph(tmp_path / "db") as store:
        result = cli(project, "publish", "--to", store.url + "/query")  # not the Graph Store Protocol URL
        assert result.returncode == 2 and "refused" in result.stderr and "Graph Store Protocol URL" in result.stderr
        assert "publishing again" in result.stderr
        publish(project, store)
        assert store.count(GRAPHS) == 8


def test_store_down_gives_503_and_serving_resumes(project: Path, tmp_path: Path) -> None:
    store = Oxigraph(tmp_path / "db").start()
    try:
        publish(project, store)
        server = serve_remote(project, store)
        try:
            assert count(server, COURSES) == 15
            store.stop()
            for path in ("/sparql?query=" + quote(COURSES), "/export?format=nt", "/api/queries/dataset-overview", "/programme/xaim", "/search?q=ai"):
                status, headers, body = server.request("GET", path)
                assert status in (502, 503) and b"unreachable" in body and b"Traceback" not in body, (path, status, body)
            # The catalogue description was counted before: it is served from memory, never a traceback
            status, _, body = server.request("GET", "/.well-known/void")
            assert status in (200, 503) and b"Traceback" not in body
            status, _, body = server.request("GET", "/health")
            assert status == 503 and json.loads(body)["status"] == "unavailable"
            store.start()
            assert count(server, COURSES) == 15
            assert server.request("GET", "/health")[0] == 200
        finally:
            stop(server)
    finally:
        store.stop()


def test_published_courses_write_through_and_survive_a_republish(project: Path, tmp_path: Path) -> None:
    env = {"CURRIGRAPH_TOKEN": TOKEN}
    with oxigraph(tmp_path / "db") as store:
        publish(project, store)
        one, two = serve_remote(project, store, env=env), serve_remote(project, store, env=env)
        try:
            status, headers, body = post(one, "/courses", course("text/markdown", title="Remote Course"), "text/markdown", AUTH)
            assert status == 201, body
            assert count(one, COURSES) == count(two, COURSES) == 16  # the other server sees it at once
            quads = store.quads()
            # published again, replaced: same quads
            assert post(one, "/courses", course("text/markdown", title="Remote Course"), "text/markdown", AUTH)[0] == 201
            assert store.quads() == quads
            assert not list((project / "data").glob("published/*.ttl"))  # the store is the record, not this machine's disk
            # a new publish of the build keeps what was published through the server, and duplicates nothing
            publish(project, store)
            assert store.quads() == quads
            assert count(two, COURSES) == 16
            # the course's triples are in the default graph (the union) and in its own named graph
            ask = "ASK { GRAPH ?g { ?c <http://schema.org/name> 'Remote Course' } ?c <http://schema.org/name> 'Remote Course' }"
            assert b"true" in store.select(ask)
            # updates pass through to the store's update URL, with the server's own token check
            update = "INSERT DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> 'through' } }"
            headers = {"Content-Type": "application/sparql-update"}
            assert one.request("POST", "/sparql", update, headers)[0] == 403  # updates are off unless --update
        finally:
            stop(one)
            stop(two)


def test_serve_from_store_refuses_bad_urls(project: Path) -> None:
    result = cli(project, "serve", "--store", "not a url")
    assert result.returncode == 2 and "--store URL" in result.stderr
    result = cli(project, "serve", "--store-update", "http://127.0.0.1:1/update")
    assert result.returncode == 2 and "--store" in result.stderr


def test_a_server_without_a_build_serves_from_the_store(project: Path, tmp_path: Path) -> None:
    bare = tmp_path / "web-tier"
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(project / name, bare / name)
    (bare / "data").mkdir()
    with oxigraph(tmp_path / "db") as store:
        publish(project, store)
        server = serve_remote(bare, store, "--update")
        try:
            assert count(server, COURSES) == 15
            assert not (bare / "build").exists()
            status, _, body = server.request("GET", "/export?format=nquads&graphs=asserted")
            assert status == 200 and body.count(b"\n") > 1000
            headers = {"Content-Type": "application/sparql-update"}
            update = "INSERT DATA { <urn:test:s> <urn:test:p> 'through' }"
            assert server.request("POST", "/sparql", update, headers)[0] == 204
            assert b"true" in store.select("ASK { <urn:test:s> <urn:test:p> 'through' }")
            status, _, body = server.request("POST", "/sparql", "INSERT DATA { <a> <b> }", headers)
            assert status == 400 and b"line 1" in body  # refused by the parser, before the store sees it
        finally:
            stop(server)


def test_relative_iris_resolve_against_the_endpoint_and_credentials_leave_the_url() -> None:
    from currigraph.remote.client import StoreURL
    from currigraph.remote.engine import with_base

    query = "SELECT * WHERE {\n  <course/x> ?p ?o }"
    based = with_base(query, "http://127.0.0.1:8000/sparql")
    assert based.startswith("BASE <http://127.0.0.1:8000/sparql> SELECT") and based.count("\n") == query.count("\n")
    own = 'BASE <http://x/> SELECT * WHERE { <a> ?p "<b>" } # <c>'
    assert with_base(own, "http://127.0.0.1:8000/sparql").endswith(own)  # the query's own BASE comes later and wins
    target = StoreURL.parse("http://user:secret@127.0.0.1:3030/ds/data", token="ignored")
    assert target.url == "http://127.0.0.1:3030/ds/data" and target.authorization == "Basic dXNlcjpzZWNyZXQ="
    assert StoreURL.parse("https://store.example/data", token="t").authorization == "Bearer t"
    with pytest.raises(Exception, match="http"):
        StoreURL.parse("file:///etc/passwd")
