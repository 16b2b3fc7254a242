"""The RDF namespaces the project uses, and a helper that binds their prefixes."""

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

CG = Namespace("https://data.currigraph.org/ontology#")
SCHEMA = Namespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace] = {
    "cg": CG,
    "schema": SCHEMA,
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "sh": SH,
}


def bind_prefixes(graph: Graph, base: str | None = None) -> Graph:
    """Bind the project's prefixes (and `base:` when given) on a graph or dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    if base:
        graph.bind("data", Namespace(base), override=True, replace=True)
    return graph


def sparql_prologue(base: str | None = None) -> str:
    """PREFIX lines for queries, so named queries and users share one set of prefixes."""
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()]
    if base:
        lines.append(f"PREFIX data: <{base}>")
    return "\n".join(lines) + "\n"
