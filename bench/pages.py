"""What a person meets at catalogue scale: every page kind, search, /compare, VoID, exports and each named query.

Run: .venv/bin/python bench/pages.py [--programmes 100,1000,10000] [--repeat 20]
For each size, `currigraph serve` runs over a build of data/ plus that many generated programmes; every URL is
asked once right after start (first) and then `--repeat` times (warm: median and p99; the answer cache and ETags
are what a warm server has). Exports are asked with and without `Accept-Encoding: gzip`. Target (issue "Catalogue
scale for people"): every page and named query at its defaults ≤ 300 ms median warm and ≤ 1 s p99 at 10,000 programmes.
"""

import argparse
import http.client
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

from common import grown_project

from currigraph.named_queries import load_queries
from tests.live import start, stop

BASE = "https://data.currigraph.org/"
KINDS = {"programme": "cg:Programme", "course": "cg:Course", "organisation": "cg:Organisation", "person": "cg:Person",
         "pillar": "cg:Pillar", "source": "cg:SourceDocument"}


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, int, float]:
    """(status, body bytes, seconds) of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    began = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body), time.perf_counter() - began
    finally:
        conn.close()


def example_paths(port: int) -> dict[str, str]:
    """One resource of each kind, as a local path (the largest programme, so that its page is the heaviest)."""
    paths = {}
    for kind, cls in KINDS.items():
        order = "ORDER BY DESC(COUNT(?c)) ?r" if kind == "programme" else "ORDER BY ?r"
        query = (f"PREFIX cg: <https://data.currigraph.org/ontology#> SELECT ?r WHERE {{ ?r a {cls} OPTIONAL {{ ?r cg:hasCourse ?c }} "
                 f"FILTER(STRSTARTS(STR(?r), \"{BASE}\")) }} GROUP BY ?r {order} LIMIT 1")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.request("GET", "/sparql?query=" + quote(query), headers={"Accept": "application/sparql-results+json"})
        rows = json.loads(conn.getresponse().read())["results"]["bindings"]
        conn.close()
        if rows:
            paths[kind] = urlsplit(rows[0]["r"]["value"]).path
    return paths


def urls(port: int, project: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """What to ask: label -> (path, headers)."""
    table: dict[str, tuple[str, dict[str, str]]] = {"home": ("/", {"Accept": "text/html"})}
    for kind, path in example_paths(port).items():
        table[f"{kind} page"] = (path, {"Accept": "text/html"})
    table["programme as Turtle"] = (table.get("programme page", ("/", {}))[0], {"Accept": "text/turtle"})
    table |= {"search ?q=learning": ("/search?q=learning", {"Accept": "text/html"}),
              "compare": ("/compare", {"Accept": "text/html"}),
              "ontology": ("/ontology", {"Accept": "text/html"}),
              "VoID": ("/.well-known/void", {"Accept": "text/turtle"}),
              "API list": ("/api/queries", {"Accept": "application/json"}),
              "export Turtle": ("/export?format=turtle", {}),
              "export Turtle, gzip": ("/export?format=turtle", {"Accept-Encoding": "gzip"})}
    for name in load_queries(project / "queries"):
        table[f"query {name}"] = (f"/api/queries/{name}", {"Accept": "application/json"})
    return table


def measure(port: int, table: dict[str, tuple[str, dict[str, str]]], repeat: int) -> list[tuple[str, int, int, float, float, float]]:
    """(label, status, size, first s, warm median s, warm p99 s) for each URL."""
    rows = []
    for label, (path, headers) in table.items():
        status, size, first = get(port, path, headers)
        warm = sorted(get(port, path, headers)[2] for _ in range(repeat))
        p99 = warm[min(len(warm) - 1, round(0.99 * len(warm)) - 1)]
        rows.append((label, status, size, first, statistics.median(warm), p99))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"# Pages at catalogue scale ({date.today()}, {platform.machine()}, {os.cpu_count()} cores)\n")
    print(f"Command: `.venv/bin/python bench/pages.py --programmes {args.programmes} --repeat {args.repeat}`\n")
    for programmes in (int(n) for n in args.programmes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            project, how = grown_project(Path(tmp) / "p", programmes)
            server = start(project, "--no-rebuild")
            try:
                rows = measure(server.port, urls(server.port, project), args.repeat)
            finally:
                stop(server)
        met = sum(1 for *_, median, p99 in rows if median <= 0.3 and p99 <= 1.0)
        print(f"## {how}\n")
        print("| URL | status | size (KB) | first (ms) | warm median (ms) | warm p99 (ms) |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, status, size, first, median, p99 in rows:
            print(f"| {label} | {status} | {size / 1024:.0f} | {first * 1000:.0f} | {median * 1000:.1f} | {p99 * 1000:.1f} |")
        print(f"\n{met} of {len(rows)} URLs within 300 ms median and 1 s p99 warm.\n")


if __name__ == "__main__":
    main()
