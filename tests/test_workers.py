"""The query worker pool: a query's time limit counts its running only; waiting for a worker has a limit of its own."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from currigraph.serving.engine import Answer, Job
from currigraph.serving.workers import WorkerPool

CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
ASK = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def store_path(built_project: Path) -> Path:
    return built_project / "build" / "oxigraph"  # workers open it read-only


@contextmanager
def busy_pool(store_path: Path, queue_timeout: float) -> Iterator[tuple[WorkerPool, threading.Thread, dict[str, Answer]]]:
    """A pool of one worker, busy with a query that runs into its 2 s time limit."""
    pool = WorkerPool(store_path, 1, queue_timeout=queue_timeout)
    try:
        assert pool.wait_ready(60)
        slow: dict[str, Answer] = {}
        thread = threading.Thread(target=lambda: slow.setdefault("answer", pool.run(Job(text=CROSS_JOIN), 2.0)))
        thread.start()
        time.sleep(0.3)
        yield pool, thread, slow
    finally:
        pool.close()


def test_waiting_for_a_worker_does_not_count_against_the_time_limit(store_path: Path) -> None:
    with busy_pool(store_path, 30) as (pool, thread, slow):
        began = time.monotonic()
        answer = pool.run(Job(text=ASK), 1.0)  # waits about 1.7 s for the only worker, longer than its own limit
        waited = time.monotonic() - began
        thread.join()
    assert slow["answer"].status == 503 and b"time limit" in slow["answer"].body
    assert answer.status == 200 and b"true" in answer.body, answer.body
    assert waited > 1.0


def test_a_full_queue_is_answered_busy(store_path: Path) -> None:
    with busy_pool(store_path, 0.5) as (pool, thread, _):
        answer = pool.run(Job(text=ASK), 10.0)
        thread.join()
    assert answer.status == 503 and b"busy" in answer.body and b"0.5 s" in answer.body
