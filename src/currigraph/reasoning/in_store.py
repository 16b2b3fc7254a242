"""Reasoning inside the pyoxigraph store: the instance rules as SPARQL updates, and settling the inferred graph.

reason_fast computes owlrl's closure with Python sets over rdflib terms, which is right but costs about
1 KB and a few microseconds per triple. Here the same rules run as a handful of SPARQL updates over the
build's store, in Rust: each rule is one INSERT whose VALUES table comes from the ontology's own closure
(reason_fast.Schema). Because a property's consequences (its superproperties, inverses, symmetry) do not
depend on the data, they are folded into tables first, so one pass over the asserted triples derives them
all, including those reached through a triple that would need a literal subject. Transitive properties
are iterated to a fixpoint. Data that states schema of its own, or an ontology outside the rules here,
goes to owlrl (reason.infer), the reference; tests/test_reasoning_differential.py compares both. The build
runs these updates only when an ontology's rules join triples (reason_rules derives the rest per document);
settle, which both share, finishes the inferred graph.
"""

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, Graph
from rdflib.term import Node

from currigraph.reasoning.reference import NOISE_FILTER, infer, is_noise
from currigraph.reasoning.schema import SCHEMA_PREDICATES, SCHEMA_TYPES, Schema
from currigraph.terms import sorted_ntriples, to_rdflib_triple
from currigraph.vocab import RDF_TYPE as TYPE

RDF_TYPE = f"<{TYPE}>"


def implications(schema: Schema) -> dict[Node, set[tuple[Node, bool]]]:
    """For each property p: every (q, flipped) such that s p o entails s q o (or o q s when flipped), p itself included."""
    properties = set(schema.superproperties) | set(schema.inverses) | schema.symmetric | set(schema.domains) | set(schema.ranges)
    table: dict[Node, set[tuple[Node, bool]]] = {}
    for start in properties - {RDF.type}:
        seen = {(start, False)}
        work = [(start, False)]
        while work:
            q, flipped = work.pop()
            steps = [(r, flipped) for r in schema.superproperties.get(q, ())]
            steps += [(r, not flipped) for r in schema.inverses.get(q, ())]
            if q in schema.symmetric:
                steps.append((q, not flipped))
            for step in steps:
                if step not in seen:
                    seen.add(step)
                    work.append(step)
        table[start] = seen
    return table


def _values(pairs: Iterable[tuple[Node, Node]]) -> str:
    return " ".join(f"(<{a}> <{b}>)" for a, b in sorted(set(pairs)))


