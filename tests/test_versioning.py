"""Answers versioned by the dataset: ETag and 304, compression, the answer cache, and their invalidation by a publication."""

import gzip
import json
from urllib.parse import quote

import brotli
import pytest
import zstandard

from tests.live import copy_project, running

TOKEN = "versioning-token"
COUNT_COURSES = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://data.currigraph.org/ontology#Course> }"
COURSE = b"""---
title: Versioned Graph Learning
semester: 2
studycredits: 5
pillar: AI
programme: xaim
---
Learning on graphs, published while the server runs.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with running(copy_project(tmp_path_factory.mktemp("versioning") / "p"), env={"CURRIGRAPH_TOKEN": TOKEN}) as live:
        yield live


def _count(server) -> int:
    status, _, body = server.request("GET", "/sparql?query=" + quote(COUNT_COURSES))
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("path", ["/sparql?query=" + quote(COUNT_COURSES), "/programme/xaim", "/api/queries/dataset-overview",
                                  "/export?format=turtle", "/.well-known/void", "/search?q=learning", "/"])
def test_etag_and_304(server, path: str) -> None:
    status, headers, body = server.request("GET", path)
    assert status == 200 and headers["etag"].startswith('W/"') and body
    status, again, body = server.request("GET", path, headers={"If-None-Match": headers["etag"]})
    assert status == 304 and body == b"" and again["etag"] == headers["etag"]
    status, _, _ = server.request("GET", path, headers={"If-None-Match": 'W/"another-version"'})
    assert status == 200


def test_representations_have_their_own_tags(server) -> None:
    path = "/programme/xaim"
    _, html, _ = server.request("GET", path, headers={"Accept": "text/html"})
    _, turtle, _ = server.request("GET", path, headers={"Accept": "text/turtle"})
    assert html["etag"] != turtle["etag"]


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress),
                                                  ("zstd", lambda b: zstandard.ZstdDecompressor().decompressobj().decompress(b))])
def test_exports_and_pages_are_compressed_when_accepted(server, encoding: str, decode) -> None:
    _, _, plain = server.request("GET", "/export?format=nt")
    status, headers, body = server.request("GET", "/export?format=nt", headers={"Accept-Encoding": encoding})
    assert status == 200 and headers["content-encoding"] == encoding and len(body) < len(plain) / 3
    assert decode(body) == plain
    assert "Accept-Encoding" in headers["vary"]


def test_health_and_errors_are_not_tagged(server) -> None:
    _, headers, _ = server.request("GET", "/health")
    assert "etag" not in headers
    status, headers, _ = server.request("GET", "/sparql?query=SELEKT")
    assert status == 400 and "etag" not in headers


def test_a_publication_moves_the_version_on_everywhere(server) -> None:
    before = _count(server)
    _, health, body = server.request("GET", "/health")
    version = json.loads(body)["version"]
    _, page, _ = server.request("GET", "/programme/xaim")
    _, void, void_body = server.request("GET", "/.well-known/void")
    _, _, overview = server.request("GET", "/api/queries/dataset-overview?format=json")
    _count(server)  # answered from the cache now
    assert json.loads(server.request("GET", "/health")[2])["cache"]["hits"] >= 1
    status, _, body = server.request("POST", "/courses", COURSE, {"Content-Type": "text/markdown", "Authorization": f"Bearer {TOKEN}"})
    assert status == 201, body
    assert json.loads(server.request("GET", "/health")[2])["version"] != version
    assert _count(server) == before + 1  # not the cached answer of the former version
    status, _, _ = server.request("GET", "/programme/xaim", headers={"If-None-Match": page["etag"]})
    assert status == 200  # the page changed: it lists the new course
    assert "versioned-graph-learning" in server.request("GET", "/programme/xaim")[2].decode()
    status, _, rows = server.request("GET", "/api/queries/dataset-overview?format=json")
    assert status == 200 and rows != overview  # the named query counts the new course
    status, headers, body = server.request("GET", "/.well-known/void", headers={"If-None-Match": void["etag"]})
    assert status == 200 and body != void_body  # VoID counts the new course's graphs (counted in the background)
