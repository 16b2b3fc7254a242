"""HTTP clients for a remote store: SPARQL queries and updates (through SPARQLWrapper) and the Graph Store Protocol."""

import ast
import base64
import http.client
import socket
import time
import urllib.error
import warnings
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote, urlsplit, urlunsplit

from SPARQLWrapper import POST, SELECT, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from currigraph.errors import InputError

CHUNK = 64 * 1024
TOO_LONG = "query stopped: it ran longer than the time limit. Narrow it down (LIMIT, more specific patterns)."
# SPARQLWrapper turns these statuses into its own exceptions; the status is recovered from the class.
_WRAPPER_STATUS = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414, "EndPointInternalError": 500}


class StoreError(Exception):
    """The store could not answer; status is what the endpoint passes on (400 refused, 502 bad answer, 503 unreachable)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class StoreURL:
    """A store URL without credentials, and the Authorization header that goes with it (Bearer token or user:password)."""

    url: str
    authorization: str | None

    @classmethod
    def parse(cls, url: str, token: str | None = None, what: str = "store URL") -> "StoreURL":
        """Check that url is an absolute http(s) URL; credentials in it (user:password@) become Basic authentication."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"the {what} must be an absolute http:// or https:// URL, got {url!r}", what)
        authorization = f"Bearer {token}" if token else None
        if parts.username is not None:
            pair = f"{parts.username}:{parts.password or ''}".encode()
            authorization = "Basic " + base64.b64encode(pair).decode("ascii")
            netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
            parts = parts._replace(netloc=netloc)
        return cls(urlunsplit(parts), authorization)


def _reason(err: BaseException) -> str:
    """A short reason for a failed connection ('connection refused', 'timed out')."""
    inner = getattr(err, "reason", err)
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if isinstance(inner, socket.timeout | TimeoutError):
        return "no answer in time"
    if isinstance(inner, socket.gaierror):
        return "unknown host"
    return str(inner) or type(inner).__name__


def _first_line(body: bytes, limit: int = 300) -> str:
    text = body.decode("utf-8", "replace").strip()
    return (text.splitlines() or [""])[0][:limit]


class SparqlClient:
    """Queries and updates sent to a store's SPARQL 1.1 Protocol endpoints."""

    def __init__(self, query_url: StoreURL, update_url: StoreURL | None = None) -> None:
        self.query_url = query_url
        self.update_url = update_url

    def _wrapper(self, target: StoreURL, text: str, timeout: float) -> SPARQLWrapper:
        client = SPARQLWrapper(target.url)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)  # the store negotiates by Accept; no format= parameters it may not know
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SPARQLWrapper's own guess of the query form is not used (see query_type)
            client.setQuery(text)
        client.timeout = max(0.1, timeout)  # setTimeout() would truncate to whole seconds, and 0 means none
        if target.authorization:
            client.addCustomHttpHeader("Authorization", target.authorization)
        return client

    def query(self, text: str, accept: str, timeout: float, default_graphs: tuple[str, ...] = (),
              named_graphs: tuple[str, ...] = (), max_bytes: int = 256 * 1024 * 1024) -> tuple[str, bytes]:
        """Send a query; (content type, complete body) of the store's answer, read within timeout seconds."""
        deadline = time.monotonic() + timeout
        client = self._wrapper(self.query_url, text, timeout)
        client.queryType = SELECT  # any query form: it only tells SPARQLWrapper to use the query endpoint
        client.addCustomHttpHeader("Accept", accept)
        for graph in default_graphs:
            client.addParameter("default-graph-uri", graph)
        for graph in named_graphs:
            client.addParameter("named-graph-uri", graph)
        response = self._send(client, self.query_url, "query")
        try:
            content_type = response.headers.get("Content-Type", "")
            return content_type, _read_until(response, deadline, max_bytes, self.query_url.url)
        finally:
            response.close()

    def update(self, text: str, timeout: float) -> None:
        """Send an update; returns once the store has answered 2xx."""
        if self.update_url is None:
            raise StoreError(403, "this server has no update URL for its store (start it with --store-update)")
        client = self._wrapper(self.update_url, text, timeout)
        client.queryType = "INSERT"  # any update: it tells SPARQLWrapper to send update=... to the update endpoint
        client.endpoint = client.updateEndpoint = self.update_url.url
        self._send(client, self.update_url, "update").close()

    def _send(self, client: SPARQLWrapper, target: StoreURL, what: str):  # noqa: ANN202 - urllib's response type
        try:
            return client.query().response
        except SPARQLWrapperException as err:
            status = _WRAPPER_STATUS.get(type(err).__name__, 500)
            raise _refusal(status, target.url, what, _wrapped_body(err)) from None
        except urllib.error.HTTPError as err:
            raise _refusal(err.code, target.url, what, _first_line(err.read() or b"")) from None
        except (urllib.error.URLError, OSError) as err:
            raise StoreError(503, f"the store at {target.url} is unreachable ({_reason(err)}); try again later") from None


