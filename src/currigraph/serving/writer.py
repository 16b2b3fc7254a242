"""Writes to the embedded store (SPARQL Update, a published course's graphs) in a process of their own.

An update can be as deep or as slow as a query, so it gets the same treatment: it runs in a separate process
(spawned for the write, without network access) that opens the store read-write, and it is killed at its time
limit. pyoxigraph runs an update in one transaction, so a killed or failed write changes nothing. Query workers
keep reading the store as it was meanwhile (RocksDB lets read-only handles live beside one writer) and are replaced
once the write is done, so a write never stalls queries.
"""

from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from currigraph.serving.processes import Child

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Write:
    """One write: a SPARQL Update (one transaction, however many operations it has)."""

    update: str
    base_iri: str | None = None
    recount: bool = False  # report the size of every named graph afterwards (an update may touch any of them)


@dataclass
class WriteResult:
    """How a write went: status 204 when done; else the status and message to answer with. Graph sizes on request."""

    status: int
    message: str = ""
    sizes: dict[str, int] = field(default_factory=dict)


def _write(store_path: str, write: Write, conn: Connection) -> None:
    """Writer process: leave the network, open the store read-write, write, report."""
    from currigraph.serving.sandbox import drop_network

    drop_network()
    import pyoxigraph as ox

    try:
        store = ox.Store(store_path)
        store.update(write.update, base_iri=write.base_iri)
        store.flush()
        sizes = {}
        if write.recount:
            sizes = {row["g"].value: int(row["n"].value) for row in store.query(GRAPH_SIZES)}  # type: ignore[union-attr, index]
        conn.send(WriteResult(204, sizes=sizes))
    except SyntaxError as err:
        conn.send(WriteResult(400, f"SPARQL Update syntax error: {err}"))
    except (ValueError, RuntimeError) as err:
        conn.send(WriteResult(400, f"the update cannot run: {err}"))
    except OSError as err:  # the disk: full, read-only, damaged
        conn.send(WriteResult(507 if "space" in str(err).lower() else 503, f"the store could not be written: {err}"))


def run_write(store_path: Path, write: Write, timeout: float) -> WriteResult:
    """Carry out one write in a fresh process, killed (changing nothing) when it runs past timeout seconds."""
    writer = Child(_write, str(store_path), write)
    try:
        if writer.conn.poll(timeout):
            return writer.conn.recv()
        return WriteResult(503, f"the write was stopped: it ran longer than the time limit of {timeout:g} s; nothing was changed")
    except (EOFError, OSError):
        return WriteResult(500, f"the writing process stopped unexpectedly (exit code {writer.process.exitcode}); nothing was changed")
    finally:
        writer.kill()
