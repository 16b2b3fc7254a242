"""Worker processes that run queries, so that a query past its time limit, or one that crashes the engine, costs nothing else.

Neither pyoxigraph nor rdflib can cancel a running query in-process, and a query deep enough to overflow the
engine's stack kills the process it runs in. Each query therefore runs in a worker process that opens the on-disk
store read-only; the server waits for the complete answer with a deadline, and on timeout kills the worker
(SIGKILL) and starts a fresh one. Answers are serialised completely in the worker, up to a size cap, so a timeout
or an oversized answer is always reported before any result byte is sent. A worker that died while idle (the OS
killed it) is noticed before it is handed a job, and replaced; a pool whose workers cannot start (the store is gone
or damaged) answers at once with the reason instead of letting requests wait. Workers are started with the
'spawn' method (forking a multi-threaded WSGI server is unsafe) and, where the OS allows it, without network access.
"""

import collections
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from currigraph.serving.engine import Answer, Job
from currigraph.serving.processes import Child

# How long a request may wait for a free worker before it is answered "busy". Waiting is not running: the query's
# own time limit starts when a worker takes it, as in Fuseki or Oxigraph's server, where requests queue for threads.
QUEUE_TIMEOUT = 300.0
# The largest answer a worker serialises (bytes); a bigger one is refused with a message instead of filling memory.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
BOOT_TIMEOUT = 120.0
# A query still running after SLOW_AFTER seconds is slow: its worker gets a lower CPU priority (nice), stops counting
# towards the pool's size (an extra worker is started, up to twice the size), and is replaced when it finishes. So a
# few runaway queries cannot starve the many small ones: they keep idle workers and most of the CPU.
SLOW_AFTER = 2.0
SLOW_NICENESS = 10
# After this many workers in a row fail to start, the pool says the store is unusable instead of retrying at once.
BOOT_FAILURES = 3


@dataclass(frozen=True)
class WorkerSettings:
    """What every worker of a pool is started with."""

    max_answer_bytes: int = MAX_ANSWER_BYTES
    isolate_network: bool = True  # drop network access at start (Linux namespaces), a wall below the query checks


DEFAULT_SETTINGS = WorkerSettings()


def _serve_jobs(store_path: str, settings: WorkerSettings, conn: Connection) -> None:
    """Worker main loop: leave the network, open the store read-only, then answer jobs until the pipe closes."""
    from currigraph.serving.sandbox import drop_network

    isolated = drop_network().reason if settings.isolate_network else "not asked"
    import pyoxigraph as ox

    from currigraph.serving.engine import OxigraphEngine

    try:
        engine = OxigraphEngine(ox.Store.read_only(store_path), settings.max_answer_bytes)
    except (OSError, ValueError) as err:  # no store, or a damaged one: the pool reports why
        conn.send(("failed", f"cannot open the store at {store_path}: {err}"))
        return
    conn.send(("ready", isolated))
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


class Worker(Child):
    """One query worker process and the pipe to it."""

    def __init__(self, store_path: Path, settings: WorkerSettings, generation: int) -> None:
        super().__init__(_serve_jobs, str(store_path), settings)
        self.generation = generation
        self.isolation = ""
        self.started: float | None = None  # when its current job began
        self.slow = False

    def wait_ready(self, timeout: float) -> str | None:
        """Wait for the worker to open the store: None when it is ready, else why it is not."""
        try:
            if not self.conn.poll(timeout):
                return f"the worker did not open the store within {timeout:g} s"
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            return f"the worker exited while starting (exit code {self.process.exitcode})"
        if status != "ready":
            return detail
        self.isolation = detail
        return None

    def alive(self) -> bool:
        """True when the process runs and its pipe has nothing unexpected (a dead worker's pipe reads EOF)."""
        if not self.process.is_alive():
            return False
        try:
            return not self.conn.poll()  # an idle worker never writes: anything readable means EOF or garbage
        except (EOFError, OSError):
            return False

