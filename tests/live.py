"""Real servers for tests: `currigraph serve` started as a subprocess on 127.0.0.1, waited for, and stopped."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from tests.helpers import ROOT


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_project(target: Path) -> Path:
    """A copy of the project's inputs, so a test server never writes into the repository's build/."""
    for name in ("ontology", "shapes", "queries"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name)
    shutil.copytree(ROOT / "data" / "sources", target / "data" / "sources")
    shutil.copytree(ROOT / "data" / "lexicon", target / "data" / "lexicon")
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules")  # front-end assets installed by `npm ci`
    return target


class Server:
    """A running `currigraph serve`; request() sends raw HTTP to it."""

    def __init__(self, root: Path, port: int, process: subprocess.Popen[bytes]) -> None:
        self.root, self.port, self.process = root, port, process
        self.log: BinaryIO | None = None  # where the server's output goes
        self.url = f"http://127.0.0.1:{port}"

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
        """One raw HTTP request: (status, headers with lower-case names, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = body.encode("utf-8") if isinstance(body, str) else body
            conn.request(method, path, body=data, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


def _wait_until_up(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            server.log.seek(0)
            out = server.log.read().decode("utf-8", "replace")
            raise RuntimeError(f"server exited with {server.process.returncode}: {out}")
        try:
            status, _, body = server.request("GET", "/health", timeout=2)
            if status == 200 and b'"workers"' in body:
                probe = server.request("GET", "/sparql?query=ASK%7B%7D", timeout=30)
                if probe[0] == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("server did not come up in time")


def start(root: Path, *args: str, env: dict[str, str] | None = None, port: int | None = None) -> Server:
    """Start `currigraph serve` for a project directory and wait until it answers queries."""
    port = port or free_port()
    environment = {**os.environ, **(env or {})}
    # The server's output goes to a file, never a pipe nobody reads: under load waitress warns about its queue, and
    # a full pipe would stall the server's threads. --quiet: no access log either.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "currigraph", "--project", str(root), "serve", "--quiet", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True,
    )
    server = Server(root, port, process)
    server.log = log
    try:
        _wait_until_up(server, time.monotonic() + 120)
    except BaseException:
        stop(server)
        raise
    return server


def stop(server: Server, sig: int = signal.SIGTERM) -> None:
    """Stop a server and every worker process it started."""
    try:
        os.killpg(server.process.pid, sig)
    except ProcessLookupError:
        return
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=15)


@contextmanager
def running(root: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A server for the duration of a with-block."""
    server = start(root, *args, env=env)
    try:
        yield server
    finally:
        stop(server)
