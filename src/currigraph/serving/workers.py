"""Worker processes that run queries, so that a query past its time limit can be stopped for real.

Neither pyoxigraph nor rdflib can cancel a running query in-process. Each query therefore runs in a
worker process that opens the on-disk store read-only; the server waits for the complete answer with a
deadline, and on timeout kills the worker (SIGKILL) and starts a fresh one. Answers are serialised
completely in the worker, so a timeout is always reported before any result byte is sent. Workers are
started with the 'spawn' method: forking a multi-threaded WSGI server is unsafe.
"""

import multiprocessing as mp
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from currigraph.serving.engine import Answer, Job

_CTX = mp.get_context("spawn")


def _serve_jobs(store_path: str, conn: Connection) -> None:
    """Worker main loop: open the store read-only, then answer jobs until the pipe closes."""
    import pyoxigraph as ox

    from currigraph.serving.engine import OxigraphEngine

    engine = OxigraphEngine(ox.Store.read_only(store_path))
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = engine.run(job)
        except Exception as err:  # a worker must answer, whatever the query did
            answer = Answer.error(500, f"query failed: {type(err).__name__}: {err}")
        conn.send(answer)


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, store_path: Path) -> None:
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_serve_jobs, args=(str(store_path), child), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        """Wait for the worker to have opened the store."""
        if not self.ready and self.conn.poll(timeout):
            try:
                self.ready = self.conn.recv() == "ready"
            except (EOFError, OSError):
                return False
        return self.ready

    def kill(self) -> None:
        """Stop the worker at once, whatever it is doing."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


# How long a request may wait for a free worker before it is answered "busy". Waiting is not running: the query's
# own time limit starts when a worker takes it, as in Fuseki or Oxigraph's server, where requests queue for threads.
QUEUE_TIMEOUT = 300.0


class WorkerPool:
    """A fixed number of workers; a job gets an idle worker, a complete answer, or a timeout error."""

    def __init__(self, store_path: Path, size: int, queue_timeout: float = QUEUE_TIMEOUT) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.queue_timeout = queue_timeout
        self._idle: list[Worker] = []
        self._cond = threading.Condition()
        self._paused = False
        self._starting = 0
        self._busy = 0
        for _ in range(self.size):
            self._start_one()

    def _start_one(self) -> None:
        """Start a worker in the background; it joins the idle list once it has opened the store."""
        with self._cond:
            self._starting += 1

        def boot() -> None:
            worker = Worker(self.store_path)
            ok = worker.wait_ready(120)
            with self._cond:
                self._starting -= 1
                if ok and not self._paused:
                    self._idle.append(worker)
                else:
                    worker.kill()
                self._cond.notify_all()

        threading.Thread(target=boot, daemon=True).start()

    def run(self, job: Job, timeout: float) -> Answer:
        """Run a job for at most timeout seconds once a worker takes it (waiting at most queue_timeout for one)."""
        queued = time.monotonic() + self.queue_timeout
        with self._cond:
            while not self._idle:
                remaining = queued - time.monotonic()
                if remaining <= 0:
                    return Answer.error(503, f"the server is busy: no query worker became free within {self.queue_timeout:g} s; "
                                             "try again later")
                self._cond.wait(remaining)
            worker = self._idle.pop()
            self._busy += 1
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer = worker.conn.recv()
                self._release(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            self._release(worker, replace=True)
            return Answer.error(500, "the query worker stopped unexpectedly; the query was not answered")
        self._release(worker, replace=True)
        return Answer.error(
            503, f"query stopped: it ran longer than the time limit of {timeout:g} s. Narrow it down (LIMIT, more specific patterns)."
        )

    def _release(self, worker: Worker, replace: bool = False) -> None:
        """Give a worker back after a job, or kill it and start a fresh one (after a timeout or a crash)."""
        if replace:
            worker.kill()
        with self._cond:
            self._busy -= 1
            if not replace:
                if self._paused:
                    worker.kill()
                else:
                    self._idle.append(worker)
            self._cond.notify_all()
        if replace and not self._paused:
            self._start_one()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until at least one worker is idle."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._idle and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return bool(self._idle)

    def pause(self) -> None:
        """Stop every worker once it is idle (before the store is written); queries wait meanwhile."""
        with self._cond:
            self._paused = True
            while self._starting or self._busy:
                self._cond.wait(1)
            for worker in self._idle:
                worker.kill()
            self._idle.clear()

    def resume(self) -> None:
        """Start fresh workers that see the store as it is now."""
        with self._cond:
            self._paused = False
        for _ in range(self.size):
            self._start_one()

    def close(self) -> None:
        """Stop all workers."""
        with self._cond:
            self._paused = True
            for worker in self._idle:
                worker.kill()
            self._idle.clear()
