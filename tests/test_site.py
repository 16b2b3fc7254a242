"""The site as crawlers and operators meet it: robots.txt, the sitemap, HEAD, no broken link, the access log."""

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse
from xml.etree import ElementTree as ET

import pytest

from tests.live import Server, copy_project, free_port, stop

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# host ident user [time] "request line" status bytes: the Common Log Format
CLF = re.compile(r'(?P<host>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] '
                 r'"(?P<request>[^"]*)" (?P<status>\d{3}) (?P<bytes>\d+|-)')


def _serve(root: Path, log: Path, *args: str) -> Server:
    """`currigraph serve` as an operator runs it, its stderr (the access log) going to a file."""
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "currigraph", "--project", str(root), "serve", "--port", str(port), *args],
                                   stdout=sink, stderr=sink, start_new_session=True, env=dict(os.environ))
    server = Server(root, port, process)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if server.request("GET", "/sparql?query=ASK%7B%7D", timeout=5)[0] == 200:
                return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise AssertionError("serve did not come up")


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = copy_project(tmp_path_factory.mktemp("site"))
    log = root / "serve.log"
    server = _serve(root, log)
    try:
        yield server, log
    finally:
        stop(server)


@pytest.fixture(scope="module")
def server(logged: tuple[Server, Path]) -> Server:
    return logged[0]


def test_robots_txt(server: Server) -> None:
    status, headers, body = server.request("GET", "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    fields = [line.split(":", 1) for line in body.decode().splitlines() if ":" in line]
    disallowed = {value.strip() for name, value in fields if name == "Disallow"}
    assert {"/sparql", "/export", "/search"} <= disallowed
    for page in ("/programme/xaim", "/course/xaim/trustworthy-ai", "/dataset", "/graph/ontology", "/assets/vega.min.js", "/static/site.css"):
        assert not any(page.startswith(rule) for rule in disallowed), page  # pages, and what renders them, stay open
    assert [value.strip() for name, value in fields if name == "Sitemap"] == [server.url + "/sitemap.xml"]


def sitemap_urls(server: Server) -> list[str]:
    status, headers, body = server.request("GET", "/sitemap.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    root = ET.fromstring(body)
    assert root.tag == SITEMAP + "urlset"
    return [loc.text or "" for loc in root.iter(SITEMAP + "loc")]


def test_sitemap_lists_every_page_and_each_answers(server: Server) -> None:
    urls = sitemap_urls(server)
    assert len(urls) == len(set(urls)) > 100
    paths = {urlparse(u).path for u in urls}
    assert {"/", "/ontology", "/compare", "/dataset", "/programme/xaim", "/course/xaim/trustworthy-ai", "/graph/ontology",
            "/graph/inferred", "/pillar/ai", "/source/002-fb1c08826e7fe348"} <= paths
    assert all(u.startswith(server.url + "/") for u in urls)
    for url in urls:
        status, headers, _ = server.request("GET", url[len(server.url):], headers={"Accept": "text/html"})
        assert status == 200 and headers["content-type"].startswith("text/html"), url


def test_sitemap_is_paginated_when_large(server: Server) -> None:
    """With a page size of 40, /sitemap.xml is an index of numbered pages that together list the same URLs."""
    from currigraph.web import close_app, create_app

    root = server.root
    app = create_app({"BUILD_DIR": str(root / "build"), "QUERIES_DIR": str(root / "queries"), "PROJECT_ROOT": str(root),
                      "SITEMAP_PAGE_SIZE": 40, "PUBLIC_URL": server.url + "/"})
    try:
        client = app.test_client()
        index = ET.fromstring(client.get("/sitemap.xml").data)
        assert index.tag == SITEMAP + "sitemapindex"
        pages = [loc.text or "" for loc in index.iter(SITEMAP + "loc")]
        urls: list[str] = []
        for page in pages:
            answer = client.get(page[len(server.url):])
            assert answer.status_code == 200
            found = [loc.text or "" for loc in ET.fromstring(answer.data).iter(SITEMAP + "loc")]
            assert 0 < len(found) <= 40
            urls += found
        assert urls == sitemap_urls(server) and len(pages) == -(-len(urls) // 40)
        assert client.get(f"/sitemap.xml?page={len(pages) + 1}").status_code == 404
    finally:
        close_app(app)


HEAD_PATHS = ["/", "/programme/xaim", "/programme/xaim.ttl", "/course/xaim/trustworthy-ai.schema.jsonld", "/dataset", "/graph/ontology",
              "/ontology", "/search?q=ai", "/compare", "/validate", "/api/queries", "/api/queries?format=html",
              "/api/queries/programme-courses-by-semester?format=csv", "/api/openapi.json", "/sparql?query=ASK%7B%7D",
              "/sparql?query=CONSTRUCT%7B%3Fs%20%3Fp%20%3Fo%7DWHERE%7B%3Fs%20%3Fp%20%3Fo%7DLIMIT%203", "/sparql", "/.well-known/void",
              "/export?format=turtle&graphs=inferred", "/context.jsonld", "/robots.txt", "/sitemap.xml", "/assets/vega.min.js",
              "/static/site.css", "/health", "/programme/does-not-exist"]


@pytest.mark.parametrize("path", HEAD_PATHS)
def test_head_answers_as_get_without_a_body(server: Server, path: str) -> None:
    accept = {"Accept": "text/turtle"} if path == "/sparql" else {}
    get_status, get_headers, get_body = server.request("GET", path, headers=accept)
    head_status, head_headers, head_body = server.request("HEAD", path, headers=accept)
    assert head_status == get_status and head_body == b"", (path, head_status, get_status)
    assert head_headers.get("content-type") == get_headers.get("content-type"), path
    if get_status == 200 and "content-length" in head_headers:
        assert int(head_headers["content-length"]) == len(get_body), path


class Links(HTMLParser):
    """Every link, script and stylesheet of a page, and the ids it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        target = values.get("href") if tag in ("a", "link") else values.get("src") if tag in ("script", "img") else None
        if target:
            self.links.append(target)


PAGE_KINDS = {"/", "/programme/", "/course/", "/organisation/", "/pillar/", "/person/", "/track/", "/source/", "/graph/",
              "/dataset", "/ontology", "/compare", "/search", "/validate", "/api/queries", "/programme/xaim/requirement/", "/scheme/"}


def test_crawl_from_home_reaches_every_page_kind_without_a_broken_link(server: Server) -> None:
    seen: dict[str, set[str]] = {}  # page -> ids it defines
    fragments: list[tuple[str, str, str]] = []  # (page, target, fragment)
    broken: list[tuple[str, str, int]] = []
    queue = [("/", "/"), ("/", "/search?q=ai")]  # the home page, and what its search form asks for
    while queue:
        source, path = queue.pop(0)
        if path in seen:
            continue
        method = "HEAD" if path.startswith(("/export", "/sparql?")) else "GET"  # whole exports and queries: is the link alive
        status, headers, body = server.request(method, path)
        seen[path] = set()
        if status != 200:
            broken.append((source, path, status))
            continue
        if not headers.get("content-type", "").startswith("text/html"):
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        seen[path] = parser.ids
        for link in parser.links:
            target, fragment = urldefrag(urljoin(path, link))
            parsed = urlparse(target)
            if parsed.scheme and parsed.netloc != urlparse(server.url).netloc:
                continue  # nothing links outside but to the vocabularies' own IRIs, shown as text
            local = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if fragment:
                fragments.append((path, local, fragment))
            queue.append((path, local))
    assert broken == [], broken[:10]
    assert len(seen) > 150
    visited = {urlparse(p).path for p in seen}
    missing = {kind for kind in PAGE_KINDS if not any(p == kind or (kind.endswith("/") and p.startswith(kind)) for p in visited)}
    assert missing == set()
    dangling = [(page, target, f) for page, target, f in fragments if seen.get(target) is not None and f not in seen[target]
                and target not in ("/",)]  # YASGUI's tabs are made in the browser
    assert dangling == [], dangling[:10]


def test_access_log_in_common_log_format(logged: tuple[Server, Path]) -> None:
    server, log = logged
    _, _, body = server.request("GET", "/programme/xaim")
    server.request("HEAD", "/dataset")
    server.request("GET", '/search?q="quoted"')
    server.request("GET", "/nothing/here")
    time.sleep(0.3)
    lines = [m.groupdict() for m in map(CLF.fullmatch, log.read_text("utf-8", "replace").splitlines()) if m]
    assert lines, log.read_text()
    page = [e for e in lines if e["request"] == "GET /programme/xaim HTTP/1.1"]
    assert page and page[-1]["status"] == "200" and page[-1]["bytes"] == str(len(body)) and page[-1]["host"] == "127.0.0.1"
    assert page[-1]["ident"] == "-" and page[-1]["user"] == "-"
    head = [e for e in lines if e["request"] == "HEAD /dataset HTTP/1.1"]
    assert head and head[-1]["status"] == "200" and head[-1]["bytes"] == "-"
    assert any(e["request"] == "GET /search?q=\\x22quoted\\x22 HTTP/1.1" for e in lines)  # a quote cannot end the field
    assert any(e["request"] == "GET /nothing/here HTTP/1.1" and e["status"] == "404" for e in lines)


def test_quiet_serve_logs_no_request(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    log = tmp_path / "quiet.log"
    server = _serve(root, log, "--quiet")
    try:
        server.request("GET", "/programme/xaim")
        time.sleep(0.3)
    finally:
        stop(server)
    assert not [line for line in log.read_text("utf-8", "replace").splitlines() if CLF.fullmatch(line)]
