"""RDF terms between rdflib (parsing, SHACL, OWL tooling) and pyoxigraph (the store)."""

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: OxTerm | None) -> Node | None:
    """The rdflib term of a pyoxigraph term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: the same literal; rdflib writes it without a datatype
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_rdflib_triple(quad: ox.Quad) -> tuple[Node, Node, Node]:
    """The rdflib triple of a pyoxigraph quad (its graph dropped)."""
    return to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)  # type: ignore[return-value,arg-type]


class OxTerms:
    """rdflib terms as pyoxigraph terms, each IRI converted once (a corpus repeats a few thousand IRIs millions of times)."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        """The pyoxigraph IRI of a string."""
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, node: Node) -> OxTerm:
        """The pyoxigraph term of an rdflib term."""
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is not None:
                return ox.Literal(str(node), datatype=self.iri(str(node.datatype)))
            return ox.Literal(str(node))
        raise TypeError(f"not an RDF term: {node!r}")


def sorted_ntriples(graph: Graph) -> bytes:
    """A graph as N-Triples with its lines sorted: the same bytes on every run (rdflib iterates in hash order)."""
    return sorted_lines(graph.serialize(format="nt", encoding="utf-8"))


def sorted_lines(ntriples: bytes) -> bytes:
    """N-Triples or N-Quads with the lines sorted: loaded in this order, a store lists them the same way every run."""
    return b"".join(sorted(line for line in ntriples.splitlines(keepends=True) if line.strip()))
