"""Serving the app through waitress, a production WSGI server (never Flask's development server)."""

import ipaddress
import socket
from typing import Any

from waitress import serve as waitress_serve

from currigraph.web import create_app


def is_loopback(host: str) -> bool:
    """True when host names only this machine (127.0.0.0/8, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except (socket.gaierror, ValueError):
            return False


def serve(config: dict[str, Any], host: str, port: int, threads: int = 8, ready: Any = None) -> None:
    """Create the app and serve it until interrupted."""
    app = create_app(config)
    if ready is not None:
        ready(app)
    waitress_serve(app, host=host, port=port, threads=threads, ident="currigraph", clear_untrusted_proxy_headers=True,
                   # waitress's own cap sits well above the app's, so that the app answers 413 with its message;
                   # past it waitress closes the connection itself
                   max_request_body_size=max(64 * 1024 * 1024, 4 * int(config.get("MAX_BODY_BYTES", 1024 * 1024))))
