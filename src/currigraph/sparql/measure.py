"""Find where pyoxigraph's worker crashes (stack overflow) for each recursive or large SPARQL construct, and time the parser.

Run with `python -m currigraph.sparql.measure [--evaluate] [--max N]`. Each probe runs pyoxigraph in a child
process (so the crash is the child's), and a binary search finds the smallest size that kills it. The numbers
found are recorded in docs/sparql-limits.md and guide the defaults of currigraph.sparql.limits.
`python -m currigraph.sparql.measure --parse-time` times parse + inspection on the named queries (queries/*.rq).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable

_TRIPLE = "?s <http://e/p> ?o"

def _nest(open_: str, inner: str, close: str, n: int) -> str:
    return open_ * n + inner + close * n

# name -> (kind, builder). kind is "query" or "update"; builders make a text whose measure is n.
PROBES: dict[str, tuple[str, Callable[[int], str]]] = {
    "nested { }": ("query", lambda n: "SELECT * WHERE " + _nest("{ ", _TRIPLE, " }", n)),
    "nested ( ) in an expression": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + " FILTER(" + _nest("(", "?o", ")", n) + ") }"),
    "nested OPTIONAL": ("query", lambda n: "SELECT * WHERE { " + _nest(_TRIPLE + " OPTIONAL { ", _TRIPLE, " }", n) + " }"),
    "nested UNION": ("query", lambda n: "SELECT * WHERE { " + _nest("{ ", _TRIPLE, " } UNION { " + _TRIPLE + " }", n) + " }"),
    "nested sub-SELECT": ("query", lambda n: "SELECT * WHERE { " + _nest("{ SELECT * WHERE { ", _TRIPLE, " } }", n) + " }"),
    "nested FILTER EXISTS": ("query", lambda n: "SELECT * WHERE { " + _nest(_TRIPLE + " FILTER EXISTS { ", _TRIPLE, " }", n) + " }"),
    "nested MINUS": ("query", lambda n: "SELECT * WHERE { " + _nest(_TRIPLE + " MINUS { ", _TRIPLE, " }", n) + " }"),
    "nested GRAPH": ("query", lambda n: "SELECT * WHERE { " + _nest("GRAPH ?g { ", _TRIPLE, " }", n) + " }"),
    "nested ( ) in a path": ("query", lambda n: "SELECT * WHERE { ?s " + _nest("(", "<http://e/p>", ")", n) + " ?o }"),
    "nested path ^ and *": ("query", lambda n: "SELECT * WHERE { ?s " + _nest("(^", "<http://e/p>", ")*", n) + " ?o }"),
    "nested collection ( )": ("query", lambda n: "SELECT * WHERE { ?s <http://e/p> " + _nest("(", "1", ")", n) + " }"),
    "nested [ ] property list": ("query", lambda n: "SELECT * WHERE { ?s <http://e/p> " + _nest("[ <http://e/p> ", "1", " ]", n) + " }"),
    "nested function calls": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + " FILTER(" + _nest("STR(", "?o", ")", n) + ") }"),
    "flat collection items": ("query", lambda n: "SELECT * WHERE { ?s <http://e/p> (" + " ".join(["?o"] * n) + ") }"),
    "flat INSERT DATA triples": ("update", lambda n: "INSERT DATA { "
                                 + " ".join(f"<http://e/s{i}> <http://e/p> {i} ." for i in range(n)) + " }"),
    "flat UNION": ("query", lambda n: "SELECT * WHERE { " + " UNION ".join(["{ " + _TRIPLE + " }"] * n) + " }"),
    "flat FILTER": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + " FILTER(?o != 1)" * n + " }"),
    "flat OPTIONAL": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + (" OPTIONAL { " + _TRIPLE + " }") * n + " }"),
    "flat MINUS": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + (" MINUS { " + _TRIPLE + " }") * n + " }"),
    "flat { } groups": ("query", lambda n: "SELECT * WHERE { " + ("{ " + _TRIPLE + " } ") * n + " }"),
    "flat || chain": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + " FILTER(" + " || ".join(["?o = 1"] * n) + ") }"),
    "flat + chain": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + " FILTER(" + " + ".join(["?o"] * n) + " = 1) }"),
    "flat path sequence /": ("query", lambda n: "SELECT * WHERE { ?s " + "/".join(["<http://e/p>"] * n) + " ?o }"),
    "flat path alternative |": ("query", lambda n: "SELECT * WHERE { ?s " + "|".join(["<http://e/p>"] * n) + " ?o }"),
    "flat triple patterns": ("query", lambda n: "SELECT * WHERE { " + " . ".join(f"?s <http://e/p> ?o{i}" for i in range(n)) + " }"),
    "flat BIND": ("query", lambda n: "SELECT * WHERE { " + _TRIPLE + "".join(f" BIND(1 AS ?b{i})" for i in range(n)) + " }"),
    "flat SELECT expressions": ("query", lambda n: "SELECT " + " ".join(f"(1 AS ?a{i})" for i in range(n)) + " WHERE { }"),
    "flat GROUP BY expressions": ("query", lambda n: "SELECT (COUNT(*) AS ?c) WHERE { } GROUP BY "
                                  + " ".join(f"(1 AS ?a{i})" for i in range(n))),
    "flat DESCRIBE IRIs": ("query", lambda n: "DESCRIBE " + " ".join(f"<http://e/{i}>" for i in range(n))),
    "flat HAVING conditions": ("query", lambda n: "SELECT (COUNT(*) AS ?c) WHERE { } HAVING " + "(true) " * n),
    "update: nested { } in WHERE": ("update", lambda n: "DELETE { ?s ?p ?o } WHERE " + _nest("{ ", "?s ?p ?o", " }", n)),
    "update: nested FILTER EXISTS": ("update", lambda n: "DELETE { ?s ?p ?o } WHERE { "
                                     + _nest(_TRIPLE + " FILTER EXISTS { ", _TRIPLE, " }", n) + " }"),
    "update: nested collection in INSERT DATA": ("update", lambda n: "INSERT DATA { <http://e/s> <http://e/p> "
                                                 + _nest("(", "1", ")", n) + " }"),
    "update: flat operations ;": ("update", lambda n: " ; ".join(["CLEAR DEFAULT"] * n)),
    "update: flat UNION": ("update", lambda n: "DELETE { ?s ?p ?o } WHERE { " + " UNION ".join(["{ " + _TRIPLE + " }"] * n) + " }"),
}

_CHILD = """
import sys, pyoxigraph as ox
kind, evaluate = sys.argv[1], sys.argv[2] == "1"
text = sys.stdin.read()
store = ox.Store()
try:
    if kind == "query":
        result = store.query(text)
        if evaluate and not isinstance(result, bool):
            list(result)
    else:
        store.update(text)
