"""Validation of an ELM export against the official LOQ SHACL application profile, with pyshacl.

Two decisions, both forced by the profile as published (ELM 3, LOQ-constraints.ttl 1.1.0):

- The data graph is validated alone, without the ELM ontology mixed in (pyshacl's ont_graph). With it, SHACL
  targets every instance of a subclass too, and LOQ's closed superclass shapes reject what the subclass shapes
  require: each elm:Organisation would be judged by the closed AgentShape (which has no rov:legalName), each
  specification by the closed SpecificationShape (no elm:learningOutcome), so no record could conform.
  The export types every node with its exact ELM class, so no check depends on the class hierarchy.
- Two sh:pattern expressions (in three places) are written for Java's regex engine: a `(?i)` flag after `^` and nested
  character classes with `\\p{...}` properties, which Python's `re` (pyshacl) cannot compile. They are rewritten
  in memory to Python expressions that accept the same strings (JAVA_PATTERNS; the vendored file is untouched).

The profile deactivates one shape (sh:deactivated): LearningAchievementSpecificationShape, so LOQ does not check
learning achievement specifications. `include_deactivated=True` checks them too; such results are reported apart
(in_profile False) and never count against conformance.
"""

import time
from dataclasses import dataclass
from functools import cache

import pyshacl
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from currigraph.export.elm.terms import PREFIXES
from currigraph.export.elm.vocabulary import VENDOR

LOQ_SHAPES = VENDOR / "LOQ-constraints.ttl"

# Java form -> Python form. Java's nested class [[A-Fa-f0-9]\:\.] is the union of the inner class with ':' and
# '.'; [%[\p{L}\p{Nl}\p{Nd}]] is '%' with letters and numbers, a subset of Python's Unicode \w (which adds '_'
# and other numbers). These parts sit in optional groups of expressions anchored at the start only and never at
# the end, so what a value must match is the same in both forms: for the URL pattern, that it starts with
# "http:" or "https:" in any case; for the other two, nothing (every string matches).
_NESTED = (r"\[[[A-Fa-f0-9]\:\.]*[%[\p{L}\p{Nl}\p{Nd}]]*\]", r"\[[A-Fa-f0-9:.]*[%\w]*\]")
_URI_JAVA = r"^(([^:/?#]+):)?(//(([^@\[/?#]*)@)?(" + _NESTED[0] + r"|[^\[/?#:]*)(:(\d*(?:\{[^/]+?\})?))?)?([^?#]*)(\?([^#]*))?(#(.*))?"
_URL_JAVA = r"^(?i)(http|https):(//(([^@\[/?#]*)@)?(" + _NESTED[0] + r"|[^\[/?#:]*)(:(\d*(?:\{[^/]+?\})?))?)?([^?#]*)(\?([^#]*))?(#(.*))?"
JAVA_PATTERNS = {
    _URI_JAVA: _URI_JAVA.replace(_NESTED[0], _NESTED[1]),
    _URL_JAVA: "(?i)^" + _URL_JAVA[len("^(?i)"):].replace(_NESTED[0], _NESTED[1]),
}


@dataclass(frozen=True)
class LoqResult:
    """One result of the validation report."""

    severity: str  # Violation, Warning or Info
    focus: str
    path: str | None
    component: str  # the SHACL constraint component, e.g. MinCountConstraintComponent
    shape: str
    message: str
    value: str | None
    in_profile: bool = True  # False: from a shape the official profile deactivates (checked on request only)


@dataclass(frozen=True)
class LoqReport:
    """What pyshacl says of an ELM graph under the LOQ shapes."""

    conforms: bool
    violations: int
    warnings: int
    infos: int
    results: tuple[LoqResult, ...]
    seconds: float
    triples: int
    outside_profile: int = 0  # results of deactivated shapes, when they were checked


    def summary(self) -> str:
        """One line: conformance, counts and time."""
        verdict = "conforms to LOQ" if self.conforms else "does not conform to LOQ"
        apart = f" (and {self.outside_profile} result(s) of shapes the profile deactivates)" if self.outside_profile else ""
        return (f"{verdict}: {self.violations} violation(s), {self.warnings} warning(s), {self.infos} info(s){apart} "
                f"in {self.triples} triples, validated in {self.seconds:.2f} s")

    def text(self) -> str:
        """The summary and one line per result."""
        lines = [self.summary()]
        for r in self.results:
            if not r.in_profile:
                continue
            where = f" {r.path}" if r.path else ""
            value = f" (value {r.value})" if r.value is not None else ""
            lines.append(f"{r.severity}: {r.focus}{where}: {r.message}{value} [{r.component}]")
        return "\n".join(lines)


