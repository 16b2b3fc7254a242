"""A fast path to the same OWL 2 RL closure as owlrl, for instance data under a fixed ontology.

owlrl applies every OWL 2 RL rule to every triple until nothing changes: correct, and about 0.5 ms per
triple. Our data never states schema (converters write instances only), so the schema part of the closure
can be computed once, with owlrl itself, on the ontology alone; what is left for the data are the
instance rules whose premises the ontology decides: cax-sco (subclasses), prp-spo1 (subproperties),
prp-dom and prp-rng (domains, ranges), prp-inv1/2 (inverses), prp-symp and prp-trp (symmetric and
transitive properties), applied with a work list until nothing new appears. When the data does state schema
(a subClassOf, an owl: construct, sameAs, ...), infer_fast hands the whole job to owlrl, the reference.
tests/test_reasoning_differential.py compares both on data/ and on generated corpora.
"""

from collections import defaultdict
from collections.abc import Iterable

from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.term import Node

from currigraph.reasoning.reference import infer, is_noise
from currigraph.vocab import bind_prefixes

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


def _closure(schema: Schema, data: set[tuple[Node, Node, Node]]) -> set[tuple[Node, Node, Node]]:
    """The instance rules, applied with a work list until nothing new is derived."""
    known = set(data)
    work = list(data)
    by_predicate: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))  # for transitive joins
    while work:
        s, p, o = work.pop()
        new: list[tuple[Node, Node, Node]] = []
        if p == RDF.type:
            new += [(s, RDF.type, c) for c in schema.superclasses.get(o, ())]
        else:
            new += [(s, q, o) for q in schema.superproperties.get(p, ())]
            new += [(s, RDF.type, c) for c in schema.domains.get(p, ())]
            new += [(o, RDF.type, c) for c in schema.ranges.get(p, ())]
            new += [(o, q, s) for q in schema.inverses.get(p, ())]
            if p in schema.symmetric:
                new.append((o, p, s))
            if p in schema.transitive:
                by_predicate[p][s].add(o)
                new += [(s, p, z) for z in list(by_predicate[p].get(o, ()))]
                new += [(x, p, o) for x, targets in list(by_predicate[p].items()) if s in targets]
        for triple in new:
            if triple not in known:
                known.add(triple)
                work.append(triple)
    return known


def infer_fast(ontology: Graph, asserted: Iterable[Graph], schema: Schema | None = None) -> Graph:
    """Exactly what currigraph.reasoning.reference.infer returns (owlrl's closure less input and noise), much faster."""
    graphs = list(asserted)
    schema = schema or Schema(ontology)
    if not schema.supported() or any(schema.states_schema(g) for g in graphs):
        return infer(ontology, graphs)
    data: set[tuple[Node, Node, Node]] = set()
    for graph in graphs:
        data.update(graph)
    closed = _closure(schema, data)
    given = data | set(ontology)
    inferred = bind_prefixes(Graph())
    for triple in closed:
        if triple not in given and not is_noise(triple) and not isinstance(triple[0], Literal):
            inferred.add(triple)
    for triple in schema.closed:  # the ontology's own consequences, as owlrl adds them to every closure
        if triple not in given and not is_noise(triple):
            inferred.add(triple)
    return inferred


__all__ = ["SCHEMA_PREDICATES", "SCHEMA_TYPES", "Schema", "infer_fast"]
