"""SHACL validation of large graphs: the shapes compiled to SPARQL queries that pyoxigraph runs.

pyshacl (validate.py) is the reference and stays so: tests/test_validation_differential.py checks that both
report the same results. pyshacl walks the data graph node by node in Python and re-parses a SPARQL
constraint for every focus node, which costs minutes at tens of thousands of programmes; here each
constraint is one query over the whole store. Only the part of SHACL Core the shapes in shapes/ use is
compiled (targets by class, subjects and objects of a property; predicate, inverse and alternative paths;
counts, datatype, class, pattern, sh:or of datatypes, value ranges, sh:in, and SPARQL SELECT constraints);
shapes that use anything else raise Unsupported, and the caller falls back to pyshacl.
"""

import re
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

from currigraph.terms import to_rdflib
from currigraph.validation.report import Lines, Problem, Report
from currigraph.vocab import RDF_TYPE as TYPE
from currigraph.vocab import SCHEMA

RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
RDF_TYPE = f"<{TYPE}>"
# The SHACL terms this compiler understands; a shapes graph with any other sh: predicate is refused.
UNDERSTOOD = {SH[t] for t in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "property", "path", "minCount", "maxCount",
                              "datatype", "class", "pattern", "flags", "or", "minInclusive", "minExclusive", "maxInclusive",
                              "maxExclusive", "in", "severity", "message", "name", "description", "sparql", "select",
                              "alternativePath", "inversePath", "order", "group")}
# How a literal of each datatype is recognised as well-formed (pyshacl also rejects ill-typed literals).
WELL_FORMED = {
    str(XSD.string): "isLiteral({v}) && datatype({v}) = xsd:string",
    str(RDF.langString): "isLiteral({v}) && lang({v}) != \"\"",
    str(XSD.integer): "isLiteral({v}) && datatype({v}) = xsd:integer && isNumeric({v})",
    str(XSD.decimal): "isLiteral({v}) && datatype({v}) = xsd:decimal && isNumeric({v})",
    str(XSD.boolean): "isLiteral({v}) && datatype({v}) = xsd:boolean && str({v}) IN (\"true\", \"false\", \"1\", \"0\")",
}
PROLOGUE = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


class Unsupported(Exception):
    """The shapes use SHACL this compiler does not handle: validate with pyshacl instead."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows (?this, maybe ?value) are the violations, and how to report them."""

    query: str
    shape: Node
    component: str
    path: Node | None
    message: str
    severity: str
    has_value: bool


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"a blank node where a term is expected: {node}")


def _path(shapes: Graph, path: Node) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path(shapes, inverse)}"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    raise Unsupported(f"path {path}")


