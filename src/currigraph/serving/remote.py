"""A remote store reached over the SPARQL protocol, behind the same backend calls as the embedded one."""

import hashlib
import threading
import time
from dataclasses import replace
from typing import Any

from currigraph.build.manifest import Manifest
from currigraph.build.statistics import Statistics
from currigraph.remote.client import SparqlClient, StoreURL
from currigraph.remote.engine import RemoteEngine
from currigraph.remote.manifest import API_ORIGIN, manifest_iri
from currigraph.serving.backend import NamedGraphs
from currigraph.serving.engine import Answer, Job
from currigraph.serving.statistics import StatisticsKeeper


class RemoteBackend:
    """A remote store reached over the SPARQL protocol; the manifest is re-read from it now and then."""

    keeps_files = False
    MANIFEST_TTL = 10.0  # seconds: other servers sharing the store may have published meanwhile

    def __init__(self, query_url: StoreURL, update_url: StoreURL | None, base: str, max_result_bytes: int) -> None:
        self.query_url = query_url
        self.engine = RemoteEngine(SparqlClient(query_url, update_url), base, max_result_bytes)
        self.base = base
        self._cached: tuple[float, Manifest, bool] | None = None
        self._lock = threading.Lock()
        self._statistics = StatisticsKeeper(self.run, skip=(manifest_iri(base),))
        threading.Thread(target=self._first_count, daemon=True).start()

    def _first_count(self) -> None:
        try:
            self.statistics()
        except Exception:  # the store may be down at start; the count is tried again when asked for
            pass

    def run(self, job: Job, timeout: float) -> Answer:
        """Send the job to the store."""
        return self.engine.run(job, timeout)

    def update(self, text: str, base_iri: str, timeout: float) -> Answer:
        """Send the update to the store's update URL."""
        return self.engine.run(Job(text=text, kind="update", base_iri=base_iri), timeout)

    def _state(self, fresh: bool = False) -> tuple[Manifest, bool]:
        with self._lock:
            if fresh or self._cached is None or time.monotonic() - self._cached[0] > self.MANIFEST_TTL:
                found = self.engine.read_manifest(10.0)
                manifest, union = found or (Manifest(self.base), False)
                self._cached = (time.monotonic(), manifest, union)
            return self._cached[1], self._cached[2]

    def manifest(self) -> Manifest:
        """The manifest a publish left in the store (empty when nothing was published there)."""
        return self._state()[0]

    def version(self) -> str:
        """A digest of the manifest in the store (it changes with every publish and every write through a server)."""
        return hashlib.sha256(self.manifest().to_json()).hexdigest()[:16]

    def statistics(self, wait: float = 0.0) -> Statistics | None:
        """Counted over the store in the background for each version (the first count starts with the server)."""
        return self._statistics.wait(self.version(), wait)

    def replace_graphs(self, graphs: NamedGraphs, timeout: float) -> None:
        """One update replaces the graphs, their part of a union default graph, and their manifest entries."""
        manifest, union = self._state(fresh=True)
        entries = [(replace(entry, origin=API_ORIGIN), triples) for entry, triples in graphs]
        total = manifest.replaced(entry for entry, _ in entries).triples
        self.engine.replace_graphs(entries, union, total, timeout)
        with self._lock:
            self._cached = None

    def health(self) -> dict[str, Any]:
        """Healthy when the store answers a trivial query."""
        self.engine.ping(5.0)
        return {"backend": "remote", "store": self.query_url.url, "workers": 0}

    def close(self) -> None:
        """Nothing to stop: every request is its own HTTP exchange."""
