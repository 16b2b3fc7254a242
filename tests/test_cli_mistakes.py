"""`currigraph init`, and every foreseeable mistake ends with a message and exit 2, never 'internal error' (exit 3)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import free_port


def cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real command line, as a user runs it (from a folder, or with --project)."""
    return subprocess.run([sys.executable, "-m", "currigraph", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200"})


def assert_mistake(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2 with one message naming the problem, and neither a traceback nor 'internal error'."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `currigraph init` and built once."""
    root = tmp_path_factory.mktemp("init") / "project"
    made = cli("init", str(root))
    assert made.returncode == 0, made.stderr
    assert "currigraph serve" in made.stdout
    result = cli("--project", str(root), "build", "-q")
    assert result.returncode == 0, result.stderr
    return root


def test_init_makes_a_project_with_every_default_file(built: Path) -> None:
    for folder, pattern in (("ontology", "*.ttl"), ("shapes", "*.ttl"), ("queries", "*.rq"), ("mappings/elm", "*.rq"),
                            ("data/sources", "*.txt"), ("data/lexicon", "prose.yaml")):
        assert list((built / folder).glob(pattern)), folder
    assert (built / "data" / "elm.yaml").is_file() and (built / "build" / "manifest.json").is_file()
    repository = Path(__file__).resolve().parents[1]
    assert (built / "ontology" / "currigraph.ttl").read_bytes() == (repository / "ontology" / "currigraph.ttl").read_bytes()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    assert_mistake(cli("init", str(tmp_path)), "not empty", "--force")
    assert not (tmp_path / "ontology").exists()
    forced = cli("init", "--force", str(tmp_path))
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine" and (tmp_path / "ontology" / "currigraph.ttl").is_file()
    (tmp_path / "a-file").write_text("x", "utf-8")
    assert_mistake(cli("init", str(tmp_path / "a-file")), "is a file")


def test_build_without_data_sources(tmp_path: Path) -> None:
    assert_mistake(cli("build", cwd=tmp_path), "no data/sources folder", "currigraph init")


def test_serve_in_an_empty_folder(tmp_path: Path) -> None:
    assert_mistake(cli("serve", "--port", str(free_port()), cwd=tmp_path, timeout=60), "nothing to serve", "currigraph init")


def _copy_build(built: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(built, target, symlinks=True)
    return target


def test_a_manifest_that_is_not_json(built: Path, tmp_path: Path) -> None:
    root = _copy_build(built, tmp_path / "p")
    (root / "build" / "manifest.json").write_text("{not json", "utf-8")
    for args in (("serve", "--port", str(free_port())), ("query", "ASK {}"), ("export",)):
        assert_mistake(cli("--project", str(root), *args, timeout=60), "manifest.json", "damaged", "currigraph build --full")


def test_a_store_that_does_not_open(built: Path, tmp_path: Path) -> None:
    root = _copy_build(built, tmp_path / "p")
    store = root / "build" / "oxigraph"
    assert store.is_dir()
    for path in store.iterdir():
        if path.is_file():
            path.write_bytes(b"garbage\n")
    result = cli("--project", str(root), "serve", "--no-rebuild", "--port", str(free_port()), timeout=60)
    assert_mistake(result, "oxigraph", "damaged", "currigraph build --full")
    assert "serving" not in result.stderr  # it never said it was serving


def test_a_dataset_file_that_does_not_parse(built: Path, tmp_path: Path) -> None:
    root = _copy_build(built, tmp_path / "p")
    (root / "build" / "dataset.nq").write_text("this is not N-Quads\n", "utf-8")
    for args in (("export",), ("query", "ASK { ?s ?p ?o }"), ("validate", str(root / "data" / "sources" / "001_3c801de081a333e4.txt"))):
        assert_mistake(cli("--project", str(root), *args, timeout=60), "dataset.nq", "damaged")
    import shutil

    shutil.rmtree(root / "build" / "oxigraph")  # serve loads the store from dataset.nq first
    assert_mistake(cli("--project", str(root), "serve", "--no-rebuild", "--port", str(free_port()), timeout=60), "dataset.nq", "damaged")


def test_ask_from_the_command_line(built: Path) -> None:
    result = cli("--project", str(built), "query", "ASK { ?s ?p ?o }")
    assert result.returncode == 0 and result.stdout.strip() == "true", result.stderr
    result = cli("--project", str(built), "query", "--format", "json", "ASK { <urn:x> ?p ?o }")
    assert result.returncode == 0 and result.stdout.strip() == '{"boolean": false}', result.stderr
