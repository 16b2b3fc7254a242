"""Faults the server and the build must notice: workers killed while idle or starting, a deleted store, an emptied dataset."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from currigraph.build.pipeline import run_build
from currigraph.project import Project
from currigraph.serving.engine import Job
from currigraph.serving.workers import WorkerPool
from tests.live import copy_project, running

ASK = "ASK { ?s ?p ?o }"


def children(pid: int) -> list[int]:
    """The process ids whose parent is pid (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def workers_of(server) -> list[int]:
    """The query workers of a live server (its children that opened the store)."""
    return [pid for pid in children(server.process.pid) if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def health(server) -> tuple[int, dict]:
    status, _, body = server.request("GET", "/health")
    return status, json.loads(body)


def wait_for(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("faults") / "p")
    assert run_build(Project(root)).written
    return root


def test_an_idle_worker_killed_by_the_os_is_replaced_before_it_gets_work(built: Path) -> None:
    with running(built) as server:
        assert wait_for(lambda: len(workers_of(server)) == 2)
        for pid in workers_of(server):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
        for _ in range(4):  # every query is answered: dead workers are noticed and replaced, not handed a job
            status, _, body = server.request("GET", "/sparql?query=" + quote(ASK))
            assert status == 200 and b"true" in body, body
        assert wait_for(lambda: health(server)[1].get("workers") == 2)


def test_workers_killed_while_starting_are_started_again(built: Path) -> None:
    pool = WorkerPool(built / "build" / "oxigraph", 2)
    try:
        import multiprocessing

        starting: list = []
        deadline = time.monotonic() + 10
        while not starting and time.monotonic() < deadline:  # the pool starts its workers in the background
            starting = multiprocessing.active_children()
            time.sleep(0.005)
        assert starting and not pool.idle_now()  # caught while starting: none has opened the store yet
        for process in starting:
            process.kill()
        assert pool.wait_ready(60), pool.status()
        answer = pool.run(Job(text=ASK, format=("json",)), 30)
        assert answer.status == 200 and b"true" in answer.body
        assert wait_for(lambda: pool.status()["workers"] == 2)
    finally:
        pool.close()


def test_a_deleted_store_is_reported_and_rebuilt(built: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    with running(root) as server:
        for item in (root / "build" / "oxigraph").iterdir():
            item.unlink() if item.is_file() else shutil.rmtree(item)
        status, facts = health(server)
        assert status == 503 and "gone" in facts["message"]
        killed = workers_of(server)
        for pid in killed:  # workers that had the store open keep old files; new ones cannot open it
            os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: not any(Path(f"/proc/{pid}/cmdline").exists() and Path(f"/proc/{pid}/cmdline").read_bytes()
                                        for pid in killed), 10)  # gone (a zombie's cmdline is empty)
        began = time.monotonic()
        status, _, body = server.request("GET", "/sparql?query=" + quote(ASK), timeout=120)
        assert status == 503 and b"store" in body and time.monotonic() - began < 60, body  # the reason, not a 300 s wait
    result = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and "up to date" not in result.stderr + result.stdout, result.stderr
    assert (root / "build" / "oxigraph" / "CURRENT").is_file()


def test_an_emptied_dataset_file_means_a_full_build(built: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "p"
    shutil.copytree(built, root, symlinks=True)
    expected = json.loads((root / "build" / "manifest.json").read_text())["triples"]
    (root / "build" / "dataset.nq").write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and "full build" in result.stdout, result.stdout + result.stderr
    assert (root / "build" / "dataset.nq").stat().st_size > 0
    with running(root, "--no-rebuild") as server:
        status, facts = health(server)
        assert status == 200 and facts["triples"] == expected
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        rows = json.loads(server.request("GET", "/sparql?query=" + quote(count))[2])
        assert int(rows["results"]["bindings"][0]["n"]["value"]) == expected  # what /health says is what is served
