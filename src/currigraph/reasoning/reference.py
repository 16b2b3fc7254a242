"""OWL 2 RL reasoning with owlrl's semantics; the inferred triples are kept apart and cleaned of noise."""

from collections.abc import Iterable

import owlrl
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from currigraph.vocab import bind_prefixes

_BUILTIN = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_REFLEXIVE_NOISE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}


def is_builtin(iri: str) -> bool:
    """True for an IRI of RDF, RDFS, OWL or XSD themselves (statements about them are noise)."""
    return iri.startswith(_BUILTIN)


def is_noise(triple: tuple) -> bool:
    """Inferences that help nobody: about the built-in vocabularies, literal subjects, x sameAs x, owl:Thing."""
    s, p, o = triple
    if isinstance(s, Literal):
        return True
    if isinstance(s, URIRef) and is_builtin(str(s)):
        return True
    if p in _REFLEXIVE_NOISE and s == o:
        return True
    if p == RDF.type and o in (OWL.Thing, RDFS.Resource, OWL.NamedIndividual):
        return True
    if p in (RDFS.subClassOf, RDFS.domain, RDFS.range) and o in (OWL.Thing, RDFS.Resource):
        return True
    return False


def _noise_filter() -> str:
    """is_noise as a SPARQL expression over ?s ?p ?o (for inferences made inside the store)."""
    def iris(nodes: Iterable[URIRef]) -> str:
        return ", ".join(f"<{n}>" for n in sorted(nodes))

    builtin = " || ".join(f'STRSTARTS(STR(?s), "{prefix}")' for prefix in _BUILTIN)
    return (f"(isIRI(?s) && ({builtin}))"
            f" || (?p IN ({iris(_REFLEXIVE_NOISE)}) && sameTerm(?s, ?o))"
            f" || (?p = <{RDF.type}> && ?o IN ({iris((OWL.Thing, RDFS.Resource, OWL.NamedIndividual))}))"
            f" || (?p IN ({iris((RDFS.subClassOf, RDFS.domain, RDFS.range))}) && ?o IN ({iris((OWL.Thing, RDFS.Resource))}))")


NOISE_FILTER = _noise_filter()


def infer(ontology: Graph, asserted: Iterable[Graph]) -> Graph:
    """The OWL 2 RL closure of ontology plus asserted data, minus what was asserted and minus noise."""
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    for graph in asserted:
        for triple in graph:
            closure.add(triple)
    before = set(closure)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = bind_prefixes(Graph())
    for triple in closure:
        if triple not in before and not is_noise(triple):
            inferred.add(triple)
    return inferred

