"""Worker processes for the CPU-bound work a request brings with it (parsing and validating submitted course data).

Parsing a megabyte of hostile Turtle or validating a big graph can take as long as a runaway query, and, like a
query, it cannot be cancelled inside the web process. Such work runs here instead: a function of a module, called
in a worker process (without network access) with a time limit; past the limit the worker is killed and replaced,
and the request gets 503. The processes start on first use, so a server that never validates never pays for them.
"""

import importlib
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from currigraph.errors import InputError
from currigraph.serving.processes import Child


class TaskFailed(Exception):
    """A task that did not finish: its status (503 time limit or busy, 500 crash) and a message for people."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _serve(conn: Connection) -> None:
    """Task worker main loop: leave the network, then run (module, function, args) calls until the pipe closes."""
    from currigraph.serving.sandbox import drop_network

    drop_network()
    conn.send("ready")
    while True:
        try:
            module, name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result: tuple[str, Any] = ("ok", getattr(importlib.import_module(module), name)(*args))
        except InputError as err:  # the input's own fault: passed back as it is, with file, line and field
            result = ("input", err)
        except Exception as err:  # a bug of ours: said plainly, the worker lives on
            result = ("error", f"{type(err).__name__}: {err}")
        conn.send(result)


class _TaskWorker(Child):
    def __init__(self) -> None:
        super().__init__(_serve)


class TaskPool:
    """A few task workers; call() runs a function in one of them within a time limit."""

    def __init__(self, size: int = 1, queue_timeout: float = 60.0) -> None:
        self.size = max(1, size)
        self.queue_timeout = queue_timeout
        self._idle: list[_TaskWorker] = []
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False

    def call(self, function: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
        """The function's result, computed in a worker; InputError passes through; TaskFailed past the limit or on a crash."""
        worker = self._take()
        try:
            worker.conn.send((function.__module__, function.__name__, args))
            if not worker.conn.poll(timeout):
                self._drop(worker)
                raise TaskFailed(503, f"stopped: the work ran longer than the time limit of {timeout:g} s")
            kind, value = worker.conn.recv()
        except (EOFError, OSError) as err:
            self._drop(worker)
            raise TaskFailed(500, f"the worker stopped unexpectedly ({err or 'no answer'}); nothing was changed") from None
        self._give_back(worker)
        if kind == "input":
            raise value
        if kind == "error":
            raise TaskFailed(500, f"internal error while working on the request ({value})")
        return value

    def _take(self) -> _TaskWorker:
        deadline = time.monotonic() + self.queue_timeout
        with self._cond:
            while not self._closed:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.process.is_alive():
                        return worker
                    worker.kill()
                    self._count -= 1
                if self._count < self.size:
                    self._count += 1
                    break
                if time.monotonic() >= deadline:
                    raise TaskFailed(503, f"the server is busy: no worker became free within {self.queue_timeout:g} s; try again later")
                self._cond.wait(min(1.0, deadline - time.monotonic()))
            else:
                raise TaskFailed(503, "the server is shutting down")
        worker = _TaskWorker()
        if not worker.conn.poll(60) or worker.conn.recv() != "ready":
            self._drop(worker)
            raise TaskFailed(503, "a worker could not be started")
        return worker

    def _give_back(self, worker: _TaskWorker) -> None:
        with self._cond:
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._cond.notify()

    def _drop(self, worker: _TaskWorker) -> None:
        worker.kill()
        with self._cond:
            self._count -= 1
            self._cond.notify()

    def close(self) -> None:
        """Stop every worker."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.kill()
