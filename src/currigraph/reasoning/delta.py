"""Keeping the inferred graph up to date when some asserted triples change, without reasoning over everything.

Under an ontology the rule tables cover (reason_rules: no transitive properties), every inferred triple about a
node follows from one asserted triple that touches the node: its own statements give its superproperty
statements, domains and superclasses; statements pointing at it give inverses and ranges. So when some triples
change, only the nodes they touch can gain or lose inferences, and each such node's inferred triples can be
derived again from what touches it now. That is done here inside the store, as a few SPARQL updates over the
rule tables with the nodes as a VALUES block; the ontology's own consequences about a node are put back with
them, and what some graph states is dropped, as reason_store.settle does for a whole build.
"""

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from currigraph.reasoning.reference import NOISE_FILTER, is_builtin, is_noise
from currigraph.reasoning.rules import Rules
from currigraph.reasoning.schema import Schema
from currigraph.terms import OxTerm, OxTerms
from currigraph.vocab import RDF_TYPE as TYPE

RDF_TYPE = f"<{TYPE}>"
BATCH = 2000  # nodes per VALUES block


def touched_nodes(triples: Iterable[tuple[OxTerm, ox.NamedNode, OxTerm]]) -> set[OxTerm]:
    """The nodes whose inferences a change of these triples can change: subjects and objects, less literals and built-ins."""
    nodes: set[OxTerm] = set()
    for s, _, o in triples:
        for node in (s, o):
            if isinstance(node, ox.BlankNode) or (isinstance(node, ox.NamedNode) and not is_builtin(node.value)):
                nodes.add(node)
    return nodes


def refresh(store: ox.Store, rules: Rules, schema: Schema, inferred: ox.NamedNode, nodes: set[OxTerm]) -> None:
    """Derive again, in the store's <inferred> graph, every inferred triple whose subject is one of the nodes."""
    updates = _updates(rules, inferred)
    consequences = _ontology_consequences(schema)
    for batch in _batches(sorted(nodes, key=str), BATCH):
        values = " ".join(str(n) for n in batch)
        for update in updates:
            store.update(update.replace("%NODES%", values))
        own = [ox.Quad(*t, inferred) for n in batch for t in consequences.get(n, ())]  # type: ignore[misc]
        if own:
            store.extend(own)
        # What some graph states is not an inference (settle does the same for a whole build).
        store.update(f"DELETE {{ GRAPH {inferred} {{ ?n ?p ?o }} }} WHERE {{ VALUES ?n {{ {values} }} "
                     f"GRAPH {inferred} {{ ?n ?p ?o }} GRAPH ?g {{ ?n ?p ?o }} FILTER (?g != {inferred}) }}")


def _updates(rules: Rules, inferred: ox.NamedNode) -> list[str]:
    """The updates for one VALUES block of nodes (%NODES%): drop their inferences, derive them again, drop noise.

    Each reads the nodes' triples in a subquery before joining the rule tables, and statements pointing at a node
    one bound predicate at a time: joined the other way round, pyoxigraph scans every statement of a predicate.
    """
    def pairs(items: Iterable[tuple[str, str]]) -> str:
        return " ".join(f"(<{a}> <{b}>)" for a, b in sorted(set(items)))

    props = rules.properties
    forward = pairs((p, q) for p, r in props.items() for q in r.forward)
    subject_types = pairs((p, c) for p, r in props.items() for c in r.subject_types)
    superclasses = pairs((c, d) for c, ds in rules.superclasses.items() for d in ds)
    backward = sorted({(p, q) for p, r in props.items() for q in r.backward})
    object_types = {p: r.object_types for p, r in sorted(props.items()) if r.object_types}
    into, nodes, asserted = f"GRAPH {inferred}", "VALUES ?n { %NODES% }", f"FILTER (?g != {inferred})"
    own = f"{{ SELECT DISTINCT ?n ?p ?o WHERE {{ {nodes} GRAPH ?g {{ ?n ?p ?o }} {asserted} }} }}"
    updates = [f"DELETE {{ {into} {{ ?n ?p ?o }} }} WHERE {{ {nodes} {into} {{ ?n ?p ?o }} }}"]
    if forward:
        updates.append(f"INSERT {{ {into} {{ ?n ?q ?o }} }} WHERE {{ {own} VALUES (?p ?q) {{ {forward} }} }}")
    if backward:
        branches = " UNION ".join(f"{{ {{ SELECT DISTINCT ?n ?s WHERE {{ {nodes} GRAPH ?g {{ ?s <{p}> ?n }} {asserted} }} }} "
                                  f"BIND (<{q}> AS ?q) }}" for p, q in backward)
        updates.append(f"INSERT {{ {into} {{ ?n ?q ?s }} }} WHERE {{ {branches} }}")
    if subject_types:
        updates.append(f"INSERT {{ {into} {{ ?n {RDF_TYPE} ?c }} }} WHERE {{ SELECT DISTINCT ?n ?c WHERE {{ {own} "
                       f"VALUES (?p ?c) {{ {subject_types} }} }} }}")
    if object_types:
        branches = " UNION ".join(f"{{ {nodes} FILTER EXISTS {{ GRAPH ?g {{ ?s <{p}> ?n }} {asserted} }} "
                                  f"VALUES ?c {{ {' '.join(f'<{c}>' for c in classes)} }} }}" for p, classes in object_types.items())
        updates.append(f"INSERT {{ {into} {{ ?n {RDF_TYPE} ?c }} }} WHERE {{ SELECT DISTINCT ?n ?c WHERE {{ {branches} }} }}")
    if superclasses:
        updates.append(f"INSERT {{ {into} {{ ?n {RDF_TYPE} ?d }} }} WHERE {{ {{ SELECT DISTINCT ?n ?c WHERE {{ {nodes} "
                       f"GRAPH ?g {{ ?n {RDF_TYPE} ?c }} {asserted} }} }} VALUES (?c ?d) {{ {superclasses} }} }}")
    # Noise (reason.is_noise, in SPARQL), which the per-document rules leave out as they derive.
    updates.append(f"DELETE {{ {into} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ %NODES% }} {into} {{ ?s ?p ?o }} "
                   f"FILTER ({NOISE_FILTER}) }}")
    return updates


def _ontology_consequences(schema: Schema) -> dict[OxTerm, list[tuple[OxTerm, ox.NamedNode, OxTerm]]]:
    """The ontology's own consequences (what settle adds to every build's inferred graph), by subject."""
    terms = OxTerms()
    by_subject: dict[OxTerm, list[tuple[OxTerm, ox.NamedNode, OxTerm]]] = {}
    for triple in schema.closed:
        if not is_noise(triple):
            s, p, o = (terms.term(t) for t in triple)
            by_subject.setdefault(s, []).append((s, p, o))  # type: ignore[arg-type]
    return by_subject


def _batches(items: list[OxTerm], size: int) -> Iterator[list[OxTerm]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["refresh", "touched_nodes"]
