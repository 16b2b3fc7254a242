"""Catalogues from the command line, as a real subprocess: convert, validate and build a project whose sources include
a CSV export read through the project's own mapping, and the message for a catalogue no mapping reads."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

DOC = (ROOT / "docs" / "catalogues.md").read_text("utf-8")
EXAMPLE_CSV = re.search(r"`courses\.csv`[^\n]*\n\n```\n(.*?)```", DOC, re.S).group(1)  # type: ignore[union-attr]
EXAMPLE_MAPPING = re.search(r"```yaml\n(currigraph-mapping: 1.*?)```", DOC, re.S).group(1)  # type: ignore[union-attr]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "currigraph", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the repository's ontology and shapes, one CSV catalogue as its only source, and its mapping."""
    root = tmp_path_factory.mktemp("catalogue-project")
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "data" / "sources").mkdir(parents=True)
    (root / "data" / "sources" / "courses.csv").write_text(EXAMPLE_CSV, "utf-8")
    (root / "mappings" / "catalogues").mkdir(parents=True)
    (root / "mappings" / "catalogues" / "example-university.yaml").write_text(EXAMPLE_MAPPING, "utf-8")
    return root


def test_convert_reads_a_catalogue_with_the_projects_mapping(project: Path) -> None:
    result = run("--project", str(project), "convert", "--format", "nt", str(project / "data" / "sources" / "courses.csv"))
    assert result.returncode == 0, result.stderr
    assert '<https://data.currigraph.org/course/msc-data-science/ds101-statistical-learning> <https://data.currigraph.org/ontology#courseCode> "DS101" .' in result.stdout
    # without the project's mapping folder the same file is refused, saying how to go on
    refused = run("convert", str(project / "data" / "sources" / "courses.csv"))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "no catalogue mapping matches this file; write one: docs/catalogues.md" in refused.stderr
    assert "header row reads Programme, Code, Course title" in refused.stderr


def test_validate_checks_a_catalogue_against_the_shapes(project: Path, tmp_path: Path) -> None:
    good = run("--project", str(project), "validate", str(project / "data" / "sources" / "courses.csv"))
    assert good.returncode == 0, good.stdout + good.stderr
    bad = tmp_path / "courses.csv"
    bad.write_text(EXAMPLE_CSV.replace("Ada Lovelace, Alan Turing", "").replace(";6;", ";-6;"), "utf-8")
    result = run("--project", str(project), "validate", str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Study credits must be one number, 0 or more" in result.stdout
    assert "courses.csv:2" in result.stdout  # the row the value came from


def test_build_includes_the_catalogue_as_a_document(project: Path) -> None:
    result = run("--project", str(project), "build")
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((project / "build" / "manifest.json").read_text())
    assert {(g["iri"], g["kind"]) for g in manifest["graphs"]} >= {("https://data.currigraph.org/graph/courses", "source")}
    # after reasoning, the schema.org view holds for the catalogue's programme and courses (query: union of all graphs)
    query = ("PREFIX schema: <http://schema.org/> SELECT ?name WHERE { ?p a schema:EducationalOccupationalProgram ; "
             "schema:hasCourse ?c . ?c a schema:Course ; schema:name ?name } ORDER BY ?name")
    answer = run("--project", str(project), "query", "--format", "csv", query)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == ["name", "Graph", "Mining", "Statistical", "Learning"]
