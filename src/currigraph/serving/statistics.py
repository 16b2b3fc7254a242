"""Keeping a server's dataset statistics current: counted in the background after a write, never on a request."""

import json
import logging
import threading
import time
from collections.abc import Callable

from currigraph.build.statistics import Rows, Statistics, count
from currigraph.serving.engine import Answer, Job

log = logging.getLogger(__name__)
COUNT_TIMEOUT = 600.0  # counting a catalogue of millions of triples takes seconds; give it room, it blocks nobody


class StatisticsKeeper:
    """The latest statistics, and a background count whenever the dataset's version moves on."""

    def __init__(self, run: Callable[[Job, float], Answer], known: Statistics | None = None, skip: tuple[str, ...] = ()) -> None:
        self._run = run
        self._skip = skip
        self._current = known
        self._counting: str | None = None
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)

    def get(self, version: str) -> Statistics | None:
        """The statistics of this version of the dataset; None while they are being counted (a count is started)."""
        with self._lock:
            if self._current is not None and self._current.version == version:
                return self._current
            if self._counting != version:
                self._counting = version
                threading.Thread(target=self._count, args=(version,), name="statistics", daemon=True).start()
            return None

    def wait(self, version: str, timeout: float) -> Statistics | None:
        """The statistics of this version, waiting up to timeout seconds for a count under way (one is started if none is)."""
        deadline = time.monotonic() + timeout
        found = self.get(version)
        with self._done:
            while found is None and self._counting == version and time.monotonic() < deadline:
                self._done.wait(deadline - time.monotonic())
                found = self._current if self._current is not None and self._current.version == version else None
        return found

    def latest(self) -> Statistics | None:
        """The most recent statistics counted, of whatever version."""
        return self._current

    def _count(self, version: str) -> None:
        try:
            statistics = count(self._select, version, self._skip)
        except RuntimeError as err:
            log.warning("counting the dataset statistics failed: %s", err)
            with self._lock:
                self._counting = None
                self._done.notify_all()
            return
        with self._lock:
            if self._counting == version:
                self._current, self._counting = statistics, None
            self._done.notify_all()

    def _select(self, query: str) -> Rows:
        answer = self._run(Job(text=query, format=("json",)), COUNT_TIMEOUT)
        if answer.status != 200:
            raise RuntimeError(answer.body.decode("utf-8", "replace"))
        data = json.loads(answer.body)
        return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