except SyntaxError:
    sys.exit(3)
"""

def probe(kind: str, text: str, evaluate: bool, timeout: float) -> str:
    """Run one text in a child: 'ok', 'syntax', 'crash' (killed by a signal), 'timeout' or 'error'."""
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, kind, "1" if evaluate else "0"], input=text.encode(),
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    if proc.returncode < 0:
        return "crash"
    return {0: "ok", 3: "syntax"}.get(proc.returncode, "error")

def threshold(kind: str, build: Callable[[int], str], evaluate: bool, top: int, timeout: float) -> tuple[int | None, str]:
    """Smallest n in [1, top] whose text crashes the child (binary search), or None when top does not."""
    verdict = probe(kind, build(top), evaluate, timeout)
    if verdict != "crash":
        return None, verdict
    low, high = 1, top  # low never crashes (assumed), high crashes
    while high - low > 1:
        mid = (low + high) // 2
        if probe(kind, build(mid), evaluate, timeout) == "crash":
            high = mid
        else:
            low = mid
    return high, "crash"

def parse_times(paths: list[str], repeat: int = 200) -> list[tuple[str, int, float, float]]:
    """(name, characters, our parse + inspection time, pyoxigraph's Store().query() time) in ms, best of `repeat`."""
    import pyoxigraph

    from currigraph.sparql import inspect_query

    rows = []
    store = pyoxigraph.Store()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        ours = theirs = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            inspect_query(text)
            ours = min(ours, time.perf_counter() - start)
            start = time.perf_counter()
            store.query(text)
            theirs = min(theirs, time.perf_counter() - start)
        rows.append((path.rsplit("/", 1)[-1], len(text), ours * 1000, theirs * 1000))
    return rows


def main() -> None:
    """Print the crash threshold of every probe."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evaluate", action="store_true", help="also evaluate the query on an empty store")
    parser.add_argument("--max", type=int, default=200_000, help="largest size tried")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", default="", help="run the probes whose name contains this")
    parser.add_argument("--skip", type=int, default=0, help="skip the first N probes")
    parser.add_argument("--stop", type=int, default=len(PROBES), help="stop before probe N")
    parser.add_argument("--parse-time", action="store_true", help="time the parser on queries/*.rq instead")
    parser.add_argument("--times", default="", help="comma-separated sizes: time pyoxigraph on each probe at these sizes")
    args = parser.parse_args()
    if args.parse_time:
        import glob

        rows = parse_times(sorted(glob.glob("queries/*.rq")))
        for name, size, ours, theirs in rows:
            print(f"{name:36s} {size:5d} chars  ours {ours:.3f} ms  pyoxigraph query() {theirs:.3f} ms")
        print(f"mean: ours {sum(r[2] for r in rows) / len(rows):.3f} ms, pyoxigraph {sum(r[3] for r in rows) / len(rows):.3f} ms")
        return
    import pyoxigraph

    print(f"pyoxigraph {pyoxigraph.__version__}, evaluate={args.evaluate}, max={args.max}", flush=True)
    for name, (kind, build) in list(PROBES.items())[args.skip:args.stop]:
        if args.only not in name:
            continue
        if args.times:
            shown = []
            for size in (int(n) for n in args.times.split(",")):
                start = time.monotonic()
                verdict = probe(kind, build(size), args.evaluate, args.timeout)
                shown.append(f"{size}: {verdict} {time.monotonic() - start:.2f} s")
            print(f"{name:45s} " + ", ".join(shown), flush=True)
            continue
        start = time.monotonic()
        n, verdict = threshold(kind, build, args.evaluate, args.max, args.timeout)
        shown = f"crashes at {n}" if n else f"no crash up to {args.max} ({verdict})"
        print(f"{name:45s} {shown:40s} [{time.monotonic() - start:.0f} s]", flush=True)

if __name__ == "__main__":
    main()
