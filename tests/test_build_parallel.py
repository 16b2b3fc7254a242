"""The build's own machinery at work: conversion in worker processes, and one build at a time per project."""

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.corpus import generate
from currigraph.build.lock import build_lock
from currigraph.build.pipeline import convert_sources
from currigraph.errors import InputError
from currigraph.iris import Minter
from tests.helpers import SOURCES
from tests.live import copy_project


def quads(store: ox.Store) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, None))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return sorted([*SOURCES.iterdir(), *generate(12, 5, tmp_path_factory.mktemp("corpus"))])


def test_worker_processes_convert_what_one_process_does(corpus: list[Path]) -> None:
    one = convert_sources(corpus, Minter(), lambda _m, _n: None, jobs=1)
    two = convert_sources(corpus, Minter(), lambda _m, _n: None, jobs=2)
    assert len(quads(one.store)) > 5000
    assert quads(one.store) == quads(two.store)
    assert one.entries == two.entries and one.lines == two.lines
    shared = ox.NamedNode(str(Minter().graph("shared")))
    assert any(True for _ in two.store.quads_for_pattern(None, None, None, shared))


def test_a_bad_document_among_many_is_named(corpus: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "zz-broken.txt"
    bad.write_text("---\ntitle: [unclosed\n---\nText.\n")
    with pytest.raises(InputError) as caught:
        convert_sources([*corpus, bad], Minter(), lambda _m, _n: None, jobs=2)
    assert caught.value.file == str(bad) and "YAML" in caught.value.message and caught.value.line == 3
    assert "starts on line 2" in caught.value.message


def test_a_second_build_of_the_same_project_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    with build_lock(root / "build"):
        result = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build", "-q"],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "another build of this project is running" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "build" / "manifest.json").exists()
    done = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build", "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_same_sources_build_the_same_bytes(tmp_path: Path) -> None:
    """Reproducible builds: build/dataset.nq can be diffed and checksummed (rdflib alone iterates in hash order)."""
    outputs = []
    for name in ("a", "b"):
        root = copy_project(tmp_path / name)
        result = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build", "-q"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        outputs.append((root / "build" / "dataset.nq").read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 100_000