def _wrapped_body(err: SPARQLWrapperException) -> str:
    """The store's own message, which SPARQLWrapper keeps only as the repr of the body inside its exception text."""
    text = str(err)
    marker = "Response:\n"
    if marker in text:
        try:
            body = ast.literal_eval(text.split(marker, 1)[1].strip())
            if isinstance(body, bytes):
                return _first_line(body)
        except (ValueError, SyntaxError):
            pass
    return err.msg


def _refusal(status: int, url: str, what: str, detail: str) -> StoreError:
    """The endpoint's answer to a store's HTTP error: a bad query stays the client's fault, the rest is the store's."""
    if status == 400:
        return StoreError(400, f"the store rejected the {what}: {detail}")
    return StoreError(502, f"the store at {url} answered the {what} with HTTP {status}: {detail}")


def _read_until(response: http.client.HTTPResponse, deadline: float, max_bytes: int, url: str) -> bytes:
    """The whole body, or StoreError(503) once the deadline or the size limit has passed (the connection is then dropped)."""
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            if size > max_bytes:
                raise StoreError(503, f"query stopped: its result is over {max_bytes} bytes. Narrow it down (LIMIT, fewer variables).")
            if time.monotonic() > deadline:
                raise StoreError(503, TOO_LONG)
            chunk = response.read(CHUNK)
            if not chunk:
                return b"".join(parts)
            parts.append(chunk)
            size += len(chunk)
    except (OSError, http.client.HTTPException) as err:
        if isinstance(err, socket.timeout | TimeoutError):
            raise StoreError(503, TOO_LONG) from None
        raise StoreError(502, f"the answer of the store at {url} broke off ({_reason(err)})") from None


_GSP_HINTS = {
    400: " (is this the store's Graph Store Protocol URL?)",
    401: " (is the token right? --token or CURRIGRAPH_STORE_TOKEN)",
    403: " (is the token right, and is the store writable?)",
    404: " (is this the store's Graph Store Protocol URL?)",
    405: " (is this the store's Graph Store Protocol URL, and is it writable?)",
    413: " (the store's request size limit is too small for this graph)",
}


class GraphStoreClient:
    """The SPARQL 1.1 Graph Store HTTP Protocol: PUT, GET and DELETE whole graphs, on one kept-alive connection."""

    def __init__(self, target: StoreURL, timeout: float = 300) -> None:
        self.target = target
        self.timeout = timeout
        parts = urlsplit(target.url)
        self._scheme, self._host, self._port = parts.scheme, parts.hostname or "", parts.port
        self._path = parts.path or "/"
        self._query = parts.query
        self._conn: http.client.HTTPConnection | None = None

    def _url(self, graph: str | None) -> str:
        selector = "default" if graph is None else "graph=" + quote(graph, safe="")
        return self._path + "?" + (self._query + "&" if self._query else "") + selector

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            kind = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
            self._conn = kind(self._host, self._port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _request(self, method: str, graph: str | None, body: bytes | BinaryIO | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.target.authorization:
            headers["Authorization"] = self.target.authorization
        for attempt in (1, 2):  # a kept-alive connection the store has closed meanwhile is opened again, once
            conn = self._connection()
            try:
                if hasattr(body, "seek"):
                    body.seek(0)  # type: ignore[union-attr]
                conn.request(method, self._url(graph), body=body, headers=headers)
                response = conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as err:
                self.close()
                if attempt == 2:
                    raise StoreError(503, f"the store at {self.target.url} closed the connection ({_reason(err)})") from None
            except (OSError, http.client.HTTPException) as err:
                self.close()
                raise StoreError(503, f"cannot reach the store at {self.target.url} ({_reason(err)})") from None
        raise AssertionError("unreachable")

    def put(self, graph: str | None, body: bytes | BinaryIO, length: int) -> None:
        """Replace one graph (None: the default graph) with N-Triples."""
        status, answer = self._request("PUT", graph, body, {"Content-Type": "application/n-triples", "Content-Length": str(length)})
        if status >= 300:
            raise self._refused("PUT", graph, status, answer)

    def get(self, graph: str) -> bytes | None:
        """A graph as N-Triples, or None when the store has no such graph."""
        status, answer = self._request("GET", graph, headers={"Accept": "application/n-triples"})
        if status == 404:
            return None
        if status >= 300:
            raise self._refused("GET", graph, status, answer)
        return answer

    def delete(self, graph: str) -> None:
        """Remove a graph (a graph that is already gone is fine)."""
        status, answer = self._request("DELETE", graph)
        if status >= 300 and status != 404:
            raise self._refused("DELETE", graph, status, answer)

    def _refused(self, method: str, graph: str | None, status: int, answer: bytes) -> StoreError:
        which = "the default graph" if graph is None else f"graph <{graph}>"
        hint = _GSP_HINTS.get(status, "")
        detail = _first_line(answer)
        return StoreError(502, f"the store at {self.target.url} refused {method} of {which} with HTTP {status}{hint}: {detail}")
