"""Query speed: currigraph's server against Oxigraph's server and rdflib-endpoint, on the same data, in one run.

Run: .venv/bin/python bench/servers.py [--programmes 100,1000] [--repeat 15] [--seconds 10] [--clients 16]
Each server runs on 127.0.0.1 over the same dataset (default graph = union of the named graphs):
  currigraph   `currigraph serve` (waitress + query worker processes over pyoxigraph), its answer cache on (default)
  currigraph-cold  the same with `--no-cache`: every query runs
  oxigraph     `oxigraph serve-read-only --union-default-graph` (PyPI package oxigraph, Rust)
  rdflib       `rdflib-endpoint serve` (PyPI package rdflib-endpoint, uvicorn + rdflib)
Sequential: median latency of each named query (parameters at their defaults), the servers taking turns query by
query. Concurrent: N client threads POST the named queries round-robin for a fixed time; throughput is completed
requests per second. The time is split into rounds in which the servers take turns (first server rotating), so that
a slow spell of a shared, noisy machine falls on all of them rather than on whichever ran then.
"""

import argparse
import http.client
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from common import ROOT, grown_project

from currigraph.named_queries import bind_text, load_queries
from tests.live import free_port

BIN = Path(sys.executable).parent


class Peer:
    """A SPARQL server under test: its process and where it answers."""

    def __init__(self, name: str, command: list[str], port: int, path: str) -> None:
        self.name, self.port, self.path = name, port, path
        self.up = True
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def query(self, text: str, conn: http.client.HTTPConnection | None = None, timeout: float = 60) -> tuple[int, bytes]:
        """POST one query (form-encoded) and read the whole answer; a client-side time limit gives status 0."""
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("POST", self.path, body=urlencode({"query": text}),
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            return response.status, response.read()
        except TimeoutError:
            return 0, b""
        finally:
            if own:
                conn.close()

    def wait(self, timeout: float = 3600) -> float | None:
        """Wait until the server answers ASK {}; how long that took, or None when it died or never answered."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:  # exited, e.g. killed for want of memory while loading
                self.up = False
                return None
            try:
                if self.query("ASK {}")[0] == 200:
                    return time.monotonic() - start
            except OSError:
                time.sleep(0.05)
        self.up = False
        return None

    def stop(self) -> None:
        """Stop the server and its children."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def start_peers(project: Path, with_rdflib: bool = True) -> list[Peer]:
    """Start the servers over the project's build (rdflib-endpoint too unless told not to: it loads slowly)."""
    build = project / "build"
    oxi_store = build.parent / "oxigraph-peer"
    shutil.copytree(build / "oxigraph", oxi_store)
    peers = []
    port = free_port()
    peers.append(Peer("currigraph", [str(BIN / "currigraph"), "--project", str(project), "serve", "--no-rebuild", "--port", str(port),
                                     "--workers", "2", "--timeout", "60"], port, "/sparql"))
    port = free_port()
    peers.append(Peer("currigraph-cold", [str(BIN / "currigraph"), "--project", str(project), "serve", "--no-rebuild", "--port",
                                          str(port), "--workers", "2", "--timeout", "60", "--no-cache"], port, "/sparql"))
    port = free_port()
    peers.append(Peer("oxigraph", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi_store), "--bind", f"127.0.0.1:{port}",
                                   "--union-default-graph"], port, "/query"))
    if not with_rdflib:
        return peers
    port = free_port()
    peers.append(Peer("rdflib-endpoint", [str(BIN / "rdflib-endpoint"), "serve", str(build / "dataset.nq"), "--host", "127.0.0.1",
                                          "--port", str(port)], port, "/"))
    return peers


def sequential(peers: list[Peer], queries: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    """Median latency (ms) of each query on each server; the servers take turns at every repetition."""
    table: dict[str, dict[str, float]] = {}
    for name, text in queries.items():
        # down, failed or over the client's 60 s limit on a first try: not timed again
        timed = [p for p in peers if p.up and p.query(text)[0] == 200]
        times: dict[str, list[float]] = {p.name: [] for p in timed}
        for i in range(repeat):
            # rdflib-endpoint takes seconds per query on larger graphs: fewer repetitions keep the run bounded
            for peer in (p for p in timed if p.name != "rdflib-endpoint" or i < 3):
                start = time.perf_counter()
                status, _ = peer.query(text)
                times[peer.name].append((time.perf_counter() - start) * 1000 if status == 200 else float("nan"))
        table[name] = {p.name: statistics.median(times[p.name]) if p in timed else float("nan") for p in peers}
    return table


def throughput(peer: Peer, queries: list[str], clients: int, seconds: float) -> tuple[int, float]:
    """(completed requests, elapsed seconds) with `clients` concurrent clients sending for `seconds`."""
    done = [0] * clients
    stop_at = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=300)
        n = i
        while time.monotonic() < stop_at:
            try:
                status, _ = peer.query(queries[n % len(queries)], conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=300)
                continue
            if status == 200:
                done[i] += 1
            n += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), time.monotonic() - start


