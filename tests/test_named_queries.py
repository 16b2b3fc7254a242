"""Named queries: headers, typed injection-safe binding, the /api/queries API and its OpenAPI document (test client, both back ends)."""

import csv
import io
import json
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from currigraph.named_queries import NamedQuery, Param, ParameterError, bind_text, load_queries, openapi
from tests.helpers import ROOT

QUERIES = load_queries(ROOT / "queries")


def test_at_least_ten_queries_with_titles_and_descriptions():
    assert len(QUERIES) >= 10
    for query in QUERIES.values():
        assert query.title and query.description, query.name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_parses_once_bound(name: str):
    bound = bind_text(QUERIES[name], {})
    ox.Store().query(bound)  # raises SyntaxError on a broken query


HOSTILE = ['x" } ; DROP ALL ; #', "> . ?s ?p ?o <", "line\nbreak\r\ttab", "ünï©ødé \\ \\\" '''", '"""', "} UNION { ?a ?b ?c }"]


@pytest.mark.parametrize("value", HOSTILE)
def test_string_values_cannot_change_the_query(value: str):
    # the bound query parses, and the value comes back as exactly one literal, unchanged
    echo = NamedQuery("echo", "t", "d", "SELECT ?_topic WHERE { }", (Param("topic", "string"),))
    bound = bind_text(echo, {"topic": value})
    rows = list(ox.Store().query(bound))
    assert [r["_topic"].value for r in rows] == [value]
    ox.Store().query(bind_text(QUERIES["courses-on-topic"], {"topic": value}))


@pytest.mark.parametrize(
    ("kind", "value"),
    [("iri", "not an iri"), ("iri", "http://x/> } DROP ALL {"), ("integer", "1; DROP"), ("decimal", "NaN"),
     ("boolean", "maybe"), ("language", "en_US!"), ("integer", "")],
)
def test_bad_typed_values_are_rejected(kind: str, value: str):
    query = NamedQuery("q", "t", "d", "SELECT * WHERE { ?s ?p ?_x }", (Param("x", kind),))
    with pytest.raises(ParameterError, match="'x'"):
        bind_text(query, {"x": value})


def test_unknown_and_missing_parameters():
    query = NamedQuery("q", "t", "d", "SELECT * WHERE { ?s ?p ?_x }", (Param("x", "string"),))
    with pytest.raises(ParameterError, match="required"):
        bind_text(query, {})
    with pytest.raises(ParameterError, match="unknown"):
        bind_text(query, {"x": "a", "y": "b"})


def test_openapi_document_describes_every_query():
    document = openapi(QUERIES)
    assert document["openapi"].startswith("3.1")
    for name, query in QUERIES.items():
        operation = document["paths"][f"/api/queries/{name}"]["get"]
        assert {p["name"] for p in operation["parameters"]} == {p.name for p in query.params} | {"format"}


@pytest.fixture(scope="module")
def app_config(backend_config: dict[str, Any]) -> dict[str, Any]:
    return backend_config


def test_api_lists_queries(client):
    status, _, body = client.request("GET", "/api/queries")
    assert status == 200 and {q["name"] for q in json.loads(body)} == set(QUERIES)


def test_courses_by_semester_over_http(client):
    status, _, body = client.request("GET", "/api/queries/programme-courses-by-semester")
    rows = json.loads(body)["rows"]
    assert status == 200 and len(rows) == 14
    assert sum(r["status"] == "mandatory" for r in rows) == 6 and sum(r["status"] == "elective" for r in rows) == 8
    assert all(r["pillar"] for r in rows)


def test_csv_and_html(client):
    status, headers, body = client.request("GET", "/api/queries/admission-requirements?format=csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert {r["applies"] for r in rows} == {"one of", "all apply"}
    assert [r["cefrLevel"] for r in rows if r["cefrLevel"]] == ["B2"]
    status, headers, body = client.request("GET", "/api/queries/courses-on-topic?topic=deep", headers={"Accept": "text/html"})
    assert status == 200 and b"<table" in body and b"Computer Vision and Deep Learning" in body


def test_api_bad_parameters(client):
    assert client.request("GET", "/api/queries/programme-courses-by-semester?programme=" + quote("x y"))[0] == 400
    assert client.request("GET", "/api/queries/courses-on-topic?topic=a&topic=b")[0] == 400
    assert client.request("GET", "/api/queries/courses-on-topic?nope=1")[0] == 400
    assert client.request("GET", "/api/queries/no-such-query")[0] == 404
    status, _, body = client.request("GET", "/api/queries/courses-on-topic?topic=" + quote('x" } ; DROP ALL ; #'))
    assert status == 200 and json.loads(body)["rows"] == []


def test_openapi_over_http(client):
    status, _, body = client.request("GET", "/api/openapi.json")
    assert status == 200 and "/api/queries/courses-on-topic" in json.loads(body)["paths"]


def test_every_query_runs_through_the_api(client):
    for name in QUERIES:
        status, _, body = client.request("GET", f"/api/queries/{name}")
        assert status == 200, (name, body)

