"""Validation reports: problems (focus, path, value, message, severity, line) for people (text) and machines (JSON, Turtle)."""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from currigraph.vocab import SH, bind_prefixes

Lines = dict[tuple[Node, Node], tuple[str, int]]


@dataclass(frozen=True)
class Problem:
    """One SHACL result: which node, which property, which value, what is wrong, how serious."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    where: tuple[str, int] | None = None
    # Which shape and constraint component gave the result: what the SHACL report graph says, not part of equality.
    shape: Node | None = field(default=None, compare=False)
    component: str | None = field(default=None, compare=False)


@dataclass
class Report:
    """The outcome of validating data against the shapes."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    # The report graph pyshacl made, when it was the validator (its prefixes shorten IRIs in the text report).
    report_graph: Graph | None = None
    names: dict[Node, str] = field(default_factory=dict)

    @property
    def violations(self) -> list[Problem]:
        """Problems of severity Violation (the ones that make data unacceptable)."""
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def graph(self) -> Graph:
        """The SHACL validation report as a graph (sh:ValidationReport with one sh:ValidationResult per problem).

        Made from the problems when asked for (tens of thousands of warnings at scale), so it holds exactly the
        problems reported, and sh:conforms as SHACL defines it: false when there is any result, warnings included.
        """
        return results_graph(self.problems)


def results_graph(problems: list[Problem]) -> Graph:
    """A SHACL validation report graph from a list of problems.

    sh:conforms follows the SHACL specification (section 3.6.1: true if and only if validation produced no result),
    so a report with only warnings does not conform here, although `Report.conforms` (pyshacl's allow_warnings
    convention: no violation) lets such data be published; docs/validation.md explains both.
    """
    report = bind_prefixes(Graph())
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(not problems)))
    for problem in problems:
        result = BNode()
        report.add((node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, problem.focus))
        report.add((result, SH.resultSeverity, SH[problem.severity]))
        if problem.component:
            report.add((result, SH.sourceConstraintComponent, SH[problem.component]))
        if problem.shape is not None:
            report.add((result, SH.sourceShape, problem.shape))
        report.add((result, SH.resultMessage, Literal(problem.message)))
        if isinstance(problem.path, URIRef):
            report.add((result, SH.resultPath, problem.path))
        if problem.value is not None:
            report.add((result, SH.value, problem.value))
    return report


def _short(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return repr(str(node))
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # rdflib cannot shorten every IRI
            return f"<{node}>"
    return "(composite path)"


def format_text(report: Report) -> str:
    """A readable report grouped by focus node, one line per problem."""
    if not report.problems:
        return "Conforms: no problems found."
    grouped: dict[Node, list[Problem]] = defaultdict(list)
    for problem in report.problems:
        grouped[problem.focus].append(problem)
    out = []
    prefixes = report.report_graph if report.report_graph is not None else bind_prefixes(Graph())  # shortens IRIs
    for focus, problems in grouped.items():
        name = report.names.get(focus)
        out.append(f"{_short(focus, prefixes)}" + (f"  ({name})" if name else ""))
        for p in problems:
            where = f"{p.where[0]}:{p.where[1]}: " if p.where else ""
            value = f" [value {_short(p.value, prefixes)}]" if p.value is not None else ""
            prop = _short(p.path, prefixes) or "(node)"
            out.append(f"  {where}{p.severity}: {prop}{value}: {p.message}")
    count = len(report.violations)
    out.append(f"{count} violation(s), {len(report.problems) - count} warning(s) or note(s).")
    return "\n".join(out)


def to_json(report: Report) -> str:
    """The report as JSON: conforms, and one object per result."""
    results = [
        {
            "focusNode": str(p.focus),
            "focusName": report.names.get(p.focus) or None,
            "path": str(p.path) if p.path is not None else None,
            "value": str(p.value) if p.value is not None else None,
            "message": p.message,
            "severity": p.severity,
            "file": p.where[0] if p.where else None,
            "line": p.where[1] if p.where else None,
        }
        for p in report.problems
    ]
    return json.dumps({"conforms": report.conforms, "results": results}, indent=2, ensure_ascii=False)


def to_turtle(report: Report) -> str:
    """The SHACL validation report graph as Turtle."""
    return report.graph.serialize(format="turtle")
