"""Validating what a change can affect: which focus nodes may get other results, and the triples they are judged on.

Each compiled check (validate_fast) judges a focus node by a bounded neighbourhood of it: its types and the
values of its property paths, the types of those values (sh:class), and for a SPARQL constraint the triples
its patterns reach from $this. Together the shapes give a footprint: a tree of edges (direction and predicate,
or any predicate) from a focus node, each edge read by some check. From it follow both halves of an incremental
validation:

- affected(): a changed triple read by an edge at depth d matters only to the focus nodes d edges back from it,
  found by walking the footprint backwards from the triple in the new data;
- gather(): the triples a set of focus nodes is judged on, found by walking it forwards, asserted graphs only
  (validation never sees inferences).

Checks run on those triples plus the ontology give each of these focus nodes exactly the results a validation
of everything would. A footprint that cannot be bounded (a SPARQL constraint with a subquery, a path of any
length, patterns not connected to $this, GRAPH or SERVICE) raises Unsupported: the build validates everything.
tests/test_build_delta.py compares incremental and full builds on many kinds of change.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.paths import AlternativePath, InvPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from currigraph.terms import OxTerm
from currigraph.validation.compiled import Unsupported
from currigraph.vocab import RDF_TYPE

BATCH = 2000  # nodes per VALUES block


@dataclass(frozen=True)
class Edge:
    """One step from a node: along a predicate (None: any) to its object (forward) or from its subject (backward)."""

    forward: bool
    predicate: str | None


@dataclass
class Reach:
    """What checks read from a node: the edges they follow, and what they read at the other end of each."""

    steps: dict[Edge, "Reach"] = field(default_factory=dict)

    def step(self, forward: bool, predicate: str | None) -> "Reach":
        """The node reached along an edge (the same one each time the edge is asked for)."""
        return self.steps.setdefault(Edge(forward, predicate), Reach())

    def paths(self, trail: tuple[Edge, ...] = ()) -> Iterator[tuple[tuple[Edge, ...], Edge]]:
        """Every edge of the tree with the edges that lead to it from the focus node."""
        for edge, child in self.steps.items():
            yield trail, edge
            yield from child.paths((*trail, edge))


def footprint(shapes: Graph) -> Reach:
    """The edges the compiled checks of these shapes read from a focus node (Unsupported when unbounded)."""
    root = Reach()
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = [*shapes.objects(shape, SH.targetClass), *shapes.objects(shape, SH.targetSubjectsOf),
                   *shapes.objects(shape, SH.targetObjectsOf)]
        if not targets:
            continue
        if any(True for _ in shapes.objects(shape, SH.targetClass)):
            root.step(True, RDF_TYPE)
        for p in shapes.objects(shape, SH.targetSubjectsOf):
            root.step(True, str(p))
        for p in shapes.objects(shape, SH.targetObjectsOf):
            root.step(False, str(p))
        if _reads_types(shapes, shape):
            root.step(True, RDF_TYPE)
        for constraint in shapes.objects(shape, SH.sparql):
            _sparql_reach(str(shapes.value(constraint, SH.select)), root)
        for prop in shapes.objects(shape, SH.property):
            ends = _path_ends(shapes, shapes.value(prop, SH.path), root, True)
            if _reads_types(shapes, prop):
                for end in ends:
                    end.step(True, RDF_TYPE)
    return root


def _reads_types(shapes: Graph, constraint: object) -> bool:
    """True when a shape tests the class of its values (sh:class, also inside sh:or)."""
    if any(True for _ in shapes.objects(constraint, SH["class"])):
        return True
    return any(_reads_types(shapes, option) for alternatives in shapes.objects(constraint, SH["or"])
               for option in Collection(shapes, alternatives))


def _path_ends(shapes: Graph, path: object, at: Reach, forward: bool) -> list[Reach]:
    """The nodes a SHACL path leads to from `at` (predicate, inverse and alternative paths, as validate_fast compiles)."""
    if isinstance(path, URIRef):
        return [at.step(forward, str(path))]
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return _path_ends(shapes, inverse, at, not forward)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return [end for option in Collection(shapes, alternatives) for end in _path_ends(shapes, option, at, forward)]
    raise Unsupported(f"path {path}")


Pattern = tuple[object, str | None, object]  # subject, predicate (None: any), object of one triple pattern


def _sparql_reach(select: str, root: Reach) -> None:
    """Add what a SPARQL constraint's patterns read from $this: each pattern from its end nearer to $this."""
    try:
        algebra = prepareQuery(select).algebra
    except Exception as err:  # the query compiler and pyshacl report bad SPARQL; here it only means "unbounded"
        raise Unsupported(f"SPARQL constraint: {err}") from None
    patterns: list[Pattern] = []
    for s, p, o in _triples(algebra):
        patterns.extend(_expand(s, p, o))
    this = Variable("this")
    depth, reach = {this: 0}, {this: root}
    frontier = [this]
    pending = list(patterns)
    while frontier:  # breadth first: each node gets its depth and its place in the footprint tree
        following = []
        for node in frontier:
            for s, p, o in pending:
                if s == node and o not in depth:
                    depth[o], reach[o] = depth[node] + 1, reach[node].step(True, p)
                    following.append(o)
                elif o == node and s not in depth:
                    depth[s], reach[s] = depth[node] + 1, reach[node].step(False, p)
                    following.append(s)
        frontier = following
    for s, p, o in pending:
        if s not in depth or o not in depth:
            raise Unsupported("a SPARQL constraint reads triples not connected to $this")
        if depth[s] <= depth[o]:
            reach[s].step(True, p)
        else:
            reach[o].step(False, p)


