"""SHACL validation with pyshacl: the reference every faster path is checked against."""

import threading

from rdflib import RDF, Graph
from rdflib.term import Node

from currigraph.validation.report import Lines, Problem, Report
from currigraph.vocab import SCHEMA, SH, bind_prefixes

_PYSHACL_LOCK = threading.Lock()


def validate(data: Graph, shapes: Graph, lines: Lines | None = None) -> Report:
    """Validate a data graph (asserted data plus the ontology) against the shapes; no inference is applied."""
    from pyshacl import validate as shacl_validate  # imported here: pyshacl is slow to import, and serving starts without it

    # pyshacl evaluates SPARQL constraints with rdflib, whose pyparsing-based query parser is not thread-safe:
    # two validations at once in a threaded server fail with a TypeError deep inside pyparsing.
    with _PYSHACL_LOCK:
        conforms, report_graph, _ = shacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
    lines = lines or {}
    problems = [_problem(report_graph, result, lines) for result in report_graph.subjects(RDF.type, SH.ValidationResult)]
    problems.sort(key=lambda p: (str(p.focus), str(p.path), p.message))
    violations = any(p.severity == "Violation" for p in problems)
    names = {p.focus: str(data.value(p.focus, SCHEMA.name) or "") for p in problems}
    return Report(not violations, problems, bind_prefixes(report_graph), names)


def _problem(report: Graph, result: Node, lines: Lines) -> Problem:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    severity = report.value(result, SH.resultSeverity)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    message = messages[0] if messages else "does not conform to its shape"
    where = lines.get((focus, path)) if path is not None else None
    component = report.value(result, SH.sourceConstraintComponent)
    return Problem(focus, path, value, message, str(severity).rsplit("#", 1)[-1], where, report.value(result, SH.sourceShape),
                   str(component).rsplit("#", 1)[-1] if component is not None else None)
