"""Serving the app through waitress, a production WSGI server (never Flask's development server).

waitress reads requests on its own thread and hands only complete ones to the app's threads, so a slow client
costs a connection, not a thread. Two limits keep slow clients from holding every connection: a request must
arrive whole within REQUEST_TIMEOUT seconds of its first byte (the connection is closed otherwise: a
"slowloris" client dribbling headers cannot keep it), and an idle keep-alive connection is closed after
CHANNEL_TIMEOUT seconds; there are CONNECTION_LIMIT connections in all. The socket is bound before anything says
"serving", so a port in use is an error with a message, not a server that announced itself and died.
"""

import ipaddress
import socket
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

REQUEST_TIMEOUT = 20.0  # seconds from a request's first byte to its last
CHANNEL_TIMEOUT = 30  # seconds an idle keep-alive connection is kept
CONNECTION_LIMIT = 1000
CLEANUP_INTERVAL = 2  # how often the limits are checked (seconds)


def is_loopback(host: str) -> bool:
    """True when host names only this machine (127.0.0.0/8, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except (socket.gaierror, ValueError):
            return False


class _Channel(HTTPChannel):
    """waitress's connection, remembering when the request it is reading began."""

    request_began: float | None = None

    def received(self, data: bytes) -> bool:
        """Read request bytes; note when a request starts and forget it once the request is whole."""
        if data and self.request is None and self.request_began is None:
            self.request_began = time.monotonic()
        result = super().received(data)
        if self.request is None:  # every request read so far is complete
            self.request_began = None
        elif self.request_began is None:
            self.request_began = time.monotonic()
        return result


class _Server(TcpWSGIServer):
    """waitress's TCP server, closing connections whose request takes longer than REQUEST_TIMEOUT to arrive."""

    channel_class = _Channel
    request_timeout = REQUEST_TIMEOUT

    def maintenance(self, now: float) -> None:
        """Close idle connections (waitress) and connections still reading a request after the time limit."""
        super().maintenance(now)
        cutoff = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):
            began = getattr(channel, "request_began", None)
            if began is not None and began < cutoff:
                channel.will_close = True


def bind(app: Flask, host: str, port: int, threads: int = 8, max_body: int = 1024 * 1024,
         request_timeout: float = REQUEST_TIMEOUT) -> Any:
    """A waitress server bound to host:port (OSError when it cannot bind), not yet running."""
    adjustments = Adjustments(host=host, port=port, threads=threads, ident="currigraph", clear_untrusted_proxy_headers=True,
                              connection_limit=CONNECTION_LIMIT, channel_timeout=CHANNEL_TIMEOUT, cleanup_interval=CLEANUP_INTERVAL,
                              # waitress's own cap sits well above the app's, so that the app answers 413 with its message;
                              # past it waitress closes the connection itself
                              max_request_body_size=max(64 * 1024 * 1024, 4 * max_body))
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adjustments.threads)
    shared: dict = {}
    servers = []
    for sockinfo in adjustments.listen:
        server = _Server(app, shared, True, None, dispatcher=dispatcher, adj=adjustments, sockinfo=sockinfo)
        server.request_timeout = request_timeout
        servers.append(server)
    if len(servers) == 1:
        return servers[0]
    return MultiSocketServer(shared, adjustments, [(s.effective_host, s.effective_port) for s in servers], dispatcher)


def serve(app: Flask, host: str, port: int, announce: Callable[[str], None], threads: int = 8,
          request_timeout: float = REQUEST_TIMEOUT) -> None:
    """Bind, say where the app is served (only once the socket listens), and serve until interrupted."""
    server = bind(app, host, port, threads, int(app.config.get("MAX_BODY_BYTES", 1024 * 1024)), request_timeout)
    listening = getattr(server, "effective_port", port)
    announce(f"http://{host if ':' not in host else f'[{host}]'}:{listening}/")
    try:
        server.run()
    finally:
        server.close()
