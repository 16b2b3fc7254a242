"""Engine choice: rdflib's SPARQL engine against pyoxigraph on the named queries, same data, same process.

Run: .venv/bin/python bench/engines.py [--copies 1,50] [--repeat 5]
Data: build/dataset.nq (run `currigraph build` first), and the same graph replicated N times with renamed
IRIs, so that the engines are compared on more than a toy graph. Prints a Markdown table of median latencies.
"""

import argparse
import os
import platform
import statistics
from datetime import date

import pyoxigraph as ox
from common import ROOT, median_ms, replicated_nquads
from rdflib import Dataset

from currigraph.named_queries import bind_text, load_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,50")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    queries = load_queries(ROOT / "queries")
    print(f"# Engine comparison ({date.today()}, {platform.machine()}, {os.cpu_count()} cores)\n")
    print(f"Command: `.venv/bin/python bench/engines.py --copies {args.copies} --repeat {args.repeat}`\n")
    for copies in (int(c) for c in args.copies.split(",")):
        nquads = replicated_nquads(ROOT / "build" / "dataset.nq", copies)
        oxi = ox.Store()
        oxi.load(nquads.encode(), format=ox.RdfFormat.N_QUADS)
        rdf = Dataset(default_union=True)
        rdf.parse(data=nquads, format="nquads")
        print(f"## {copies} cop{'y' if copies == 1 else 'ies'} of data/ ({len(oxi)} quads)\n")
        print("| query | rdflib (ms) | pyoxigraph (ms) | rdflib / pyoxigraph |")
        print("|---|---:|---:|---:|")
        ratios = []
        for name, query in queries.items():
            text = bind_text(query, {})
            oxi_ms = median_ms(lambda t=text, s=oxi: list(s.query(t, use_default_graph_as_union=True)), args.repeat)
            try:
                rdflib_ms = median_ms(lambda t=text, d=rdf: list(d.query(t)), args.repeat)
            except Exception as err:  # rdflib's engine fails on some valid queries: that is a result too
                print(f"| {name} | fails: {type(err).__name__} | {oxi_ms:.2f} | – |")
                continue
            ratios.append(rdflib_ms / oxi_ms)
            print(f"| {name} | {rdflib_ms:.1f} | {oxi_ms:.2f} | {rdflib_ms / oxi_ms:.0f}× |")
        print(f"\nMedian ratio rdflib / pyoxigraph: **{statistics.median(ratios):.0f}×**\n")


if __name__ == "__main__":
    main()
