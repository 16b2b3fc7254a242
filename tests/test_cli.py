"""The `currigraph` command line, run as a real subprocess: builds, conversion, validation, queries, exports, bad input."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from tests.helpers import ROOT

COURSE_OK = """---
title: Federated Learning
semester: 2
studycredits: 5
pillar: AI
programme: xaim
---
Training models without moving data.
"""


def run(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as users do and capture everything it prints."""
    return subprocess.run([sys.executable, "-m", "currigraph", *args], cwd=cwd, capture_output=True, text=True, input=stdin, timeout=300)


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in result.stderr + result.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's inputs, built once; tests must not touch the repository's build/."""
    root = tmp_path_factory.mktemp("project")
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "data" / "sources", root / "data" / "sources")
    result = run("--project", str(root), "build")
    assert result.returncode == 0, result.stderr
    assert "built" in result.stdout
    return root


def test_build_writes_named_graphs(project: Path) -> None:
    manifest = json.loads((project / "build" / "manifest.json").read_text())
    kinds = sorted(g["kind"] for g in manifest["graphs"])
    assert kinds == ["inferred", "ontology", "shared", "source", "source", "source", "source"]
    dataset = Dataset()
    dataset.parse(project / "build" / "dataset.nq", format="nquads")
    assert len(list(dataset.quads((None, None, None, None)))) == manifest["triples"]


def test_schema_org_view_after_reasoning(project: Path) -> None:
    query = """PREFIX schema: <http://schema.org/> PREFIX cg: <https://data.currigraph.org/ontology#>
      SELECT (COUNT(?p) AS ?n) { ?p a cg:Programme . FILTER NOT EXISTS { ?p a schema:EducationalOccupationalProgram ; schema:name ?name } }"""
    assert run("--project", str(project), "query", "--format", "json", query).stdout.count('"0"') == 1
    courses = """PREFIX schema: <http://schema.org/> PREFIX cg: <https://data.currigraph.org/ontology#>
      SELECT (COUNT(?c) AS ?n) { ?c a cg:Course . FILTER NOT EXISTS { ?c a schema:Course ; schema:name ?name } }"""
    assert json.loads(run("--project", str(project), "query", "--format", "json", courses).stdout) == [{"n": "0"}]
    has_course = """PREFIX schema: <http://schema.org/>
      SELECT (COUNT(*) AS ?n) { <https://data.currigraph.org/programme/xaim> schema:hasCourse ?c }"""
    assert json.loads(run("--project", str(project), "query", "--format", "json", has_course).stdout) == [{"n": "14"}]
    providers = """PREFIX schema: <http://schema.org/>
      SELECT (COUNT(DISTINCT ?o) AS ?n) { <https://data.currigraph.org/programme/xaim> schema:provider ?o . ?o a schema:Organization }"""
    assert json.loads(run("--project", str(project), "query", "--format", "json", providers).stdout) == [{"n": "5"}]


def test_query_formats(project: Path) -> None:
    q = "SELECT ?name { ?p a <https://data.currigraph.org/ontology#Programme> ; <http://schema.org/name> ?name } ORDER BY ?name"
    table = run("--project", str(project), "query", q)
    assert table.returncode == 0 and "xAIM" in table.stdout
    csv = run("--project", str(project), "query", "--format", "csv", q)
    assert csv.stdout.splitlines()[0] == "name"


def test_export_formats_parse_back(project: Path) -> None:
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("xml", "xml"), ("json-ld", "json-ld")):
        out = run("--project", str(project), "export", "--format", fmt, "--graphs", "asserted")
        assert out.returncode == 0, out.stderr
        graph = Graph().parse(data=out.stdout, format=parser)
        assert len(graph) > 100
    trig = run("--project", str(project), "export", "--format", "trig")
    dataset = Dataset().parse(data=trig.stdout, format="trig")
    assert len(list(dataset.graphs())) >= 6


