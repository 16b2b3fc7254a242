"""Validating and publishing course data over HTTP: every format, every shape, durability, concurrency, hostile input.

Routes through Flask's test client; concurrent publications and a SIGKILL with a restart need live servers.
"""

import json
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.live import start, stop
from tests.test_endpoint import Listener
from tests.webapp import serve_config

TOKEN = "publish-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COURSE_MD = """---
title: {title}
semester: {semester}
studycredits: {credits}
pillar: AI
programme: xaim
---
A course written for the tests.
"""
COURSE_TTL = """@prefix cg: <https://data.currigraph.org/ontology#> . @prefix schema: <http://schema.org/> .
<https://data.currigraph.org/course/{slug}> a cg:Course ; schema:name "{title}" ; schema:description "x" ;
  cg:credits {credits} ; cg:semesterNumber {semester} ; cg:courseOf <https://data.currigraph.org/programme/xaim> .
"""
COURSE_JSONLD = """{{"@context": {{"cg": "https://data.currigraph.org/ontology#", "schema": "http://schema.org/",
  "xsd": "http://www.w3.org/2001/XMLSchema#"}},
 "@id": "https://data.currigraph.org/course/{slug}", "@type": "cg:Course", "schema:name": "{title}", "schema:description": "x",
 "cg:credits": {{"@value": "{credits}", "@type": "xsd:decimal"}}, "cg:semesterNumber": {{"@value": "{semester}", "@type": "xsd:integer"}},
 "cg:courseOf": {{"@id": "https://data.currigraph.org/programme/xaim"}}}}"""
FORMATS = {"text/markdown": COURSE_MD, "text/turtle": COURSE_TTL, "application/ld+json": COURSE_JSONLD}


def course(media: str, title: str = "Graph Learning", credits: str = "5", semester: str = "2") -> bytes:
    slug = title.lower().replace(" ", "-")
    return FORMATS[media].format(title=title, credits=credits, semester=semester, slug=slug).encode()


@pytest.fixture(scope="module")
def project(built_copy: Callable[[Path], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project of the module's own: publishing writes to it."""
    return built_copy(tmp_path_factory.mktemp("publish") / "project")


@pytest.fixture(scope="module")
def app_config(project: Path) -> dict[str, Any]:
    return serve_config(project, TOKEN=TOKEN)


