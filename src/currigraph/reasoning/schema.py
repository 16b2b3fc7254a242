"""What the ontology's own OWL 2 RL closure says about classes and properties, as lookup tables for the fast paths.

owlrl computes the schema part of the closure once, on the ontology alone; the instance rules of every fast path
(worklist, rules, in_store, delta) read their premises from these tables.
"""

from collections import defaultdict

from rdflib import OWL, RDF, RDFS, Graph
from rdflib.term import Node

from currigraph.reasoning.reference import infer

# Predicates and classes whose presence in the data means it states schema: then only owlrl is right.
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass, OWL.equivalentProperty,
                      OWL.inverseOf, OWL.sameAs, OWL.propertyChainAxiom, OWL.hasKey, OWL.onProperty, OWL.someValuesFrom,
                      OWL.allValuesFrom, OWL.hasValue, OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf,
                      OWL.disjointWith, OWL.propertyDisjointWith, OWL.maxCardinality, OWL.maxQualifiedCardinality}
SCHEMA_TYPES = {OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.FunctionalProperty,
                 OWL.InverseFunctionalProperty, OWL.SymmetricProperty, OWL.TransitiveProperty, OWL.AsymmetricProperty,
                 OWL.IrreflexiveProperty, OWL.Restriction, OWL.AllDisjointClasses, OWL.AllDifferent, OWL.NegativePropertyAssertion}


class Schema:
    """What the ontology's own closure says about classes and properties, as lookup tables."""

    def __init__(self, ontology: Graph) -> None:
        closed = Graph()
        for triple in ontology:
            closed.add(triple)
        for triple in infer(ontology, []):
            closed.add(triple)
        self.closed = closed
        self.superclasses: dict[Node, set[Node]] = defaultdict(set)
        self.superproperties: dict[Node, set[Node]] = defaultdict(set)
        self.domains: dict[Node, set[Node]] = defaultdict(set)
        self.ranges: dict[Node, set[Node]] = defaultdict(set)
        self.inverses: dict[Node, set[Node]] = defaultdict(set)
        for s, o in closed.subject_objects(RDFS.subClassOf):
            self.superclasses[s].add(o)
        for s, o in closed.subject_objects(RDFS.subPropertyOf):
            self.superproperties[s].add(o)
        for s, o in closed.subject_objects(RDFS.domain):
            self.domains[s].add(o)
        for s, o in closed.subject_objects(RDFS.range):
            self.ranges[s].add(o)
        for s, o in closed.subject_objects(OWL.inverseOf):
            self.inverses[s].add(o)
            self.inverses[o].add(s)
        self.symmetric = set(closed.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(closed.subjects(RDF.type, OWL.TransitiveProperty))
        functional = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty)
        self.functional = {s for kind in functional for s in closed.subjects(RDF.type, kind)}
        self.has_keys = bool(set(closed.subjects(OWL.hasKey, None)))
        self.restrictions = bool(set(closed.subjects(RDF.type, OWL.Restriction)))
        self.chains = bool(set(closed.subjects(OWL.propertyChainAxiom, None)))

    def supported(self) -> bool:
        """True when the instance rules here cover everything the ontology can make owlrl derive."""
        return not (self.functional or self.has_keys or self.restrictions or self.chains)

    def states_schema(self, graph: Graph) -> bool:
        """True when instance data makes schema statements of its own."""
        if any(True for p in SCHEMA_PREDICATES for _ in graph.triples((None, p, None))):
            return True
        return any(True for t in SCHEMA_TYPES for _ in graph.triples((None, RDF.type, t)))