def _targets(shapes: Graph, shape: Node) -> str | None:
    """The SPARQL pattern that binds ?this to every focus node of a node shape."""
    parts = [f"{{ ?this {RDF_TYPE}/{RDFS_SUBCLASS}* {_term(c)} }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?this {_term(p)} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ [] {_term(p)} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    if not parts:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def _instances(cls: Node, value: str = "?value") -> str:
    """The pattern matching instances of a class or of its subclasses, as SHACL defines sh:class."""
    return f"{value} {RDF_TYPE}/{RDFS_SUBCLASS}* {_term(cls)}"


def _value_test(shapes: Graph, constraint: Node, value: str = "?value", classes: bool = True) -> list[tuple[str, str]]:
    """(component, SPARQL expression true when the value conforms) for each value-level constraint of a shape."""
    tests = []
    for datatype in shapes.objects(constraint, SH.datatype):
        if str(datatype) not in WELL_FORMED:
            raise Unsupported(f"sh:datatype {datatype}")
        tests.append(("DatatypeConstraintComponent", WELL_FORMED[str(datatype)].format(v=value)))
    for cls in shapes.objects(constraint, SH["class"]) if classes else ():
        tests.append(("ClassConstraintComponent", f"EXISTS {{ {_instances(cls, value)} }}"))
    for pattern in shapes.objects(constraint, SH.pattern):
        flags = shapes.value(constraint, SH.flags)
        args = f"{Literal(str(pattern)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
        tests.append(("PatternConstraintComponent", f"!isBlank({value}) && COALESCE(regex(str({value}), {args}), false)"))
    for name, op in (("minInclusive", ">="), ("minExclusive", ">"), ("maxInclusive", "<="), ("maxExclusive", "<")):
        for bound in shapes.objects(constraint, SH[name]):
            component = name[0].upper() + name[1:] + "ConstraintComponent"
            tests.append((component, f"COALESCE({value} {op} {_term(bound)}, false)"))
    for members in shapes.objects(constraint, SH["in"]):
        options = " || ".join(f"sameTerm({value}, {_term(m)})" for m in Collection(shapes, members))
        tests.append(("InConstraintComponent", f"({options or 'false'})"))
    for alternatives in shapes.objects(constraint, SH["or"]):
        options = []
        for option in Collection(shapes, alternatives):
            if set(shapes.predicates(option)) - {SH.datatype, SH["class"], SH.pattern, SH["in"]}:
                raise Unsupported("sh:or of anything but datatype, class, pattern or sh:in shapes")
            options.append("(" + " && ".join(test for _, test in _value_test(shapes, option, value)) + ")")
        tests.append(("OrConstraintComponent", "(" + " || ".join(options) + ")"))
    return tests


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of the shapes as a query; Unsupported if the shapes use SHACL this does not compile."""
    unknown = {p for p in shapes.predicates() if str(p).startswith(str(SH)) and p not in UNDERSTOOD}
    if unknown:
        raise Unsupported(", ".join(sorted(str(p) for p in unknown)))
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = _targets(shapes, shape)
        if targets is None:
            continue
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        checks += _node_checks(shapes, shape, targets, severity)
        for prop in shapes.objects(shape, SH.property):
            checks += _property_checks(shapes, prop, targets)
    return checks


def _message(shapes: Graph, shape: Node, default: str) -> str:
    return str(shapes.value(shape, SH.message) or default)


def _node_checks(shapes: Graph, shape: Node, targets: str, severity: str) -> list[Check]:
    checks = []
    for constraint in shapes.objects(shape, SH.sparql):
        select = str(shapes.value(constraint, SH.select))
        split = re.search(r"\bSELECT\b", select, re.I)
        if split is None:
            raise Unsupported("sh:sparql without SELECT")
        prologue, body = select[: split.start()], select[split.start():].replace("$this", "?this")
        query = f"{prologue}SELECT DISTINCT ?this ?value WHERE {{ {targets} {{ {body} }} }}"
        checks.append(Check(query, shape, "SPARQLConstraintComponent", None,
                            _message(shapes, constraint, _message(shapes, shape, "SPARQL constraint")), severity, True))
    for component, test in _value_test(shapes, shape, "?this"):
        query = f"{PROLOGUE}SELECT DISTINCT ?this WHERE {{ {targets} FILTER (!({test})) }}"
        checks.append(Check(query, shape, component, None, _message(shapes, shape, component), severity, False))
    return checks


def _property_checks(shapes: Graph, prop: Node, targets: str) -> list[Check]:
    path_node = shapes.value(prop, SH.path)
    if path_node is None:
        raise Unsupported(f"property shape {prop} without sh:path")
    path = _path(shapes, path_node)
    severity = str(shapes.value(prop, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
    checks = []

    def add(query: str, component: str, default: str, has_value: bool = False) -> None:
        checks.append(Check(PROLOGUE + query, prop, component, path_node, _message(shapes, prop, default), severity, has_value))

    minimum = shapes.value(prop, SH.minCount)
    if minimum is not None and int(minimum) > 0:
        if int(minimum) == 1:
            add(f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {path} ?v }} }}", "MinCountConstraintComponent",
                f"Less than {minimum} values")
        else:
            add(f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {path} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(minimum)})", "MinCountConstraintComponent",
                f"Less than {minimum} values")
    maximum = shapes.value(prop, SH.maxCount)
    if maximum is not None and int(maximum) == 1:
        # Two different terms is the same test as COUNT(DISTINCT) > 1, streamed instead of grouped over every focus node.
        add(f"SELECT DISTINCT ?this WHERE {{ {targets} ?this {path} ?v . ?this {path} ?w FILTER (!sameTerm(?v, ?w)) }}",
            "MaxCountConstraintComponent", f"More than {maximum} values")
    elif maximum is not None:
        add(f"SELECT ?this WHERE {{ {targets} ?this {path} ?v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(maximum)})",
            "MaxCountConstraintComponent", f"More than {maximum} values")
    for cls in shapes.objects(prop, SH["class"]):
        # pyoxigraph evaluates a FILTER EXISTS over a path once per row, at a cost that grows with the graph (54 s for the
        # pillars of 200,000 courses); as a MINUS of all instances it is one pass: the distinct values that are not
        # instances, then their focus nodes.
        values = f"{{ SELECT DISTINCT ?value WHERE {{ {targets} ?this {path} ?value }} }}"
        failing = f"{{ SELECT DISTINCT ?value WHERE {{ {values} MINUS {{ {_instances(cls)} }} }} }}"
        add(f"SELECT DISTINCT ?this ?value WHERE {{ {failing} {targets} ?this {path} ?value }}", "ClassConstraintComponent",
            "Value does not conform to ClassConstraintComponent", True)
    for component, test in _value_test(shapes, prop, classes=False):
        add(f"SELECT DISTINCT ?this ?value WHERE {{ {targets} ?this {path} ?value FILTER (!({test})) }}", component,
            f"Value does not conform to {component}", True)
    return checks


_COMPILED: "weakref.WeakKeyDictionary[Graph, list[Check] | None]" = weakref.WeakKeyDictionary()
_COMPILING = threading.Lock()


def compiled(shapes: Graph) -> list[Check] | None:
    """The checks of a shapes graph, compiled once per graph object; None when only pyshacl can validate them."""
    with _COMPILING:
        if shapes not in _COMPILED:
            try:
                _COMPILED[shapes] = compile_shapes(shapes)
            except Unsupported:
                _COMPILED[shapes] = None
        return _COMPILED[shapes]


def validate_graphs(graphs: list[Graph], shapes: Graph, lines: Lines | None = None) -> Report:
    """Validate the union of small graphs: compiled checks when the shapes allow, else pyshacl (the reference)."""
    checks = compiled(shapes)
    if checks is None:
        from currigraph.validation.shacl import validate

        data = Graph()
        for graph in graphs:
            data += graph
        return validate(data, shapes, lines)
    return validate_store(to_store(graphs), checks, lines)


def to_store(graphs: list[Graph], store: ox.Store | None = None) -> ox.Store:
    """A pyoxigraph store (by default a new in-memory one) holding the graphs, each as a named graph if it has an IRI."""
    store = store if store is not None else ox.Store()
    for graph in graphs:
        name = ox.NamedNode(str(graph.identifier)) if isinstance(graph.identifier, URIRef) else ox.DefaultGraph()
        text = graph.serialize(format="nt", encoding="utf-8")
        store.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
    return store


def _violations(store: ox.Store, check: Check) -> list[ox.QuerySolution]:
    return list(store.query(check.query, use_default_graph_as_union=True))  # type: ignore[arg-type]


def validate_store(store: ox.Store, checks: list[Check], lines: Lines | None = None, threads: int = 1) -> Report:
    """Run the compiled checks over the union of the store's graphs; the same Report as validate.validate.

    With threads > 1 the checks run side by side (pyoxigraph releases the GIL while it evaluates a query).
    """
    problems = find_problems(store, checks, lines, threads)
    return report_of(problems, names_of(store, {p.focus for p in problems}))


def find_problems(store: ox.Store, checks: list[Check], lines: Lines | None = None, threads: int = 1) -> list[Problem]:
    """Every result of the checks over the union of the store's graphs, sorted by focus node, path and message."""
    lines = lines or {}
    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(lambda check: _violations(store, check), checks))
    else:
        results = [_violations(store, check) for check in checks]
    problems = []
    for check, rows in zip(checks, results, strict=True):
        for row in rows:
            focus = to_rdflib(row["this"])
            value = to_rdflib(row["value"]) if check.has_value else None
            where = lines.get((focus, check.path)) if isinstance(check.path, URIRef) else None
            problems.append(Problem(focus, check.path, value, check.message, check.severity, where,  # type: ignore[arg-type]
                                    check.shape, check.component))
    problems.sort(key=problem_order)
    return problems


def problem_order(problem: Problem) -> tuple[str, str, str]:
    """The order reports list problems in: by focus node, then path, then message."""
    return str(problem.focus), str(problem.path), problem.message


def report_of(problems: list[Problem], names: dict[Node, str]) -> Report:
    """A report of these problems: it conforms when none is a violation (its SHACL graph is made when asked for)."""
    return Report(not any(p.severity == "Violation" for p in problems), problems, None, names)


def names_of(store: ox.Store, nodes: set[Node | None]) -> dict[Node, str]:
    """The schema:name of each node in the union of the store's graphs ("" when it has none)."""
    iris = " ".join(f"<{n}>" for n in nodes if isinstance(n, URIRef))
    names: dict[Node, str] = {n: "" for n in nodes if n is not None}
    if iris:
        query = f"SELECT ?n ?name WHERE {{ VALUES ?n {{ {iris} }} ?n <{SCHEMA.name}> ?name }}"
        for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            names[URIRef(row["n"].value)] = row["name"].value
    return names
