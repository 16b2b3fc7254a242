"""Where the endpoint's data lives: the embedded on-disk store (with query worker processes), or a remote SPARQL store.

The web layer talks to either through the same few calls: run a job, run an update, replace named graphs
(publishing a course), and read the manifest (which graphs there are, of which kind, how many triples).
"""

from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from currigraph.build.manifest import GraphEntry, Manifest
from currigraph.build.statistics import Statistics
from currigraph.serving.engine import Answer, Job

NamedGraphs = list[tuple[GraphEntry, list[ox.Triple]]]


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

    def manifest(self) -> Manifest:
        """The dataset's manifest: base, graphs (iri, kind, triples, source)."""
        ...

    def version(self) -> str:
        """The dataset's version: it changes with every build and every write (answers are tagged with it)."""
        ...

    def statistics(self, wait: float = 0.0) -> Statistics | None:
        """VoID statistics of the current version; None while they are being counted (in the background, waited for
        up to wait seconds)."""
        ...

    def health(self) -> dict[str, Any]:
        """Facts for /health; raise StoreError when the store cannot be used."""
        ...

    def close(self) -> None:
        """Stop what the backend started."""
        ...


def open_backend(config: dict[str, Any]) -> Backend:
    """The backend the configuration asks for: STORE_QUERY_URL for a remote store, else the build's embedded store."""
    if config.get("STORE_QUERY_URL"):
        from currigraph.remote.client import StoreURL
        from currigraph.serving.remote import RemoteBackend

        token = config.get("STORE_TOKEN")
        update = config.get("STORE_UPDATE_URL")
        return RemoteBackend(StoreURL.parse(config["STORE_QUERY_URL"], token, "--store URL"),
                             StoreURL.parse(update, token, "--store-update URL") if update else None, config["BASE"],
                             int(config["MAX_ANSWER_BYTES"]))
    from currigraph.serving.embedded import EmbeddedBackend
    from currigraph.serving.workers import QUEUE_TIMEOUT, WorkerSettings

    settings = WorkerSettings(max_answer_bytes=int(config["MAX_ANSWER_BYTES"]))
    return EmbeddedBackend(Path(config["BUILD_DIR"]), int(config["WORKERS"]), float(config.get("QUEUE_TIMEOUT", QUEUE_TIMEOUT)), settings)
