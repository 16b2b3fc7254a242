"""An access log in the Common Log Format (Apache's and nginx's default), one line per request once it is answered.

    127.0.0.1 - - [02/Dec/2025:10:13:55 +0000] "GET /programme/xaim HTTP/1.1" 200 10342

The client address is the one the app saw (behind `--proxy`, the one the proxy forwarded); user names are never
logged ("-"); the size is the body bytes sent ("-" for none, as for HEAD). The request line is written as the
client sent it, with quotes, backslashes, control and non-ASCII characters escaped (\\x22, \\x0a, ...) so that no
request can forge a line of its own. Every line is one write, so lines of concurrent requests never interleave.
"""

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any
from urllib.parse import quote

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def clf_time(now: float | None = None) -> str:
    """The time as the Common Log Format writes it: [02/Dec/2025:10:13:55 +0000] (UTC, English month names)."""
    t = time.gmtime(now)
    return f"[{t.tm_mday:02d}/{MONTHS[t.tm_mon - 1]}/{t.tm_year}:{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000]"


def escape(text: str) -> str:
    """Printable ASCII kept, except quote and backslash; everything else as \\xHH of its UTF-8 (or Latin-1) bytes."""
    # WSGI gives the request's bytes as Latin-1 characters (PEP 3333); anything else is written as UTF-8.
    data = text.encode("latin-1") if all(ord(c) < 256 for c in text) else text.encode("utf-8")
    return "".join(chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else f"\\x{b:02x}" for b in data)


def request_line(environ: dict[str, Any]) -> str:
    """The request line as the client sent it (waitress keeps the raw target in RAW_URI)."""
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not target:
        target = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/;=,%")
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
    return escape(f"{environ.get('REQUEST_METHOD', '-')} {target} {environ.get('SERVER_PROTOCOL', 'HTTP/1.0')}")


class _Counted:
    """The app's answer, passed through while its bytes are counted; logged when the server closes it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body, self.done, self.sent = body, done, 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        """Close the app's answer, then write the log line."""
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.sent)


class AccessLog:
    """WSGI middleware writing one Common Log Format line per request to a stream (stderr for `currigraph serve`)."""

    def __init__(self, app: WSGIApp, stream: IO[str]) -> None:
        self.app, self.stream = app, stream
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Answer the request through the app and log it once the answer is sent."""
        status = ["-"]
        began = time.time()

        def recording(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info) if exc_info else start_response(code, headers)

        def done(sent: int) -> None:
            line = (f"{escape(environ.get('REMOTE_ADDR') or '-')} - - {clf_time(began)} \"{request_line(environ)}\" "
                    f"{status[0]} {sent or '-'}\n")
            with self._lock:
                try:
                    self.stream.write(line)
                    self.stream.flush()
                except (OSError, ValueError):  # a closed or broken stderr must not fail the request
                    pass

        return _Counted(self.app(environ, recording), done)
