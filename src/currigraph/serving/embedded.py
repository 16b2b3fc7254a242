"""The embedded store: the build's on-disk pyoxigraph store, read by query worker processes, written by a writer process."""

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from currigraph.build.layout import OXIGRAPH_DIR
from currigraph.build.manifest import GraphEntry, Manifest, read_manifest, write_manifest
from currigraph.build.state import forget_state
from currigraph.build.statistics import Statistics, read_statistics
from currigraph.serving.backend import NamedGraphs
from currigraph.serving.engine import Answer, Job
from currigraph.serving.statistics import StatisticsKeeper
from currigraph.serving.workers import DEFAULT_SETTINGS, QUEUE_TIMEOUT, WorkerPool, WorkerSettings
from currigraph.serving.writer import Write, WriteResult, run_write


class EmbeddedBackend:
    """The build's on-disk pyoxigraph store: queries in worker processes, writes in a writer process, one at a time."""

    keeps_files = True

    def __init__(self, build_dir: Path, workers: int, queue_timeout: float = QUEUE_TIMEOUT,
                 settings: WorkerSettings = DEFAULT_SETTINGS) -> None:
        self.build_dir = build_dir
        self._manifest = read_manifest(build_dir)
        self.pool = WorkerPool(build_dir / OXIGRAPH_DIR, workers, queue_timeout, settings)
        self._write_lock = threading.Lock()
        self.problem: str | None = None
        self._writes = 0
        self._statistics = StatisticsKeeper(self.run, read_statistics(build_dir, self._manifest.build))

    def run(self, job: Job, timeout: float) -> Answer:
        """Run the job in a worker process, stopped at the time limit."""
        return self.pool.run(job, timeout)

    def _write(self, write: Write, timeout: float) -> WriteResult:
        """Carry out a write (one at a time); query workers are replaced afterwards, so that they see it."""
        with self._write_lock:
            forget_state(self.build_dir)  # the store no longer is what the last build made: the next build is full
            result = run_write(self.pool.store_path, write, timeout)
            if result.status == 204:
                self.pool.refresh()
                self._writes += 1
            return result

    def update(self, text: str, base_iri: str, timeout: float) -> Answer:
        """Run a SPARQL Update on the store; the manifest's graph sizes are counted again afterwards."""
        result = self._write(Write(text, base_iri, recount=True), timeout)
        if result.status != 204:
            return Answer.error(result.status, result.message)
        sizes = dict(result.sizes)
        # Graphs the update emptied leave the manifest; graphs it made join it (of kind "update").
        graphs = [replace(g, triples=sizes.pop(g.iri)) for g in self._manifest.graphs if g.iri in sizes]
        graphs += [GraphEntry(iri, "update", n) for iri, n in sorted(sizes.items())]
        self._manifest = replace(self._manifest, graphs=graphs)
        self._save_manifest()
        return Answer(204, "text/plain", b"")

    def replace_graphs(self, graphs: NamedGraphs, timeout: float) -> None:
        """Replace the graphs in the store (one transaction), then record them in build/manifest.json."""
        from currigraph.remote.client import StoreError

        result = self._write(Write(replacing_update(graphs)), timeout)
        if result.status != 204:
            raise StoreError(result.status, result.message)
        self._manifest = self._manifest.replaced(entry for entry, _ in graphs)
        self._save_manifest()

    def _save_manifest(self) -> None:
        """Keep build/manifest.json in step with the store; the write has happened, so a failure here is only reported."""
        try:
            write_manifest(self.build_dir, self._manifest)
            self.problem = None
        except OSError as err:
            self.problem = f"build/manifest.json could not be updated ({err.strerror}); counts on disk are stale until the next build"

    def manifest(self) -> Manifest:
        """The manifest read at start, kept up to date by this process's writes."""
        return self._manifest

    def version(self) -> str:
        """The build's id, and how many writes this server made since."""
        build = self._manifest.build or "unbuilt"
        return build if not self._writes else f"{build}+{self._writes}"

    def statistics(self, wait: float = 0.0) -> Statistics | None:
        """The build's statistics until a write; then counted again in the background."""
        return self._statistics.wait(self.version(), wait)

    def health(self) -> dict[str, Any]:
        """Live workers, and whether the store answers a query; StoreError when it cannot be queried."""
        from currigraph.remote.client import StoreError

        facts = {"backend": "embedded", **self.pool.status()}
        if self.problem:
            facts["warning"] = self.problem
        if not (self.pool.store_path / "CURRENT").is_file():
            raise StoreError(503, f"the store's files are gone from {self.pool.store_path}: run `currigraph build` and restart")
        if not facts["workers"]:
            raise StoreError(503, f"no query worker is running: {facts.get('problem') or 'they are starting'}")
        probe = self.pool.probe(Job(text="ASK { GRAPH ?g { ?s ?p ?o } }", format=("json",)), 10.0)
        if probe is not None and (probe.status != 200 or b"true" not in probe.body):
            raise StoreError(503, f"the store does not answer as it should: {probe.body.decode('utf-8', 'replace').strip()}")
        return facts

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()


def replacing_update(graphs: NamedGraphs) -> str:
    """One SPARQL Update that replaces whole named graphs by the given triples."""
    operations = []
    for entry, triples in graphs:
        data = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        operations.append(f"DROP SILENT GRAPH <{entry.iri}>")
        operations.append(f"INSERT DATA {{ GRAPH <{entry.iri}> {{\n{data}}} }}")
    return " ;\n".join(operations)