def rule_updates(schema: Schema, inferred: str) -> tuple[list[str], list[str]]:
    """The SPARQL updates deriving the instance rules into <inferred>: property statements first, then types."""
    table = implications(schema)
    forward = [(p, q) for p, steps in table.items() for q, flipped in steps if not flipped and q != p]
    backward = [(p, q) for p, steps in table.items() for q, flipped in steps if flipped]
    subject_types = [(p, c) for p, steps in table.items() for q, flipped in steps
                     for c in (schema.ranges if flipped else schema.domains).get(q, ())]
    object_types = [(p, c) for p, steps in table.items() for q, flipped in steps
                    for c in (schema.domains if flipped else schema.ranges).get(q, ())]
    superclasses = [(c, d) for c, supers in schema.superclasses.items() for d in supers if c != d]
    into = f"GRAPH <{inferred}>"
    updates = []
    if forward:
        updates.append(f"INSERT {{ {into} {{ ?s ?q ?o }} }} WHERE {{ VALUES (?p ?q) {{ {_values(forward)} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    if backward:
        updates.append(f"INSERT {{ {into} {{ ?o ?q ?s }} }} WHERE {{ VALUES (?p ?q) {{ {_values(backward)} }} "
                       "GRAPH ?g { ?s ?p ?o } FILTER (!isLiteral(?o)) }")
    for p in sorted(schema.transitive):
        updates.append(f"INSERT {{ {into} {{ ?a <{p}> ?c }} }} WHERE {{ GRAPH ?g {{ ?a <{p}> ?b }} GRAPH ?h {{ ?b <{p}> ?c }} }}")
    types: list[str] = []
    if subject_types:
        types.append(f"INSERT {{ {into} {{ ?s {RDF_TYPE} ?c }} }} WHERE {{ SELECT DISTINCT ?s ?c WHERE {{ "
                     f"VALUES (?p ?c) {{ {_values(subject_types)} }} GRAPH ?g {{ ?s ?p ?o }} }} }}")
    if object_types:
        types.append(f"INSERT {{ {into} {{ ?o {RDF_TYPE} ?c }} }} WHERE {{ SELECT DISTINCT ?o ?c WHERE {{ "
                     f"VALUES (?p ?c) {{ {_values(object_types)} }} GRAPH ?g {{ ?s ?p ?o }} FILTER (!isLiteral(?o)) }} }}")
    if superclasses:
        types.append(f"INSERT {{ {into} {{ ?s {RDF_TYPE} ?d }} }} WHERE {{ VALUES (?c ?d) {{ {_values(superclasses)} }} "
                     f"GRAPH ?g {{ ?s {RDF_TYPE} ?c }} }}")
    return updates, types


def graph_size(store: ox.Store, graph: str) -> int:
    """The number of triples in one named graph of the store."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)  # type: ignore[arg-type,index]


def states_schema(store: ox.Store, ontology: ox.NamedNode) -> bool:
    """True when a graph other than the ontology makes schema statements of its own."""
    predicates = " ".join(f"<{p}>" for p in sorted(SCHEMA_PREDICATES))
    types = " ".join(f"<{t}>" for t in sorted(SCHEMA_TYPES))
    query = (f"ASK {{ GRAPH ?g {{ {{ VALUES ?p {{ {predicates} }} ?s ?p ?o }} UNION {{ VALUES ?t {{ {types} }} ?s {RDF_TYPE} ?t }} }} "
             f"FILTER (?g != {ontology}) }}")
    return bool(store.query(query))


def infer_in_store(store: ox.Store, ontology: Graph, ontology_graph: ox.NamedNode, inferred: ox.NamedNode,
                   schema: Schema | None = None) -> int:
    """Write owlrl's closure of the store's named graphs, less what they state and less noise, to <inferred>; its size."""
    schema = schema or Schema(ontology)
    if not schema.supported() or states_schema(store, ontology_graph):
        return _infer_with_owlrl(store, ontology, ontology_graph, inferred)
    properties, types = rule_updates(schema, inferred.value)
    size = -1
    while True:  # one pass without transitive properties; else until a pass derives nothing new
        for update in properties:
            store.update(update)
        if not schema.transitive or size == (size := graph_size(store, inferred.value)):
            break
    for update in types:
        store.update(update)
    # Noise (reason.is_noise, in SPARQL): the rules above do not leave it out as they derive.
    store.update(f"DELETE {{ GRAPH {inferred} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} FILTER ({NOISE_FILTER}) }}")
    return settle(store, schema, inferred)


def settle(store: ox.Store, schema: Schema, inferred: ox.NamedNode) -> int:
    """Add the ontology's own consequences to <inferred> (less noise), then drop what some graph states; its size."""
    ontology_consequences = Graph()
    for triple in schema.closed:
        if not is_noise(triple):
            ontology_consequences.add(triple)
    store.load(sorted_ntriples(ontology_consequences), format=ox.RdfFormat.N_TRIPLES, to_graph=inferred)
    # What some graph states is not an inference.
    store.update(f"DELETE {{ GRAPH {inferred} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} "
                 f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != {inferred}) }}")
    return graph_size(store, inferred.value)


def _infer_with_owlrl(store: ox.Store, ontology: Graph, ontology_graph: ox.NamedNode, inferred: ox.NamedNode) -> int:
    """owlrl over the store's graphs (the reference, for data beyond the fast rules)."""
    data = Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.graph_name not in (ontology_graph, inferred):
            data.add(to_rdflib_triple(quad))
    closure = infer(ontology, [data])
    store.load(sorted_ntriples(closure), format=ox.RdfFormat.N_TRIPLES, to_graph=inferred)
    return len(closure)


__all__ = ["graph_size", "implications", "infer_in_store", "rule_updates", "settle", "states_schema"]
