"""Answers tagged with the dataset's version: ETag, If-None-Match (304), and compression when the client accepts it.

Every GET answer derived from the graph carries a weak ETag made of the dataset's version (a build or a write moves it
on), currigraph's own version and the request (path, query string, Accept). A client that sends it back gets 304
before anything is computed. Compression (zstd, brotli, gzip, deflate) is Flask-Compress, for text and RDF media
types; weak ETags stay valid across encodings.
"""

import hashlib

from flask import Flask, Response, g, request
from flask_compress import Compress

from currigraph import __version__
from currigraph.formats import ALL, HTML, JSON
from currigraph.web.data import backend

# Paths whose answers do not come from the dataset (or must never be answered from a client's cache).
UNVERSIONED = ("/health", "/assets/", "/validate", "/courses", "/favicon.ico")
COMPRESSED_TYPES = sorted({f.media_type for f in (*ALL, HTML, JSON)} | {"text/plain", "text/css", "application/javascript",
                                                                         "text/javascript", "image/svg+xml", "application/xml"})


def _tag() -> str:
    """The ETag of this request's answer under the current version of the dataset."""
    key = "\0".join((backend().version(), __version__, request.full_path, request.headers.get("Accept", "")))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def install(app: Flask) -> None:
    """Tag answers with the dataset's version, answer 304 to a matching If-None-Match, and compress."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_STREAMS", True)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    Compress(app)

    @app.before_request
    def not_modified() -> Response | None:
        if request.method not in ("GET", "HEAD") or request.path.startswith(UNVERSIONED):
            return None
        try:
            g.etag = _tag()
        except Exception:  # a store that cannot say its version (down): no tag, the route answers with the reason
            return None
        if request.if_none_match.contains_weak(g.etag):
            response = Response(status=304)
            response.set_etag(g.etag, weak=True)
            return response
        return None

    @app.after_request
    def tag(response: Response) -> Response:
        etag = g.get("etag")
        if etag and response.status_code == 200 and "ETag" not in response.headers:
            response.set_etag(etag, weak=True)
            response.headers.setdefault("Cache-Control", "no-cache")  # keep it, but ask again: the answer is cheap to confirm
        return response
