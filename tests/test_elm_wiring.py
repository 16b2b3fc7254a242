"""The ELM export as users reach it: `currigraph export/validate --profile elm` and GET /export?profile=elm."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from currigraph.export.elm.loq import loq_report
from tests.live import copy_project, running


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), *args], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("elm") / "p")
    repository = Path(__file__).resolve().parents[1]
    shutil.copytree(repository / "mappings", root / "mappings")
    shutil.copy(repository / "data" / "elm.yaml", root / "data" / "elm.yaml")
    assert cli(root, "build", "-q").returncode == 0
    return root


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("json-ld", "json-ld"), ("xml", "xml"), ("rdfxml", "xml")])
def test_cli_export_in_each_syntax_conforms(project: Path, fmt: str, parser: str) -> None:
    result = cli(project, "export", "--profile", "elm", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "conforms to LOQ" in result.stderr
    graph = Graph().parse(data=result.stdout, format=parser)
    assert len(graph) > 100 and loq_report(graph).conforms


def test_cli_export_refuses_a_syntax_elm_is_not_offered_in(project: Path) -> None:
    result = cli(project, "export", "--profile", "elm", "--format", "trig")
    assert result.returncode == 2 and "turtle" in result.stderr and "Traceback" not in result.stderr


def test_cli_validate_profile_lists_readiness(project: Path) -> None:
    result = cli(project, "validate", "--profile", "elm", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conforms"] is True and report["violations"] == 0
    assert any(r["kind"] == "programme" and r["ready"] for r in report["records"])
    assert any(r["excluded"] for r in report["records"])  # the prose-only programme the settings exclude, with its gaps


def test_cli_validate_profile_with_broken_settings_is_exit_2(project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "p"
    shutil.copytree(project, broken, symlinks=True)
    (broken / "data" / "elm.yaml").write_text("defaults:\n  eqf_level: eleven\n", "utf-8")
    result = cli(broken, "validate", "--profile", "elm")
    assert result.returncode == 2 and "elm.yaml" in result.stderr and "Traceback" not in result.stderr


def test_http_export_profile(project: Path) -> None:
    with running(project) as server:
        status, headers, body = server.request("GET", "/export?profile=elm&format=jsonld")
        assert status == 200 and headers["content-type"].startswith("application/ld+json")
        assert headers["x-loq-validation"].startswith("conforms")
        assert loq_report(Graph().parse(data=body, format="json-ld")).conforms
        status, _, body = server.request("GET", "/export?profile=elm&format=nquads")
        assert status == 406 and b"turtle" in body
        status, _, body = server.request("GET", "/export?profile=other")
        assert status == 400 and b"profile" in body