def rates(peers: list[Peer], queries: list[str], clients: int, seconds: float, rounds: int) -> dict[str, float]:
    """Requests per second of each server over `rounds` interleaved rounds (seconds in all per server)."""
    totals = {peer.name: [0, 0.0] for peer in peers}
    for r in range(rounds):
        for peer in peers[r % len(peers):] + peers[:r % len(peers)]:
            done, elapsed = throughput(peer, queries, clients, seconds / rounds)
            totals[peer.name][0] += done
            totals[peer.name][1] += elapsed
    return {name: done / elapsed for name, (done, elapsed) in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", default="100,1000", help="sizes: generated programmes added to data/")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds the throughput time is split into")
    parser.add_argument("--throughput-only", action="store_true", help="only currigraph and oxigraph, only throughput")
    parser.add_argument("--build-limit", type=int, default=10000,
                        help="larger sizes: a build of this many programmes grown N/limit-fold, IRIs renamed (common.replicate_build)")
    args = parser.parse_args()
    named = load_queries(ROOT / "queries")
    queries = {name: bind_text(q, {}) for name, q in named.items()}
    print(f"# SPARQL servers side by side ({date.today()}, {platform.machine()}, {os.cpu_count()} cores)\n")
    print(f"Command: `.venv/bin/python bench/servers.py --programmes {args.programmes} --repeat {args.repeat} "
          f"--seconds {args.seconds:g} --rounds {args.rounds} --clients {args.clients} --build-limit {args.build_limit}"
          + (" --throughput-only" if args.throughput_only else "") + "`\n")
    for programmes in (int(c) for c in args.programmes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            project, how = grown_project(Path(tmp) / "p", programmes, args.build_limit)
            print(f"({how})\n")
            quads = json.loads((project / "build" / "manifest.json").read_text())["triples"]
            peers = start_peers(project, with_rdflib=not args.throughput_only)
            try:
                ready = {p.name: p.wait() for p in peers}
                report(programmes, quads, peers, queries, ready, args)
            finally:
                for peer in peers:
                    peer.stop()


def report(programmes: int, quads: int, peers: list[Peer], queries: dict[str, str], ready: dict[str, float | None],
           args: argparse.Namespace) -> None:
    """Run both measurements and print their tables."""
    print(f"## data/ plus {programmes} generated programmes ({quads} quads)\n")
    print("Ready after start (s): " + ", ".join(f"{n} {s:.2f}" if s is not None else f"{n} never (it exited or did not answer)"
                                                 for n, s in ready.items()) + "\n")
    if args.throughput_only:
        rate = rates(peers, list(queries.values()), args.clients, args.seconds, args.rounds)
        print(f"Throughput with {args.clients} concurrent clients for {args.seconds:g} s in {args.rounds} rounds (requests/s): "
              + ", ".join(f"{n} {r:.2f}" for n, r in rate.items()))
        print(f"\ncurrigraph (cached) / oxigraph throughput: **{rate['currigraph'] / rate['oxigraph']:.2f}**; "
              f"currigraph (cold) / oxigraph: **{rate['currigraph-cold'] / rate['oxigraph']:.2f}**\n")
        return
    table = sequential(peers, queries, args.repeat)
    print("| query | currigraph cached (ms) | currigraph cold (ms) | oxigraph (ms) | rdflib-endpoint (ms) "
          "| cached / oxigraph | cold / oxigraph |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    ratios: dict[str, list[float]] = {"currigraph": [], "currigraph-cold": []}
    for name, row in table.items():
        for peer in ratios:
            ratios[peer].append(row[peer] / row["oxigraph"])
        print(f"| {name} | {row['currigraph']:.1f} | {row['currigraph-cold']:.1f} | {row['oxigraph']:.1f} | "
              f"{row['rdflib-endpoint']:.1f} | {ratios['currigraph'][-1]:.2f} | {ratios['currigraph-cold'][-1]:.2f} |")
    for peer, values in ratios.items():
        answered = [r for r in values if not math.isnan(r)]  # NaN breaks statistics.median's sort: leave it out, and say so
        median = f"{statistics.median(answered):.2f}" if answered else "–"
        print(f"\nMedian latency ratio {peer} / oxigraph over the {len(answered)} queries both answered: **{median}** "
              "(nan: the server failed the query or took over 60 s)")
    print()
    # A server that answered none of the queries within 60 s one at a time completes none under load either:
    # it is not given the window (its queries would only run into the client's time limit).
    answering = [p for p in peers if p.up and any(not math.isnan(row[p.name]) for row in table.values())]
    rate = {p.name: 0.0 for p in peers} | rates(answering, list(queries.values()), args.clients, args.seconds, args.rounds)
    print(f"Throughput with {args.clients} concurrent clients for {args.seconds:g} s in {args.rounds} rounds (requests/s): "
          + ", ".join(f"{n} {r:.1f}" if p in answering else f"{n} 0 (answered no query within 60 s: not loaded further)"
                      for p, (n, r) in zip(peers, rate.items(), strict=True)))
    slow = rate["rdflib-endpoint"]
    versus_rdflib = f"{rate['currigraph'] / slow:.1f}" if slow else "∞ (rdflib-endpoint completed none)"
    print(f"\ncurrigraph (cached) / oxigraph throughput: **{rate['currigraph'] / rate['oxigraph']:.2f}**; "
          f"currigraph (cold) / oxigraph: **{rate['currigraph-cold'] / rate['oxigraph']:.2f}**; "
          f"currigraph (cached) / rdflib-endpoint: **{versus_rdflib}**\n")


if __name__ == "__main__":
    main()
