"""The door under load: 64 clients for 60 s against `currigraph serve` with its defaults, a mixed workload.

Run: .venv/bin/python bench/load.py [--programmes 100] [--clients 64] [--seconds 60]
Most clients send small queries (the named queries at their defaults, and short SELECTs); some send the hostile
requests of tests/hostile.py (SERVICE tricks, deep nesting, bad IRIs, alias bombs...), each of which has a right
answer; two send runaway queries (a five-way cross join) that run into the time limit. The table gives, per kind,
the requests answered, the unintended answers (a status the request should not get: any 5xx but a runaway's 503,
or a hostile request answered otherwise than its case says) and latency percentiles. The target (issue "The door
holds"): 0 unintended answers, and p99 of small queries under 2 s on a 2-core machine. A loopback listener counts
connections the server opens on a query's behalf (it must stay at 0).
"""

import argparse
import http.client
import os
import platform
import random
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

from common import grown_project

from currigraph.named_queries import bind_text, load_queries
from tests.hostile import ALL as HOSTILE
from tests.hostile import Listener
from tests.live import start, stop

RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
SMALL = ["SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 10",
         "ASK { ?s a <https://data.currigraph.org/ontology#Programme> }",
         "SELECT ?c ?name WHERE { ?c a <https://data.currigraph.org/ontology#Course> ; <http://schema.org/name> ?name } LIMIT 20"]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of the values, nearest rank; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


class Tally:
    """Answers per kind of request: latencies and unintended answers (thread-safe)."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {"small": [], "hostile": [], "runaway": []}
        self.unintended: dict[str, list[str]] = {"small": [], "hostile": [], "runaway": []}
        self.lock = threading.Lock()

    def add(self, kind: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if problem:
                self.unintended[kind].append(problem)


def request(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def small_client(port: int, queries: list[str], stop_at: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < stop_at:
        text = rng.choice(queries)
        began = time.monotonic()
        try:
            status, body = request(port, "GET", "/sparql?query=" + quote(text), None, {"Accept": "application/sparql-results+json"}, 120)
            problem = None if status == 200 else f"{status}: {body[:120]!r}"
        except OSError as err:
            problem = f"connection: {err}"
        tally.add("small", time.monotonic() - began, problem)


def hostile_client(port: int, listener: Listener, stop_at: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < stop_at:
        case = rng.choice(HOSTILE)
        method, path, body, headers = case.request(listener.url)
        began = time.monotonic()
        try:
            status, answer = request(port, method, path, body, headers, 120)
            problem = None if status in case.statuses else f"{case.name}: {status}: {answer[:120]!r}"
        except OSError as err:
            problem = f"{case.name}: connection: {err}"
        tally.add("hostile", time.monotonic() - began, problem)


def runaway_client(port: int, stop_at: float, tally: Tally) -> None:
    while time.monotonic() < stop_at:
        began = time.monotonic()
        try:
            status, body = request(port, "GET", "/sparql?query=" + quote(RUNAWAY), None, {}, 300)
            problem = None if status in (200, 503) else f"{status}: {body[:120]!r}"  # stopped at its limit: intended
        except OSError as err:
            problem = f"connection: {err}"
        tally.add("runaway", time.monotonic() - began, problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=100)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--hostile-clients", type=int, default=6)
    parser.add_argument("--runaway-clients", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project, note = grown_project(Path(tmp) / "p", args.programmes)
        named = [bind_text(q, {}) for q in load_queries(project / "queries").values()]
        listener = Listener()
        server = start(project, "--no-rebuild")
        try:
            tally = Tally()
            stop_at = time.monotonic() + args.seconds
            smalls = args.clients - args.hostile_clients - args.runaway_clients
            threads = [threading.Thread(target=small_client, args=(server.port, named + SMALL, stop_at, tally, i)) for i in range(smalls)]
            threads += [threading.Thread(target=hostile_client, args=(server.port, listener, stop_at, tally, i))
                        for i in range(args.hostile_clients)]
            threads += [threading.Thread(target=runaway_client, args=(server.port, stop_at, tally)) for _ in range(args.runaway_clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            stop(server)
            listener.close()
    print(f"\n### Load: {args.clients} clients for {args.seconds:g} s ({smalls} small, {args.hostile_clients} hostile, "
          f"{args.runaway_clients} runaway), {note}\n")
    print(f"{date.today()}, {platform.machine()}, {os.cpu_count()} cores; `currigraph serve` with its defaults\n")
    print("| requests | answered | unintended | median (ms) | p95 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("small", "hostile", "runaway"):
        times = tally.latencies[kind]
        median = statistics.median(times) * 1000 if times else float("nan")
        print(f"| {kind} | {len(times)} | {len(tally.unintended[kind])} | {median:.1f} | "
              f"{percentile(times, 0.95) * 1000:.1f} | {percentile(times, 0.99) * 1000:.1f} |")
    print(f"\nconnections the server opened on a request's behalf: {listener.connections}")
    for kind, problems in tally.unintended.items():
        for problem in problems[:5]:
            print(f"- unintended ({kind}): {problem}")


if __name__ == "__main__":
    main()
