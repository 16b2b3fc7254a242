"""A bounded in-memory cache of complete answers, keyed by the dataset's version and the job.

Answers derived from the graph change only when a build or a write changes the dataset, and every change moves the
version on: an entry of an older version can never be served again, and is the first to go. Only complete
successful answers are kept, up to a byte budget (least recently used first out); one answer bigger than an
eighth of the budget is not kept at all, so that one export cannot flush everything else.
"""

import threading
from collections import OrderedDict

from currigraph.serving.engine import Answer, Job


class AnswerCache:
    """Answers by (dataset version, job), within a byte budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._entries: OrderedDict[tuple[str, Job], Answer] = OrderedDict()
        self._size = 0
        self._version = ""
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, version: str, job: Job) -> Answer | None:
        """The kept answer of this job for this version, if any."""
        if not self.budget:
            return None
        with self._lock:
            if version != self._version:  # the dataset changed: nothing kept can be right any more
                self._entries.clear()
                self._size, self._version = 0, version
            answer = self._entries.get((version, job))
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end((version, job))
            self.hits += 1
            return answer

    def put(self, version: str, job: Job, answer: Answer) -> None:
        """Keep a successful answer (if it fits), dropping the least recently used ones to make room."""
        size = len(answer.body) + len(job.text)
        if answer.status != 200 or not self.budget or size > self.budget // 8:
            return
        with self._lock:
            if version != self._version:
                return
            key = (version, job)
            if key in self._entries:
                return
            self._entries[key] = answer
            self._size += size
            while self._size > self.budget:
                (_, old_job), old = self._entries.popitem(last=False)
                self._size -= len(old.body) + len(old_job.text)

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits and misses (for /health)."""
        with self._lock:
            return {"entries": len(self._entries), "bytes": self._size, "budget": self.budget, "hits": self.hits, "misses": self.misses}