def test_validate_good_course_in_context_of_the_graph(project: Path, tmp_path: Path) -> None:
    course = tmp_path / "fl.md"
    course.write_text(COURSE_OK)
    result = run("--project", str(project), "validate", str(course))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("title: Federated Learning\n", ""), "name"),
        (("studycredits: 5", "studycredits: -3"), "credits"),
        (("semester: 2", "semester: 0"), "semester"),
    ],
)
def test_validate_reports_each_problem_with_its_line(project: Path, tmp_path: Path, change, expected) -> None:
    course = tmp_path / "bad.md"
    course.write_text(COURSE_OK.replace(*change))
    result = run("--project", str(project), "validate", str(course))
    assert_clean_failure(result, 1, expected)
    as_json = json.loads(run("--project", str(project), "validate", "--format", "json", str(course)).stdout)
    assert as_json["conforms"] is False and as_json["results"]


def test_validate_points_at_the_front_matter_line(project: Path, tmp_path: Path) -> None:
    course = tmp_path / "bad.md"
    course.write_text(COURSE_OK.replace("studycredits: 5", "studycredits: -3"))
    result = run("--project", str(project), "validate", str(course))
    assert f"{course}:4:" in result.stdout


def test_validate_turtle_input(project: Path, tmp_path: Path) -> None:
    ttl = tmp_path / "c.ttl"
    ttl.write_text(
        "@prefix cg: <https://data.currigraph.org/ontology#> . @prefix schema: <http://schema.org/> .\n"
        '<https://data.currigraph.org/course/x> a cg:Course ; schema:name "X" ; cg:credits -1.0 ;\n'
        "  cg:courseOf <https://data.currigraph.org/programme/xaim> .\n"
    )
    assert_clean_failure(run("--project", str(project), "validate", str(ttl)), 1, "credits")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("empty",)),
        (b"\x00\x01\x02binary\xff", ("binary",)),
        (b"---\ntitle: [oops\nsemester: 1\n---\nbody\n", ("YAML", ":3")),
        (b"\xff\xfe not utf8 at all", ("UTF-8",)),
        (b"ok", ("unknown kind",)),
        (b"@prefix x: <http://x/> .\nx:a x:b", ("cannot parse",)),
        (b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "x"}', ("remote JSON-LD @context",)),
    ],
)
def test_validate_unusable_input(project: Path, tmp_path: Path, content: bytes, words: tuple[str, ...]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert_clean_failure(run("--project", str(project), "validate", str(bad)), 2, str(bad), *words)


def test_missing_file(project: Path) -> None:
    assert_clean_failure(run("--project", str(project), "validate", "nowhere.md"), 2, "nowhere.md", "not found")
    assert_clean_failure(run("convert", "nowhere.txt"), 2, "not found")


def test_failed_build_leaves_build_untouched(project: Path, tmp_path: Path) -> None:
    before = (project / "build" / "dataset.nq").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text(COURSE_OK.replace("studycredits: 5", "studycredits: -3"))
    result = run("--project", str(project), "build", str(bad))
    assert_clean_failure(result, 1, "credits")
    assert (project / "build" / "dataset.nq").read_bytes() == before
    assert not [p for p in (project / "build").iterdir() if p.name.endswith(".tmp")]
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00binary")
    assert_clean_failure(run("--project", str(project), "build", str(broken)), 2, "binary")
    assert (project / "build" / "dataset.nq").read_bytes() == before


def test_convert_unseen_documents(tmp_path: Path) -> None:
    page = tmp_path / "prog.txt"
    page.write_text(
        "---\ntitle: Applied Robotics (AR)\n---\n### First semester\n#### Mandatory courses\n"
        "**Robot Kinematics** *(Engineering, 6 ECTS)*\n\n#### Elective courses\n**Swarm Systems** *(AI)*\n"
        "### Partners\nThe programme is coordinated by the University of Somewhere (NL).\n"
    )
    out = run("convert", "--format", "nt", str(page))
    assert out.returncode == 0, out.stderr
    graph = Graph().parse(data=out.stdout, format="nt")
    names = {str(o) for o in graph.objects(None, __import__("rdflib").URIRef("http://schema.org/name"))}
    assert {"Applied Robotics (AR)", "Robot Kinematics", "Swarm Systems", "University of Somewhere"} <= names


def test_help_everywhere() -> None:
    for command in ("build", "convert", "validate", "query", "export"):
        result = run(command, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout
