"""The query engine behind the endpoint: jobs and answers, and the pyoxigraph implementation that runs them.

Queries run in worker processes (see workers.py); this module is what a worker executes. It imports only
pyoxigraph and werkzeug so that a fresh worker starts quickly. By the time a job gets here, the web layer has
parsed and checked its text (currigraph.sparql): the engine trusts what the job says about it (its form, whether
it names its own dataset).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from currigraph.formats import CONSTRUCTED, DATASETS, RESULTS, FormatError, negotiate
from currigraph.vocab import PREFIXES


@dataclass(frozen=True)
class Job:
    """One request for the engine: the SPARQL text and how the client wants the answer."""

    text: str
    kind: str = "query"  # or "update", or "export" (whole named graphs: graphs)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str = ""
    format: tuple[str, ...] = ()  # the format= values of the request (names or media types)
    base_iri: str | None = None
    graphs: tuple[str, ...] = ()  # the named graphs an export serialises
    names_dataset: bool = False  # the query has FROM / FROM NAMED clauses (the parser says so)
    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE or ASK (the parser says so)
    spool: str | None = None  # an export written to this file (streamed to the client from disk) instead of the answer


@dataclass(frozen=True)
class Answer:
    """A complete answer: status, media type and body, produced before any byte is sent."""

    status: int
    media_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> "Answer":
        """A plain-text error answer."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


class OxigraphEngine:
    """Runs jobs on a pyoxigraph store (default graph = union of all graphs unless the request names graphs)."""

    def __init__(self, store: ox.Store, max_answer_bytes: int | None = None) -> None:
        self.store = store
        self.max_answer_bytes = max_answer_bytes

    def run(self, job: Job) -> Answer:
        """Execute a job; every failure becomes a clear error answer."""
        if job.kind == "update":
            return self._update(job)
        if job.kind == "export":
            return self._export(job)
        return self._query(job)

    def _export(self, job: Job) -> Answer:
        """Serialise whole named graphs."""
        names = [ox.NamedNode(g) for g in job.graphs]
        return export_answer((q for g in names for q in self.store.quads_for_pattern(None, None, None, g)), job.format, job.spool)

    def _query(self, job: Job) -> Answer:
        # The union default graph applies only when neither the protocol nor the query (FROM) names a dataset:
        # pyoxigraph would otherwise let the union flag override FROM.
        names_dataset = bool(job.default_graphs or job.named_graphs) or job.names_dataset
        kwargs: dict[str, object] = {"use_default_graph_as_union": not names_dataset}
        try:
            if job.default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
            if job.named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
            result = self.store.query(job.text, base_iri=job.base_iri, **kwargs)
        except SyntaxError as err:
            return Answer.error(400, f"SPARQL syntax error: {err}")
        except (ValueError, RuntimeError) as err:  # bad graph IRIs, unsupported functions: the request is at fault
            return Answer.error(400, f"the query cannot run: {err}")
        except OSError as err:
            return Answer.error(500, f"query failed: {err}")
        try:
            chosen = negotiate(CONSTRUCTED if isinstance(result, ox.QueryTriples) else RESULTS, job.accept, job.format)
        except FormatError as err:
            return Answer.error(err.status, str(err))
        sink = CappedBuffer(self.max_answer_bytes)
        try:
            result.serialize(sink, format=chosen.oxigraph)  # type: ignore[arg-type]
        except AnswerTooLarge:
            return Answer.error(503, f"the answer is larger than this server's limit of {sink.cap // (1024 * 1024)} MiB and was not "
                                     "sent; narrow the query down (LIMIT, fewer variables) or page through it with OFFSET")
        except (ValueError, RuntimeError) as err:  # an error while evaluating (a type error in a function...)
            return Answer.error(400, f"the query failed while running: {err}")
        except OSError as err:
            return Answer.error(500, f"could not serialise the result: {err}")
        return Answer(200, chosen.content_type, sink.getvalue())

    def _update(self, job: Job) -> Answer:
        try:
            self.store.update(job.text, base_iri=job.base_iri)
            self.store.flush()
        except SyntaxError as err:
            return Answer.error(400, f"SPARQL Update syntax error: {err}")
        except (ValueError, OSError) as err:
            return Answer.error(400, f"update failed: {err}")
        return Answer(204, "text/plain", b"")


class AnswerTooLarge(Exception):
    """An answer grew past the server's cap while it was being serialised."""


class CappedBuffer:
    """A write-only buffer that refuses to grow past a cap (pyoxigraph serialises into it and stops when it refuses)."""

    def __init__(self, cap: int | None) -> None:
        self.cap = cap or 0
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        """Append data, or raise AnswerTooLarge past the cap."""
        self._size += len(data)
        if self.cap and self._size > self.cap:
            raise AnswerTooLarge()
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: everything is in memory."""

    def getvalue(self) -> bytes:
        """Everything written."""
        return b"".join(self._parts)


def export_answer(quads: Iterable[ox.Quad], fmt: tuple[str, ...], spool: str | None = None) -> Answer:
    """Graphs in one syntax: TriG and N-Quads keep the named graphs, the others get the union of their triples.

    The quads stream through the serialiser: nothing holds the whole export in memory. A triple two graphs state
    is written twice in a triple syntax, which parses back to the same graph (a graph is a set). With spool, the
    export goes to that file (written under a temporary name, then renamed) and the answer has no body.
    """
    try:
        chosen = negotiate(DATASETS, "", fmt)
    except FormatError as err:
        return Answer.error(err.status, str(err))
    items: Iterable = quads if chosen.keeps_graphs else (q.triple for q in quads)
    if spool is None:
        body = ox.serialize(items, format=chosen.oxigraph, prefixes=PREFIXES)  # type: ignore[arg-type]
        return Answer(200, chosen.content_type, body or b"")
    partial = Path(spool + ".partial")
    with partial.open("wb") as handle:
        ox.serialize(items, handle, format=chosen.oxigraph, prefixes=PREFIXES)  # type: ignore[arg-type]
    partial.replace(spool)
    return Answer(200, chosen.content_type, b"")