def python_patterns(shapes: Graph) -> Graph:
    """A copy of shapes whose Java-only sh:pattern expressions are replaced by their Python equivalents."""
    fixed = Graph()
    for prefix, namespace in shapes.namespaces():
        fixed.bind(prefix, namespace)
    for s, p, o in shapes:
        if p == SH.pattern and isinstance(o, Literal) and str(o) in JAVA_PATTERNS:
            o = Literal(JAVA_PATTERNS[str(o)])
        fixed.add((s, p, o))
    return fixed


@cache
def loq_shapes() -> Graph:
    """The vendored LOQ shapes, ready for pyshacl (parsed once per process)."""
    return python_patterns(Graph().parse(LOQ_SHAPES, format="turtle"))


def deactivated_shapes(shapes: Graph) -> set[Node]:
    """The shapes the profile deactivates, with the property shapes they hold."""
    found: set[Node] = set()
    for shape in shapes.subjects(SH.deactivated, Literal(True)):
        found.add(shape)
        found.update(shapes.objects(shape, SH.property))
    return found


def activated(shapes: Graph) -> Graph:
    """A copy of shapes with every shape active."""
    copy = Graph()
    for triple in shapes:
        if triple[1] != SH.deactivated:
            copy.add(triple)
    return copy


@cache
def _names() -> Graph:
    names = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        names.bind(prefix, namespace, override=True, replace=True)
    return names


def _name(node: Node | None) -> str | None:
    """A path as people read it: elm:ISCEDFCode, dc:title."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return _names().namespace_manager.normalizeUri(node)
    return str(node)


def _report(elm: Graph, results: Graph, seconds: float, deactivated: set[Node]) -> LoqReport:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        source = results.value(result, SH.sourceShape)
        found.append(LoqResult(
            severity=str(severity).rsplit("#", 1)[-1],
            focus=str(results.value(result, SH.focusNode)),
            path=_name(results.value(result, SH.resultPath)),
            component=str(component).rsplit("#", 1)[-1],
            shape=_name(results.value(result, SH.sourceShape)) or "",
            message=str(results.value(result, SH.resultMessage) or ""),
            value=str(v) if (v := results.value(result, SH.value)) is not None else None,
            in_profile=source not in deactivated,
        ))
    found.sort(key=lambda r: (not r.in_profile, r.severity, r.focus, r.path or "", r.component, r.value or ""))
    counted = [r for r in found if r.in_profile]
    counts = {level: sum(1 for r in counted if r.severity == level) for level in ("Violation", "Warning", "Info")}
    return LoqReport(conforms=counts["Violation"] == 0, violations=counts["Violation"], warnings=counts["Warning"],
                     infos=counts["Info"], results=tuple(found), seconds=seconds, triples=len(elm),
                     outside_profile=len(found) - len(counted))


def loq_report(elm: Graph, shapes: Graph | None = None, include_deactivated: bool = False) -> LoqReport:
    """Validate an ELM graph with pyshacl against the LOQ shapes (the vendored ones unless shapes is given)."""
    shapes = shapes if shapes is not None else loq_shapes()
    deactivated = deactivated_shapes(shapes) if include_deactivated else set()
    started = time.perf_counter()
    _, results, _ = pyshacl.validate(elm, shacl_graph=activated(shapes) if include_deactivated else shapes,
                                     inference="none", abort_on_first=False, allow_warnings=False, allow_infos=False)
    assert isinstance(results, Graph)
    return _report(elm, results, time.perf_counter() - started, deactivated)
