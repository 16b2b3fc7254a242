"""Exports of the built graph in the RDF syntaxes rdflib writes, asserted and inferred kept selectable."""

from pathlib import Path

from rdflib import Dataset, Graph

from currigraph.namespaces import PREFIXES, bind_prefixes
from currigraph.store import load_dataset

QUAD_FORMATS = {"trig", "nquads"}
GRAPH_KINDS = {"asserted": {"source", "published"}, "inferred": {"inferred"}, "all": {"source", "published", "ontology", "inferred"}}


def jsonld_context(base: str | None = None) -> dict[str, str]:
    """The JSON-LD context of the project's prefixes (inline: nothing is fetched to read it)."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    if base:
        context["data"] = base
    return context


def serialise(dataset: Dataset, fmt: str, base: str | None = None) -> str:
    """Serialise a dataset: named graphs kept in TriG and N-Quads, merged for triple syntaxes."""
    if fmt in QUAD_FORMATS:
        return dataset.serialize(format=fmt)
    merged = bind_prefixes(Graph(), base)
    for graph in dataset.graphs():
        for triple in graph:
            merged.add(triple)
    if fmt == "json-ld":
        return merged.serialize(format="json-ld", context=jsonld_context(base), auto_compact=True, indent=2)
    return merged.serialize(format=fmt)


def export_build(build_dir: Path, fmt: str, graphs: str) -> str:
    """Serialise the chosen graphs of a build ('asserted', 'inferred' or 'all')."""
    dataset = load_dataset(build_dir, GRAPH_KINDS[graphs])
    base = next((str(ns) for prefix, ns in dataset.namespaces() if prefix == "data"), None)
    return serialise(dataset, fmt, base)
