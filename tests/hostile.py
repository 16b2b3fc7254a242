"""Hostile requests and what the server must answer to each: shared by the hostile-input tests and the load benchmark.

Every request is sent by a client without a token to `currigraph serve` with its defaults. A case names the status
(or statuses) that are right and words the message must hold; none may be a 5xx, a traceback, or an open connection
to the listener a SERVICE, FROM or LOAD names (the tests run a loopback listener and count its connections).
"""

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

Target = Callable[[str], str]  # the listener's URL -> the request's text (SERVICE / FROM / LOAD point at it)


@dataclass(frozen=True)
class Case:
    """One hostile request and the answer it must get."""

    name: str
    method: str
    path: str | Target
    body: bytes | str | Target | None = None
    headers: dict[str, str] = field(default_factory=dict)
    statuses: tuple[int, ...] = (400,)
    words: tuple[bytes, ...] = ()

    def request(self, listener: str) -> tuple[str, str, bytes | None, dict[str, str]]:
        """(method, path, body, headers) for a server whose loopback listener is at `listener`."""
        path = self.path(listener) if callable(self.path) else self.path
        body = self.body(listener) if callable(self.body) else self.body
        return self.method, path, body.encode("utf-8") if isinstance(body, str) else body, self.headers


QUERY = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update"}


def _get(query: Target | str) -> Target:
    return lambda url: "/sparql?query=" + quote(query(url) if callable(query) else query)


def _query(text: Target | str) -> dict:
    """A query POSTed directly to /sparql."""
    return {"method": "POST", "path": "/sparql", "body": text, "headers": QUERY}


def nested(depth: int, opening: str, core: str, closing: str) -> str:
    """A text nested depth times."""
    return opening * depth + core + closing * depth


def _service(body: str) -> Target:
    return lambda url: body.replace("URL", url)


SSRF = [
    Case("escaped hash hides SERVICE", "GET", _get(_service(
        "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\# AS ?x) SERVICE <URL/x> { ?a ?b ?c } }")), words=(b"SERVICE",)),
    Case("escaped quote hides SERVICE", "GET", _get(_service(
        "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\' AS ?x) SERVICE <URL/x> { ?a ?b ?c } }")), words=(b"SERVICE",)),
    Case("long-string escape trick", **_query(_service(
        "SELECT * WHERE { BIND('\\u0027' AS ?x) SERVICE <URL/x> { ?a ?b ?c } BIND('\\u0027' AS ?y) }")),
         words=(b"SERVICE",)),
    Case("unicode-escaped keyword", "GET", _get(_service("SELECT * WHERE { \\u0053ERVICE <URL/x> { ?a ?b ?c } }"))),
    Case("SERVICE SILENT in mixed case", **_query(_service("SELECT * WHERE { sErViCe SILENT <URL/x> { ?a ?b ?c } }")),
         words=(b"SERVICE",)),
    Case("SERVICE to a variable", "GET", _get("SELECT * WHERE { VALUES ?u { <http://127.0.0.1:9/> } SERVICE ?u { ?a ?b ?c } }"),
         words=(b"SERVICE",)),
    Case("SERVICE after a comment line", "GET", _get(_service("SELECT * WHERE { # } \n SERVICE <URL/x> { ?a ?b ?c } }")),
         words=(b"SERVICE",)),
    Case("SERVICE inside a sub-select", "GET", _get(_service("SELECT * WHERE { { SELECT * WHERE { SERVICE <URL/x> { ?a ?b ?c } } } }")),
         words=(b"SERVICE",)),
    Case("FROM a URL names a graph, never fetches it", "GET", _get(_service("SELECT * FROM <URL/data.ttl> WHERE { ?s ?p ?o }")),
         statuses=(200,)),
    Case("FROM NAMED a URL", "GET", _get(_service("SELECT * FROM NAMED <URL/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }")),
         statuses=(200,)),
    Case("FROM a file", "GET", _get("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"), statuses=(200,)),
    Case("unknown extension function", "GET", _get("SELECT (<http://x/f>(1) AS ?x) {}"), words=(b"function",)),
]

TRAPS = [  # ordinary queries whose names look like keywords: answered, not refused
    Case("variable named from", "GET", _get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?from }"), statuses=(200,)),
    Case("variable named service", "GET", _get("SELECT ?service WHERE { ?service ?p ?o } LIMIT 1"), statuses=(200,)),
    Case("prefixed names from and service", "GET",
         _get("PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:from ?o . ?o ex:service ?x } LIMIT 1"), statuses=(200,)),
    Case("SERVICE in a string and a comment", "GET", _get('SELECT * WHERE { BIND("SERVICE <http://x/>" AS ?s) } # SERVICE <http://x/>'),
         statuses=(200,)),
]