class WorkerPool:
    """A fixed number of workers; a job gets a live idle worker and a complete answer, or an error with the reason."""

    def __init__(self, store_path: Path, size: int, queue_timeout: float = QUEUE_TIMEOUT,
                 settings: WorkerSettings = DEFAULT_SETTINGS) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.queue_timeout = queue_timeout
        self.settings = settings
        self._idle: list[Worker] = []
        self._cond = threading.Condition()
        self._closed = False
        self._starting = 0
        self._busy = 0
        self._running: set[Worker] = set()
        self._queue: collections.deque[object] = collections.deque()  # requests waiting for a worker, in arrival order
        self._generation = 0
        self._failures = 0
        self.problem: str | None = None  # why workers cannot start, when they cannot
        self.isolation = ""
        for _ in range(self.size):
            self._start_one()

    def _start_one(self) -> None:
        """Start a worker in the background; it joins the idle list once it has opened the store."""
        with self._cond:
            if self._closed:
                return
            self._starting += 1
            generation = self._generation

        def boot() -> None:
            worker = Worker(self.store_path, self.settings, generation)
            failure = worker.wait_ready(BOOT_TIMEOUT)
            retry = False
            with self._cond:
                self._starting -= 1
                if failure is None and not self._closed and worker.generation == self._generation:
                    self._idle.append(worker)
                    self._failures, self.problem, self.isolation = 0, None, worker.isolation
                    stale = self._surplus()
                else:
                    worker.kill()
                    if failure is not None:
                        self._failures += 1
                        self.problem = failure
                    retry = not self._closed and self._count() < self.size
                    stale = []
                self._cond.notify_all()
            for old in stale:
                old.kill()
            if retry:
                # A store that cannot be opened now may be back later (a rebuild swaps it in): keep trying, slowly.
                time.sleep(min(30.0, 0.5 * 2 ** min(self._failures, 6)) if failure else 0)
                self._start_one()

        threading.Thread(target=boot, name="worker-boot", daemon=True).start()

    def probe(self, job: Job, timeout: float) -> Answer | None:
        """Run a job on an idle worker if one is idle now (never queue behind other requests); None when none is."""
        if not self.idle_now():
            return None
        return self.run(job, timeout)

    def idle_now(self) -> bool:
        """True when a worker is idle at this moment."""
        with self._cond:
            return bool(self._idle)

    def _take(self, queued: float) -> Worker | Answer:
        """A live idle worker, or the answer to give instead (busy, or the store unusable).

        Requests are served first come, first served: a request that arrives while others wait queues behind them,
        even if a worker is idle for an instant (otherwise a thread coming back for its next request would take
        every freed worker, and a waiting request could starve for minutes under load).
        """
        ticket = object()
        with self._cond:
            self._queue.append(ticket)
            try:
                while True:
                    while self._queue[0] is ticket and self._idle:
                        worker = self._idle.pop()
                        if worker.alive():
                            self._busy += 1
                            worker.started = time.monotonic()
                            self._running.add(worker)
                            self._watch()
                            return worker
                        worker.kill()  # died while idle (the OS killed it): replace it, try the next one
                        if self._count() < self.size:
                            threading.Thread(target=self._start_one, daemon=True).start()
                    if self._closed:
                        return Answer.error(503, "the server is shutting down")
                    if self._failures >= BOOT_FAILURES and not self._busy:
                        return Answer.error(503, f"the store cannot be queried: {self.problem}")
                    remaining = queued - time.monotonic()
                    if remaining <= 0:
                        return Answer.error(503, f"the server is busy: no query worker became free within {self.queue_timeout:g} s; "
                                                 "try again later")
                    self._cond.wait(min(remaining, 1.0))
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()  # the next in line may take a worker now

    def run(self, job: Job, timeout: float) -> Answer:
        """Run a job for at most timeout seconds once a worker takes it (waiting at most queue_timeout for one).

        A worker found dead when the job is handed over (killed by the OS between two jobs) costs nothing: the job
        goes to another. One that dies while running the job is tried once more on a fresh worker, then reported.
        """
        for _attempt in (1, 2):
            taken = self._take(time.monotonic() + self.queue_timeout)
            if isinstance(taken, Answer):
                return taken
            answer = self._run_on(taken, job, timeout)
            if answer is not None:
                return answer
        return Answer.error(500, "the query worker stopped while running this request, twice (the engine crashed on it); "
                                 "the server goes on serving")

    def _run_on(self, worker: Worker, job: Job, timeout: float) -> Answer | None:
        """The answer of one worker, or None when it died on the job (it is replaced)."""
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer = worker.conn.recv()
                self._release(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            self._release(worker, replace=True)
            return None
        self._release(worker, replace=True)
        return Answer.error(
            503, f"query stopped: it ran longer than the time limit of {timeout:g} s. Narrow it down (LIMIT, more specific patterns)."
        )

    def _release(self, worker: Worker, replace: bool = False) -> None:
        """Give a worker back after a job, or kill it and start a fresh one (after a timeout, a crash, or a refresh)."""
        with self._cond:
            self._busy -= 1
            self._running.discard(worker)
            worker.started = None
            retire = replace or worker.slow or self._closed or worker.generation != self._generation
            if not retire:
                self._idle.append(worker)
            start = retire and not self._closed and self._count() < self.size
            self._cond.notify_all()
        if retire:
            worker.kill()
        if start:
            self._start_one()

    def _count(self) -> int:
        """Workers that exist or are on their way, slow ones left out (call with the lock held)."""
        return len(self._idle) + self._busy + self._starting - sum(1 for w in self._running if w.slow)

    def _watch(self) -> None:
        """Start the thread that notices slow queries, once (call with the lock held)."""
        if getattr(self, "_watcher", None) is None:
            self._watcher = threading.Thread(target=self._watch_slow, name="worker-watch", daemon=True)
            self._watcher.start()

    def _watch_slow(self) -> None:
        """Every half second: mark workers whose query runs past SLOW_AFTER, lower their priority, start extra workers."""
        import os

        while True:
            time.sleep(0.5)
            extra = 0
            with self._cond:
                if self._closed:
                    return
                now = time.monotonic()
                for worker in self._running:
                    if not worker.slow and worker.started is not None and now - worker.started > SLOW_AFTER:
                        worker.slow = True
                        try:
                            os.setpriority(os.PRIO_PROCESS, worker.process.pid or 0, SLOW_NICENESS)
                        except OSError:  # gone meanwhile, or not allowed: the extra worker still helps
                            pass
                total = len(self._idle) + self._busy + self._starting
                extra = max(0, min(self.size - self._count(), 2 * self.size - total))
            for _ in range(extra):
                self._start_one()

    def _surplus(self) -> list[Worker]:
        """Idle workers of an older generation beyond the pool's size, taken out of the pool (call with the lock held)."""
        surplus: list[Worker] = []
        for worker in list(self._idle):
            if self._count() <= self.size:
                break
            if worker.generation != self._generation:
                self._idle.remove(worker)
                surplus.append(worker)
        return surplus

    def refresh(self) -> None:
        """Replace every worker so that they see the store as it is now (after a write).

        Until its replacement is ready, each old worker keeps answering from the store as it was before the write:
        queries never wait for a write. Busy old workers are retired when they finish.
        """
        with self._cond:
            self._generation += 1
            generation = self._generation
        for _ in range(self.size):
            self._start_one()
        # Answers given after this returns come from the new workers: a client that wrote sees what it wrote.
        deadline = time.monotonic() + BOOT_TIMEOUT
        with self._cond:
            while not self._closed and time.monotonic() < deadline and (
                    any(w.generation != generation for w in self._idle) or not any(w.generation == generation for w in self._idle)):
                if self._failures >= BOOT_FAILURES:
                    break
                self._cond.wait(0.5)

    def wait_ready(self, timeout: float) -> bool:
        """Wait until at least one worker is idle."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._idle and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return bool(self._idle)

    def status(self) -> dict[str, object]:
        """Live, busy and starting workers, and why workers cannot start when they cannot."""
        with self._cond:
            live = sum(1 for w in self._idle if w.process.is_alive()) + self._busy
            facts: dict[str, object] = {"workers": live, "busy": self._busy, "slow": sum(1 for w in self._running if w.slow),
                                        "starting": self._starting, "size": self.size,
                                        "network_isolation": self.isolation}
            if self.problem:
                facts["problem"] = self.problem
            return facts

    def close(self) -> None:
        """Stop all workers."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.kill()
