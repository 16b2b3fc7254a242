"""Who may write: one check for every route that changes data (SPARQL Update, publishing courses).

A route that writes is off unless the server is configured for it (403, saying how to turn it on). When the server
has a token (CURRIGRAPH_TOKEN), the request must carry `Authorization: Bearer <token>` (the scheme in any case,
RFC 7235): otherwise 401 with `WWW-Authenticate: Bearer`. Without a token (allowed only on loopback), a request
that a web page of another origin made (a cross-site form post) is refused, so that a page in the operator's
browser cannot write through the local server.
"""

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request

from currigraph.web.data import site_url
from currigraph.web.errors import HttpError


def _presented_token() -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def _cross_site() -> bool:
    """True when a browser says the request comes from a page of another origin."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        parts = urlsplit(origin)
        return f"{parts.scheme}://{parts.netloc}" not in (request.host_url.rstrip("/"), site_url().rstrip("/"))
    return origin == "null"


def check_writer(feature: str, enabled: bool, how_to_enable: str) -> None:
    """Raise HttpError unless this request may use a writing feature of the server."""
    if not enabled:
        raise HttpError(403, f"{feature} is off on this server ({how_to_enable})")
    token = current_app.config.get("TOKEN")
    if token:
        given = _presented_token()
        if given is None or not hmac.compare_digest(given.encode(), token.encode()):
            raise HttpError(401, f"{feature} needs 'Authorization: Bearer <token>' with the server's token",
                            {"WWW-Authenticate": 'Bearer realm="currigraph"'})
    elif _cross_site():
        raise HttpError(403, f"{feature} from a page of another origin is refused (the server has no token to check)")


Route = Callable[..., Any]


def writes(feature: str, enabled: Callable[[dict[str, Any]], bool], how_to_enable: str) -> Callable[[Route], Route]:
    """Decorate a route that changes data: it runs only for an authorised writer (see check_writer)."""

    def decorate(route: Route) -> Route:
        @wraps(route)
        def checked(*args: Any, **kwargs: Any) -> Any:
            check_writer(feature, enabled(current_app.config), how_to_enable)
            return route(*args, **kwargs)

        return checked

    return decorate
