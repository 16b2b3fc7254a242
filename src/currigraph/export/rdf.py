"""Exports of the built graph in the RDF syntaxes rdflib writes, asserted and inferred kept selectable."""

from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph

from currigraph.build.loading import load_dataset
from currigraph.build.manifest import GRAPH_KINDS
from currigraph.formats import JSON_LD, Format
from currigraph.vocab import CG, PREFIXES, bind_prefixes


def jsonld_context(ontology: Graph | None = None, base: str | None = None) -> dict[str, object]:
    """The project's JSON-LD context: prefixes, short keys for the ontology's terms and the schema.org terms used.

    Inline wherever it is used (nothing is fetched to read an export); the server publishes it at /context.jsonld.
    """
    terms: dict[str, object] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    if base:
        terms["data"] = base
    kinds = ((OWL.Class, False), (OWL.NamedIndividual, False), (OWL.ObjectProperty, True), (OWL.DatatypeProperty, False))
    for kind, is_link in kinds:
        for term in sorted((ontology or Graph()).subjects(RDF.type, kind)):
            if str(term).startswith(str(CG)):
                local = str(term)[len(str(CG)):]
                terms[local] = {"@id": f"cg:{local}", "@type": "@id"} if is_link else f"cg:{local}"
    for local in ("name", "description", "alternateName", "inLanguage", "honorificSuffix", "jobTitle", "keywords"):
        terms.setdefault(local, f"schema:{local}")
    for local in ("hasCourse", "provider", "programPrerequisites", "about", "funder", "funding", "mentions"):
        terms.setdefault(local, {"@id": f"schema:{local}", "@type": "@id"})
    terms.update({"label": "rdfs:label", "prefLabel": "skos:prefLabel", "inScheme": {"@id": "skos:inScheme", "@type": "@id"}})
    return terms


def serialise(dataset: Dataset, fmt: Format, base: str | None = None, ontology: Graph | None = None) -> str:
    """Serialise a dataset: named graphs kept in TriG and N-Quads, merged for triple syntaxes."""
    if fmt.keeps_graphs:
        return dataset.serialize(format=fmt.rdflib)
    merged = bind_prefixes(Graph(), base)
    for graph in dataset.graphs():
        for triple in graph:
            merged.add(triple)
    if fmt is JSON_LD:
        return merged.serialize(format="json-ld", context=jsonld_context(ontology, base), auto_compact=True, indent=2)
    return merged.serialize(format=fmt.rdflib)


def export_build(build_dir: Path, fmt: Format, graphs: str, ontology: Graph | None = None) -> str:
    """Serialise the chosen graphs of a build ('asserted', 'inferred' or 'all')."""
    dataset = load_dataset(build_dir, GRAPH_KINDS[graphs])
    base = next((str(ns) for prefix, ns in dataset.namespaces() if prefix == "data"), None)
    return serialise(dataset, fmt, base, ontology)


def write_jsonld(nquads: str, target: str, context: dict[str, object], base: str) -> None:
    """Write the triples of an N-Quads file as JSON-LD compacted against a context (inline: nothing to fetch)."""
    import json

    from currigraph.files import atomic_file

    dataset = Dataset()
    dataset.parse(nquads, format="nquads")
    merged = bind_prefixes(Graph(), base)
    for s, p, o, _ in dataset.quads():
        merged.add((s, p, o))
    document = json.loads(merged.serialize(format="json-ld", context=context, auto_compact=True, indent=2))
    document["@context"] = context
    with atomic_file(Path(target)) as handle:
        handle.write(json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8"))
