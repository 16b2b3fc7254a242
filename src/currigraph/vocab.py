"""The RDF namespaces the project uses, and a helper that binds their prefixes."""

from rdflib import Graph, Namespace, URIRef
from rdflib import namespace as vocabularies


class TermNamespace(Namespace):
    """A Namespace that makes each of its terms once: converters look the same few terms up millions of times."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # not a term: copy, pickle and friends probe these
            raise AttributeError(name)
        term = self.term(name)
        self.__dict__[name] = term
        return term


CG = TermNamespace("https://data.currigraph.org/ontology#")
SCHEMA = TermNamespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
# The W3C vocabularies, as cached namespaces (rdflib's own check each name on every access).
RDF = TermNamespace(str(vocabularies.RDF))
RDFS = TermNamespace(str(vocabularies.RDFS))
XSD = TermNamespace(str(vocabularies.XSD))
OWL = TermNamespace(str(vocabularies.OWL))
PROV = TermNamespace(str(vocabularies.PROV))
DCTERMS = TermNamespace(str(vocabularies.DCTERMS))
SKOS = TermNamespace(str(vocabularies.SKOS))

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