def post(server, path: str, body: bytes, media: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    return server.request("POST", path, body, {"Content-Type": media, "Accept": "application/json", **(headers or {})})


def ask(server, query: str) -> bool:
    status, _, body = server.request("GET", "/sparql?query=" + quote(query))
    assert status == 200, body
    return json.loads(body)["boolean"]


@pytest.mark.parametrize("media", sorted(FORMATS))
def test_valid_course_conforms_in_each_format(client, media: str) -> None:
    status, _, body = post(client, "/validate", course(media), media)
    assert status == 200 and json.loads(body)["conforms"] is True, body


BAD_VALUES = [({"credits": "-5"}, "0 or more"), ({"credits": "-0.5"}, "0 or more"), ({"semester": "0"}, "1 or more")]


@pytest.mark.parametrize("media", sorted(FORMATS))
@pytest.mark.parametrize(("change", "message"), BAD_VALUES)
def test_each_violation_in_each_format(client, media: str, change: dict, message: str) -> None:
    status, _, body = post(client, "/validate", course(media, **change), media)
    report = json.loads(body)
    assert status == 200 and report["conforms"] is False
    assert any(message in r["message"] for r in report["results"]), report


def test_markdown_problems_name_their_front_matter_line(client) -> None:
    _, _, body = post(client, "/validate", course("text/markdown", credits="-5"), "text/markdown")
    result = json.loads(body)["results"][0]
    assert result["line"] == 4 and result["path"].endswith("#credits") and result["value"] == "-5"


def test_missing_title_and_unknown_programme(client) -> None:
    text = course("text/markdown").replace(b"title: Graph Learning\n", b"").replace(b"programme: xaim", b"programme: nowhere")
    report = json.loads(post(client, "/validate", text, "text/markdown")[2])
    messages = " ".join(r["message"] for r in report["results"])
    assert "title" in messages and "programme that is not in the graph" in messages


def test_programme_parameter(client) -> None:
    text = course("text/markdown").replace(b"programme: xaim\n", b"")
    report = json.loads(post(client, "/validate", text, "text/markdown")[2])
    # Belonging to nothing is a warning (real course pages seldom name their programme), not a violation.
    assert report["conforms"] is True and any("belongs to no programme" in r["message"] for r in report["results"])
    ok = post(client, "/validate?programme=" + quote("https://data.currigraph.org/programme/xaim"), text, "text/markdown")
    assert json.loads(ok[2])["conforms"] is True
    bad = post(client, "/validate?programme=" + quote("https://data.currigraph.org/programme/none"), text, "text/markdown")
    assert json.loads(bad[2])["conforms"] is False


def test_report_negotiation(client) -> None:
    body = course("text/turtle", credits="-1")
    status, headers, turtle = client.request("POST", "/validate", body, {"Content-Type": "text/turtle", "Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle") and b"sh:ValidationReport" in turtle
    status, headers, html = client.request("POST", "/validate", course("text/markdown", credits="-1"),
                                           {"Content-Type": "text/markdown", "Accept": "text/html"})
    assert status == 200 and b"0 or more" in html and b'id="line-4"' in html


@pytest.mark.parametrize(
    ("body", "media", "status", "words"),
    [
        (b"@prefix x: <http://x/> .\nx:a x:b", "text/turtle", 400, b"turtle"),
        (b'{"@id": ', "application/ld+json", 400, b"JSON"),
        (b"\x00\x01\x02\xff binary", "text/turtle", 400, b"binary"),
        (b"", "text/turtle", 400, b"empty"),
        (b"hello", "image/png", 415, b"unsupported"),
        (b"---\ntitle: [x\n---\nbody\n", "text/markdown", 400, b"YAML"),
    ],
)
def test_bad_input(client, body: bytes, media: str, status: int, words: bytes) -> None:
    got, _, text = post(client, "/validate", body, media)
    assert got == status and words.lower() in text.lower(), text
    assert b"Traceback" not in text


def test_oversized_body(client) -> None:
    status, _, body = post(client, "/validate", b"#" * (10 * 1024 * 1024), "text/turtle")
    assert status == 413


def test_hostile_documents_fetch_nothing(client) -> None:
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}/"
        remote = json.dumps({"@context": url + "ctx.jsonld", "@id": "https://x/c", "name": "x"}).encode()
        status, _, body = post(client, "/validate", remote, "application/ld+json")
        assert status == 400 and b"remote JSON-LD @context" in body
        scoped = json.dumps({"@context": [{"@import": url + "c"}], "@id": "https://x/c"}).encode()
        assert post(client, "/validate", scoped, "application/ld+json")[0] == 400
        entity = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{url}e">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>'
        status, _, body = post(client, "/validate", entity.encode(), "application/rdf+xml")
        assert status == 400 and b"DOCTYPE" in body
        imports = f"<https://x/o> <http://www.w3.org/2002/07/owl#imports> <{url}onto.ttl> .".encode()
        assert post(client, "/validate", imports, "application/n-triples")[0] == 200
        nested = b'{"a":' * 5000 + b"1" + b"}" * 5000
        status, _, body = post(client, "/validate", nested, "application/ld+json")
        assert status == 400 and b"nested" in body
        import time

        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def test_publishing_needs_the_token(client) -> None:
    assert post(client, "/courses", course("text/markdown"), "text/markdown")[0] == 401
    assert post(client, "/courses", course("text/markdown"), "text/markdown", {"Authorization": "Bearer nope"})[0] == 401


def test_publish_accepts_rejects_and_replaces(client, project: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, before = client.request("GET", "/sparql?query=" + quote(count))
    status, _, body = post(client, "/courses", course("text/markdown", title="Rejected Course", credits="-2"), "text/markdown", AUTH)
    assert status == 422 and json.loads(body)["conforms"] is False
    assert client.request("GET", "/sparql?query=" + quote(count))[2] == before
    assert not (project / "data" / "published" / "rejected-course.ttl").exists()

    status, headers, body = post(client, "/courses", course("text/markdown", title="Published Course"), "text/markdown", AUTH)
    assert status == 201, body
    iri = "https://data.currigraph.org/course/published-course"
    assert headers["location"] == iri and json.loads(body)["course"] == iri
    assert ask(client, f"ASK {{ <{iri}> a <http://schema.org/Course> ; <https://data.currigraph.org/ontology#credits> ?c FILTER(?c = 5) }}")
    assert ask(client, f"ASK {{ <https://data.currigraph.org/programme/xaim> <http://schema.org/hasCourse> <{iri}> }}")
    # submitting again replaces: the credits change, nothing is duplicated
    status, _, _ = post(client, "/courses", course("text/turtle", title="Published Course", credits="7"), "text/turtle", AUTH)
    assert status == 201
    rows = json.loads(client.request("GET", "/sparql?query=" + quote(f"SELECT ?c WHERE {{ <{iri}> <https://data.currigraph.org/ontology#credits> ?c }}"))[2])
    assert [b["c"]["value"] for b in rows["results"]["bindings"]] == ["7"]
    # what the first version's inferences said, the second version's say again (they are not taken as known context)
    assert ask(client, f"ASK {{ <{iri}> a <http://schema.org/Course> ; <https://data.currigraph.org/ontology#credits> ?c FILTER(?c = 7) }}")
    assert ask(client, f"ASK {{ <https://data.currigraph.org/programme/xaim> <http://schema.org/hasCourse> <{iri}> }}")


def test_publications_cannot_touch_other_data(client) -> None:
    hijack = (course("text/turtle", title="Sneaky") +
              b'<https://data.currigraph.org/programme/xaim> <http://schema.org/name> "Hacked" .\n')
    status, _, body = post(client, "/courses", hijack, "text/turtle", AUTH)
    assert status == 422 and b"not part of this course" in body
    ontology = course("text/turtle", title="Sneaky2") + b"<https://data.currigraph.org/ontology#Course> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .\n"
    assert post(client, "/courses", ontology, "text/turtle", AUTH)[0] == 422
    assert not ask(client, 'ASK { ?p <http://schema.org/name> "Hacked" }')


def test_concurrent_publications_all_land(built_copy: Callable[[Path], Path], tmp_path: Path) -> None:
    project = built_copy(tmp_path / "p")
    server = start(project, env={"CURRIGRAPH_TOKEN": TOKEN})

    def submit(n: int) -> int:
        return post(server, "/courses", course("text/markdown", title=f"Concurrent Course {n}"), "text/markdown", AUTH)[0]

    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(submit, range(50)))
        assert statuses == [201] * 50
        query = 'SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://data.currigraph.org/ontology#Course> ; <http://schema.org/name> ?name FILTER(STRSTARTS(?name, "Concurrent Course")) }'
        assert json.loads(server.request("GET", "/sparql?query=" + quote(query))[2])["results"]["bindings"][0]["n"]["value"] == "50"
    finally:
        stop(server)
    files = list((project / "data" / "published").glob("concurrent-course-*.ttl"))
    assert len(files) == 50
    from rdflib import Graph

    for path in files:  # no torn files
        assert len(Graph().parse(path, format="turtle")) > 5


def test_publications_survive_sigkill_and_restart(built_copy: Callable[[Path], Path], tmp_path: Path) -> None:
    project = built_copy(tmp_path / "p")
    live = start(project, env={"CURRIGRAPH_TOKEN": TOKEN})
    accepted: list[str] = []
    lock = threading.Lock()

    def submit(n: int) -> None:
        try:
            status, _, body = post(live, "/courses", course("text/markdown", title=f"Killed Course {n}"), "text/markdown", AUTH)
        except OSError:
            return
        if status == 201:
            with lock:
                accepted.append(json.loads(body)["course"])

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    import time

    # Killed once the first publications are in, while the others are still on their way (not after a fixed
    # time: on a busy machine no publication may have finished by then).
    deadline = time.monotonic() + 60
    while len(accepted) < 3 and time.monotonic() < deadline and any(t.is_alive() for t in threads):
        time.sleep(0.02)
    stop(live, signal.SIGKILL)
    for thread in threads:
        thread.join()
    assert accepted, "no submission was accepted before the kill"
    live = start(project, env={"CURRIGRAPH_TOKEN": TOKEN})
    try:
        for iri in accepted:
            assert ask(live, f"ASK {{ <{iri}> a <http://schema.org/Course> }}"), iri
    finally:
        stop(live)


def test_the_web_form(client) -> None:
    status, _, page = client.request("GET", "/validate")
    assert status == 200 and b"<form" in page and b'name="data"' in page
    boundary = "XBOUNDARYX"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\ntext/markdown\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n").encode() + course("text/markdown", credits="-4") + \
        f"\r\n--{boundary}--\r\n".encode()
    status, _, html = client.request("POST", "/validate?format=html", form, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200 and b"does not conform" in html and b"0 or more" in html


