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

from rdflib import RDF, Graph, Literal
from rdflib.term import Node

from currigraph.reasoning.reference import infer, is_noise
from currigraph.reasoning.schema import Schema
from currigraph.vocab import bind_prefixes


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


__all__ = ["infer_fast"]