DEPTH = [
    Case("5000 nested groups", **_query("SELECT * WHERE " + nested(5000, "{", "?s ?p ?o", "}")), words=(b"nested",)),
    Case("5000 nested parentheses", **_query("SELECT * WHERE { FILTER(" + nested(5000, "(", "1", ")") + ") }"), words=(b"nested",)),
    Case("5000 nested OPTIONAL", **_query("SELECT * WHERE " + nested(5000, "{ ?s ?p ?o OPTIONAL ", "{ }", "}"))),
    Case("5000 nested UNION", **_query("SELECT * WHERE " + nested(5000, "{ { ?s ?p ?o } UNION ", "{ }", "}"))),
    Case("5000 nested sub-selects", **_query("SELECT * WHERE " + nested(5000, "{ SELECT * WHERE ", "{ }", "}"))),
    Case("1000 nested FILTER EXISTS", **_query("SELECT * WHERE { ?s ?p ?o " + nested(1000, "FILTER EXISTS { ", "?s ?p ?o", " }") + " }"),
         words=(b"nested",)),
    Case("flat 50,000-way UNION", **_query("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 50000) + " }")),
    Case("flat 20,000 FILTERs", **_query("SELECT * WHERE { ?s ?p ?o " + " ".join(["FILTER(?o != 1)"] * 20000) + " }")),
    Case("100,000 nested groups, quickly refused", **_query("SELECT * WHERE " + nested(100000, "{", "", "}"))),
]

BAD_INPUT = [
    Case("undecodable query parameter", "GET", "/sparql?query=%FF", words=(b"UTF-8",)),
    Case("graph IRI with a space", "GET", "/sparql?query=" + quote("ASK {}") + "&default-graph-uri=a%20b"),
    Case("graph IRI with <", "GET", "/sparql?query=" + quote("ASK {}") + "&named-graph-uri=%3Cx"),
    Case("relative graph IRI", "GET", "/sparql?query=" + quote("ASK {}") + "&default-graph-uri=relative"),
    Case("programme with a space", "GET", "/programme/a%20b", statuses=(404,)),
    Case("programme with a tab", "GET", "/programme/xaim%09", statuses=(404,)),
    Case("schema.org of a bad IRI", "GET", "/programme/%3Cx%3E.schema.jsonld", statuses=(404,)),
    Case("compare a bad IRI", "GET", "/compare?programme=https://data.currigraph.org/a%20b", statuses=(200,)),
    Case("search outside the BMP", "GET", "/search?q=" + quote("\U0001f600 learning"), statuses=(200,)),
    Case("validate a surrogate", "POST", "/validate", '<http://a> <http://b> "\\uD800" .', {"Content-Type": "text/turtle"},
         words=(b"surrogate",)),
    Case("validate a 4,400-digit number", "POST", "/validate", '{"@id": "http://a", "http://b": ' + "9" * 4400 + "}",
         {"Content-Type": "application/ld+json"}),
    Case("validate an @id with >", "POST", "/validate", '{"@id": "http://a>b", "http://b": "x"}', {"Content-Type": "application/ld+json"},
         words=(b"IRI",)),
    Case("validate an XInclude", "POST", "/validate",
         '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
         'xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></rdf:RDF>',
         {"Content-Type": "application/rdf+xml"}),
    Case("validate an XML entity", "POST", "/validate",
         '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rdf:RDF '
         'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>', {"Content-Type": "application/rdf+xml"},
         words=(b"DOCTYPE",)),
    Case("validate a remote JSON-LD context", "POST", "/validate", _service('{"@context": "URL/ctx.jsonld", "@id": "http://a"}'),
         {"Content-Type": "application/ld+json"}, words=(b"context",)),
    Case("validate with a control character in the programme", "POST", "/validate?programme=https://x/%01", "<a> <b> <c> .",
         {"Content-Type": "text/turtle"}),
    Case("YAML alias bomb in front matter", "POST", "/validate",
         "---\ntitle: x\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\nbody\n",
         {"Content-Type": "text/markdown"}, words=(b"alias",)),
    Case("binary body", "POST", "/validate", b"\x00\x01\x02" * 100, {"Content-Type": "text/turtle"}),
    Case("empty query", **_query(""), words=(b"empty",)),
    Case("update by GET", "GET", "/sparql?update=" + quote("CLEAR ALL"), statuses=(405,)),
    Case("update while updates are off", "POST", "/sparql", "CLEAR ALL", UPDATE, statuses=(403,)),
    Case("unknown format", "GET", "/sparql?query=" + quote("ASK {}") + "&format=banana"),
    Case("format not offered for the form", "GET", "/sparql?query=" + quote("ASK {}") + "&format=turtle", statuses=(406,)),
]

ALL = SSRF + TRAPS + DEPTH + BAD_INPUT


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection it receives (none may come)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
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
        """Stop listening."""
        self.running = False
        self.thread.join()
        self.sock.close()
