"""Where the endpoint's data lives: the embedded on-disk store (with query worker processes), or a remote SPARQL store.

The web layer talks to either through the same few calls: run a job, run an update, replace named graphs
(publishing a course), and read the manifest (which graphs there are, of which kind, how many triples).
"""

import json
import threading
import time
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from currigraph.build.store_files import MANIFEST_FILE, OXIGRAPH_DIR, atomic_file, forget_state, read_manifest
from currigraph.remote.client import SparqlClient, StoreError, StoreURL
from currigraph.remote.engine import RemoteEngine
from currigraph.remote.manifest import API_ORIGIN
from currigraph.serving.engine import Answer, Job, OxigraphEngine
from currigraph.serving.workers import QUEUE_TIMEOUT, WorkerPool

NamedGraphs = list[tuple[dict[str, Any], list[ox.Triple]]]


class Backend(Protocol):
    """What the web layer needs from a store."""

    keeps_files: bool  # True when published courses are also written to data/published (the embedded store)

    def run(self, job: Job, timeout: float) -> Answer:
        """Answer a query (or an export) completely within timeout seconds."""
        ...

    def update(self, text: str, base_iri: str, timeout: float) -> Answer:
        """Run a SPARQL Update."""
        ...

    def replace_graphs(self, graphs: NamedGraphs, timeout: float) -> None:
        """Replace whole named graphs (and record them in the manifest); raise StoreError when that fails."""
        ...

    def manifest(self) -> dict[str, Any]:
        """The dataset's manifest: base, triples, graphs (iri, kind, triples, source)."""
        ...

    def health(self) -> dict[str, Any]:
        """Facts for /health; raise StoreError when the store cannot be used."""
        ...

    def close(self) -> None:
        """Stop what the backend started."""
        ...


class EmbeddedBackend:
    """The build's on-disk pyoxigraph store, queried by worker processes; writes pause them."""

    keeps_files = True

    def __init__(self, build_dir: Path, workers: int, queue_timeout: float = QUEUE_TIMEOUT) -> None:
        self.build_dir = build_dir
        self._manifest = read_manifest(build_dir)
        self.pool = WorkerPool(build_dir / OXIGRAPH_DIR, workers, queue_timeout)
        self._write_lock = threading.Lock()

    def run(self, job: Job, timeout: float) -> Answer:
        """Run the job in a worker process, stopped at the time limit."""
        return self.pool.run(job, timeout)

    def _writing(self, write: Any) -> Any:
        """Call write(store) with the store open read-write and every worker stopped; workers restart afterwards."""
        with self._write_lock:
            self.pool.pause()
            try:
                forget_state(self.build_dir)  # the store no longer is what the last build made: the next build is full
                store = ox.Store(str(self.pool.store_path))
                result = write(store)
                self._manifest["triples"] = len(store)
                del store
                return result
            finally:
                self.pool.resume()

    def update(self, text: str, base_iri: str, timeout: float) -> Answer:
        """Run the update on the store itself."""
        return self._writing(lambda store: OxigraphEngine(store).run(Job(text=text, kind="update", base_iri=base_iri)))

    def replace_graphs(self, graphs: NamedGraphs, timeout: float) -> None:
        """Replace the graphs in the store, then record them in build/manifest.json."""

        def write(store: ox.Store) -> None:
            for entry, triples in graphs:
                name = ox.NamedNode(entry["iri"])
                if store.contains_named_graph(name):
                    store.remove_graph(name)
                store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
            store.flush()

        self._writing(write)
        names = {entry["iri"] for entry, _ in graphs}
        self._manifest["graphs"] = [g for g in self._manifest["graphs"] if g["iri"] not in names] + [e for e, _ in graphs]
        with atomic_file(self.build_dir / MANIFEST_FILE) as handle:
            handle.write(json.dumps(self._manifest, indent=2).encode("utf-8"))

    def manifest(self) -> dict[str, Any]:
        """The manifest read at start, kept up to date by this process's writes."""
        return self._manifest

    def health(self) -> dict[str, Any]:
        """The store is local: it is healthy when the server is."""
        return {"backend": "embedded", "workers": self.pool.size}

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()


class RemoteBackend:
    """A remote store reached over the SPARQL protocol; the manifest is re-read from it now and then."""

    keeps_files = False
    MANIFEST_TTL = 10.0  # seconds: other servers sharing the store may have published meanwhile

    def __init__(self, query_url: StoreURL, update_url: StoreURL | None, base: str, max_result_bytes: int) -> None:
        self.query_url = query_url
        self.engine = RemoteEngine(SparqlClient(query_url, update_url), base, max_result_bytes)
        self.base = base
        self._cached: tuple[float, dict[str, Any], bool] | None = None
        self._lock = threading.Lock()

    def run(self, job: Job, timeout: float) -> Answer:
        """Send the job to the store."""
        return self.engine.run(job, timeout)

    def update(self, text: str, base_iri: str, timeout: float) -> Answer:
        """Send the update to the store's update URL."""
        return self.engine.run(Job(text=text, kind="update", base_iri=base_iri), timeout)

    def _state(self, fresh: bool = False) -> tuple[dict[str, Any], bool]:
        with self._lock:
            if fresh or self._cached is None or time.monotonic() - self._cached[0] > self.MANIFEST_TTL:
                found = self.engine.read_manifest(10.0)
                manifest, union = found or ({"base": self.base, "triples": 0, "graphs": [], "generator": None}, False)
                self._cached = (time.monotonic(), manifest, union)
            return self._cached[1], self._cached[2]

    def manifest(self) -> dict[str, Any]:
        """The manifest a publish left in the store (empty when nothing was published there)."""
        return self._state()[0]

    def replace_graphs(self, graphs: NamedGraphs, timeout: float) -> None:
        """One update replaces the graphs, their part of a union default graph, and their manifest entries."""
        manifest, union = self._state(fresh=True)
        entries = [({**entry, "origin": API_ORIGIN}, triples) for entry, triples in graphs]
        names = {entry["iri"] for entry, _ in entries}
        kept = [g for g in manifest["graphs"] if g["iri"] not in names]
        total = sum(g["triples"] for g in kept) + sum(e["triples"] for e, _ in entries)
        self.engine.replace_graphs(entries, union, total, timeout)
        with self._lock:
            self._cached = None

    def health(self) -> dict[str, Any]:
        """Healthy when the store answers a trivial query."""
        self.engine.ping(5.0)
        return {"backend": "remote", "store": self.query_url.url, "workers": 0}

    def close(self) -> None:
        """Nothing to stop: every request is its own HTTP exchange."""


def open_backend(config: dict[str, Any]) -> Backend:
    """The backend the configuration asks for: STORE_QUERY_URL for a remote store, else the build's embedded store."""
    if config.get("STORE_QUERY_URL"):
        token = config.get("STORE_TOKEN")
        update = config.get("STORE_UPDATE_URL")
        return RemoteBackend(StoreURL.parse(config["STORE_QUERY_URL"], token, "--store URL"),
                             StoreURL.parse(update, token, "--store-update URL") if update else None, config["BASE"],
                             int(config["MAX_RESULT_BYTES"]))
    return EmbeddedBackend(Path(config["BUILD_DIR"]), int(config["WORKERS"]), float(config.get("QUEUE_TIMEOUT", QUEUE_TIMEOUT)))


__all__ = ["Backend", "EmbeddedBackend", "RemoteBackend", "StoreError", "open_backend"]
