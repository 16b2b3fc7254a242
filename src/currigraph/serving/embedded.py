"""The embedded store: the build's on-disk pyoxigraph store, queried by worker processes; writes pause them."""

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from currigraph.build.layout import OXIGRAPH_DIR
from currigraph.build.manifest import Manifest, read_manifest, write_manifest
from currigraph.build.state import forget_state
from currigraph.serving.backend import NamedGraphs
from currigraph.serving.engine import Answer, Job, OxigraphEngine
from currigraph.serving.workers import QUEUE_TIMEOUT, WorkerPool

T = TypeVar("T")


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

    def _writing(self, write: Callable[[ox.Store], T]) -> T:
        """Call write(store) with the store open read-write and every worker stopped; workers restart afterwards."""
        with self._write_lock:
            self.pool.pause()
            try:
                forget_state(self.build_dir)  # the store no longer is what the last build made: the next build is full
                store = ox.Store(str(self.pool.store_path))
                result = write(store)
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
                name = ox.NamedNode(entry.iri)
                if store.contains_named_graph(name):
                    store.remove_graph(name)
                store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
            store.flush()

        self._writing(write)
        self._manifest = self._manifest.replaced(entry for entry, _ in graphs)
        write_manifest(self.build_dir, self._manifest)

    def manifest(self) -> Manifest:
        """The manifest read at start, kept up to date by this process's writes."""
        return self._manifest

    def health(self) -> dict[str, Any]:
        """The store is local: it is healthy when the server is."""
        return {"backend": "embedded", "workers": self.pool.size}

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()