def _triples(node: object) -> Iterator[tuple[object, object, object]]:
    """Every triple pattern in a query's algebra, in EXISTS filters too; Unsupported for subqueries, GRAPH, SERVICE."""
    if isinstance(node, CompValue):
        # A subquery (ToMultiSet) is evaluated on its own, over all the data; GRAPH and SERVICE read other datasets.
        if node.name in ("ToMultiSet", "ServiceGraphPattern", "Graph"):
            raise Unsupported(f"SPARQL constraint with {node.name}")
        for key, value in node.items():
            if key == "triples":
                for triple in value:
                    yield tuple(triple)  # type: ignore[misc]
            else:
                yield from _triples(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _triples(item)


def _expand(s: object, p: object, o: object) -> list[Pattern]:
    """A triple pattern with a property path as simple patterns (sequences through fresh nodes)."""
    if isinstance(p, URIRef):
        return [(s, str(p), o)]
    if isinstance(p, Variable):
        return [(s, None, o)]
    if isinstance(p, InvPath):
        return _expand(o, p.arg, s)
    if isinstance(p, AlternativePath):
        return [pattern for option in p.args for pattern in _expand(s, option, o)]
    if isinstance(p, SequencePath):
        patterns, start = [], s
        for i, step in enumerate(p.args):
            end = o if i == len(p.args) - 1 else BNode()
            patterns += _expand(start, step, end)
            start = end
        return patterns
    if isinstance(p, NegatedPath):
        return [(s, None, o), (o, None, s)]
    if isinstance(p, Path):
        raise Unsupported(f"SPARQL constraint with a path of any length: {p}")
    raise Unsupported(f"SPARQL constraint with predicate {p!r}")


def _values(nodes: Iterable[OxTerm]) -> Iterator[str]:
    """VALUES blocks of at most BATCH nodes (IRIs only: SPARQL cannot name a blank node of the store)."""
    batch: list[str] = []
    for node in nodes:
        if not isinstance(node, ox.NamedNode):
            raise Unsupported(f"a blank node among the nodes to check again: {node}")
        batch.append(str(node))
        if len(batch) == BATCH:
            yield " ".join(batch)
            batch = []
    if batch:
        yield " ".join(batch)


def affected(store: ox.Store, reach: Reach, changed: Iterable[tuple[OxTerm, ox.NamedNode, OxTerm]]) -> set[OxTerm]:
    """The focus nodes whose results a change of these triples can change (in the store as it is after the change)."""
    triples = list(changed)
    found: set[OxTerm] = set()
    for trail, edge in reach.paths():
        near = {(s if edge.forward else o) for s, p, o in triples if edge.predicate is None or p.value == edge.predicate}
        nodes = {n for n in near if not isinstance(n, ox.Literal)}
        for back in reversed(trail):
            if not nodes:
                break
            nodes = _previous(store, nodes, back)
        found |= nodes
    return found


def _previous(store: ox.Store, nodes: set[OxTerm], edge: Edge) -> set[OxTerm]:
    """The nodes from which this edge leads to one of the nodes (in any graph: reading more is safe)."""
    p = f"<{edge.predicate}>" if edge.predicate else "?p"
    pattern = "?y {p} ?x" if edge.forward else "?x {p} ?y FILTER (!isLiteral(?y))"
    found: set[OxTerm] = set()
    for values in _values(nodes):
        query = f"SELECT DISTINCT ?y WHERE {{ VALUES ?x {{ {values} }} {pattern.format(p=p)} }}"
        found.update(row["y"] for row in store.query(query, use_default_graph_as_union=True))  # type: ignore[union-attr,index]
    return found


def gather(store: ox.Store, reach: Reach, focus: set[OxTerm], exclude: ox.NamedNode) -> list[ox.Triple]:
    """The asserted triples (every graph but `exclude`) the checks read from these focus nodes."""
    out: set[ox.Triple] = set()
    _gather(store, reach, focus, exclude, out)
    return sorted(out, key=str)


def _gather(store: ox.Store, reach: Reach, nodes: set[OxTerm], exclude: ox.NamedNode, out: set[ox.Triple]) -> None:
    nodes = {n for n in nodes if not isinstance(n, ox.Literal)}
    if not nodes or not reach.steps:
        return
    forward = [e for e in reach.steps if e.forward]
    outgoing: list[ox.Triple] = []
    by_predicate: dict[str, list[ox.Triple]] = {}
    if forward:  # a node's own statements, of the predicates read here (a pillar is derived from thousands of sources)
        wanted = None if any(e.predicate is None for e in forward) else sorted({e.predicate for e in forward if e.predicate})
        only = f" FILTER (?p IN ({', '.join(f'<{p}>' for p in wanted)}))" if wanted else ""
        outgoing = _fetch(store, nodes, "?x ?p ?y" + only, exclude)
        for triple in outgoing:
            by_predicate.setdefault(triple.predicate.value, []).append(triple)
    for edge, child in reach.steps.items():
        if edge.forward:
            read = outgoing if edge.predicate is None else by_predicate.get(edge.predicate, [])
            ends = {t.object for t in read}
        else:  # statements pointing at a node can be many (every course of a pillar): fetch only the predicate asked for
            p = f"<{edge.predicate}>" if edge.predicate else "?p"
            read = _fetch(store, nodes, f"?y {p} ?x", exclude, edge.predicate)
            ends = {t.subject for t in read}
        out.update(read)
        _gather(store, child, ends, exclude, out)  # type: ignore[arg-type]


def _fetch(store: ox.Store, nodes: set[OxTerm], pattern: str, exclude: ox.NamedNode, predicate: str | None = None) -> list[ox.Triple]:
    """The triples matching `?x ?p ?y` or `?y <p> ?x` for the nodes as ?x, from every graph but `exclude`."""
    triples = []
    bound = ox.NamedNode(predicate) if predicate else None
    for values in _values(nodes):
        query = f"SELECT DISTINCT ?x ?p ?y WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ {pattern} }} FILTER (?g != {exclude}) }}"
        for row in store.query(query):  # type: ignore[union-attr]
            p = bound or row["p"]  # type: ignore[index]
            x, y = row["x"], row["y"]  # type: ignore[index]
            triples.append(ox.Triple(x, p, y) if pattern.startswith("?x") else ox.Triple(y, p, x))  # type: ignore[arg-type]
    return triples


__all__ = ["Edge", "Reach", "affected", "footprint", "gather"]
