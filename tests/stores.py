"""A real remote store for tests: `oxigraph serve` (PyPI package oxigraph) on 127.0.0.1, and currigraph served from it."""

import http.client
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from tests.live import Server, free_port, start, stop

OXIGRAPH = Path(sys.executable).with_name("oxigraph")


class Oxigraph:
    """`oxigraph serve` with an on-disk location, which can be stopped and started again on the same port."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location = location
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def gsp(self) -> str:
        """The Graph Store Protocol URL."""
        return self.url + "/store"

    @property
    def query_url(self) -> str:
        """The SPARQL query URL."""
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update URL."""
        return self.url + "/update"

    def start(self) -> "Oxigraph":
        """Start the server and wait until it answers."""
        self.process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.select("ASK {}") is not None:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not come up")

    def stop(self) -> None:
        """Stop the server."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None

    def select(self, query: str) -> bytes:
        """The store's own answer to a query, as CSV."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", "/query", body=urlencode({"query": query}),
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
            response = conn.getresponse()
            body = response.read()
            assert response.status == 200, body
            return body
        finally:
            conn.close()

    def count(self, query: str) -> int:
        """The single number a COUNT query answers."""
        return int(self.select(query).decode().splitlines()[1])

    def quads(self) -> int:
        """Every quad in the store: the named graphs and the default graph."""
        return self.count("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")


def cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `currigraph` command line on a project."""
    import os

    return subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


@contextmanager
def oxigraph(location: Path) -> Iterator[Oxigraph]:
    """A running oxigraph server for the duration of a with-block."""
    store = Oxigraph(location).start()
    try:
        yield store
    finally:
        store.stop()


def serve_remote(root: Path, store: Oxigraph, *args: str, env: dict[str, str] | None = None) -> Server:
    """`currigraph serve --store` (with its update URL) on a project whose build was published to the store."""
    return start(root, "--store", store.query_url, "--store-update", store.update_url, *args, env=env)


def publish(root: Path, store: Oxigraph, *args: str) -> subprocess.CompletedProcess[str]:
    """`currigraph publish --to` the store's Graph Store Protocol URL; fails the test when it does not succeed."""
    result = cli(root, "publish", "--to", store.gsp, *args)
    assert result.returncode == 0, result.stderr
    return result


BACKENDS = ["embedded", "remote"]


@contextmanager
def served(backend: str, root: Path, scratch: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`currigraph serve` on a project, from its embedded store or from an oxigraph server its build was published to."""
    if backend == "embedded":
        server = start(root, *args, env=env)
        try:
            yield server
        finally:
            stop(server)
        return
    with oxigraph(scratch / "store") as store:
        publish(root, store)
        server = serve_remote(root, store, *args, env=env)
        try:
            yield server
        finally:
            stop(server)


__all__ = ["BACKENDS", "served", "Oxigraph", "cli", "oxigraph", "publish", "serve_remote", "stop"]
