"""The Turtle report is a SHACL validation report as the specification defines it: sh:conforms is false whenever there
is a result, warnings included; the JSON and the exit code keep the publishing convention (no violation)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from currigraph.validation.report import Problem, Report, to_json, to_turtle
from tests.live import copy_project

SH = Namespace("http://www.w3.org/ns/shacl#")
WARNING_ONLY = """---
title: Quiet Course
semester: 2
studycredits: 5
pillar: AI
programme: xaim
---
"""
VIOLATION = WARNING_ONLY.replace("studycredits: 5", "studycredits: -2")


def _conforms(turtle: str) -> bool:
    graph = Graph().parse(data=turtle, format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    return graph.value(report, SH.conforms).toPython()


def test_report_graph_follows_the_specification() -> None:
    warning = Problem(URIRef("https://data.currigraph.org/course/c"), URIRef("http://schema.org/description"), None,
                      "no description", "Warning", shape=URIRef("urn:shape"), component="MinCountConstraintComponent")
    violation = Problem(URIRef("https://data.currigraph.org/course/c"), URIRef("https://data.currigraph.org/ontology#credits"),
                        Literal(-2), "credits must be positive", "Violation")
    assert _conforms(to_turtle(Report(True, []))) is True
    only_warnings = Report(True, [warning])
    assert _conforms(to_turtle(only_warnings)) is False and json.loads(to_json(only_warnings))["conforms"] is True
    graph = Graph().parse(data=to_turtle(Report(False, [warning, violation])), format="turtle")
    assert _conforms(to_turtle(Report(False, [warning, violation]))) is False
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == 2
    assert {str(s) for s in graph.objects(None, SH.resultSeverity)} == {str(SH.Warning), str(SH.Violation)}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("shacl"))
    built = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build", "-q"], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return root


def validate(project: Path, text: str, fmt: str) -> subprocess.CompletedProcess[str]:
    course = project / "course.md"
    course.write_text(text, "utf-8")
    return subprocess.run([sys.executable, "-m", "currigraph", "--project", str(project), "validate", "--format", fmt, str(course)],
                          capture_output=True, text=True, timeout=300)


def test_cli_warnings_only(project: Path) -> None:
    turtle = validate(project, WARNING_ONLY, "turtle")
    assert turtle.returncode == 0, turtle.stderr  # the exit code says whether the data may be published
    assert _conforms(turtle.stdout) is False  # the SHACL report says there are results
    as_json = validate(project, WARNING_ONLY, "json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["conforms"] is True
    assert {r["severity"] for r in json.loads(as_json.stdout)["results"]} == {"Warning"}


def test_cli_violation(project: Path) -> None:
    turtle = validate(project, VIOLATION, "turtle")
    assert turtle.returncode == 1 and _conforms(turtle.stdout) is False
