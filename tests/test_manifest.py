"""The typed manifest: JSON round trip (to_json/from_json, read/write), replaced graphs, and what is not a manifest."""

import json
from pathlib import Path

import pytest

from currigraph.build.layout import DATASET_FILE, MANIFEST_FILE
from currigraph.build.manifest import GRAPH_KINDS, GraphEntry, Manifest, read_manifest, write_manifest
from currigraph.errors import InputError

BASE = "https://data.example.org/"
SOURCE = GraphEntry(BASE + "graph/001-a", "source", 120, "data/sources/001-a.md")
SHARED = GraphEntry(BASE + "graph/shared", "shared", 30)
PUBLISHED = GraphEntry(BASE + "graph/published/new-course", "published", 12, "data/published/new-course.ttl", "api")
ONTOLOGY = GraphEntry(BASE + "graph/ontology", "ontology", 400)
INFERRED = GraphEntry(BASE + "graph/inferred", "inferred", 250)

MANIFESTS = {
    "full": Manifest(BASE, [SOURCE, SHARED, PUBLISHED, ONTOLOGY, INFERRED], "currigraph 0.1.0", True, "build-42"),
    "not conforming, no generator or id": Manifest(BASE, [SOURCE], None, False, None),
    "empty": Manifest(BASE),
}


@pytest.mark.parametrize("name", MANIFESTS)
def test_json_round_trip(name: str) -> None:
    manifest = MANIFESTS[name]
    data = json.loads(manifest.to_json())
    assert Manifest.from_json(data) == manifest
    assert data["base"] == BASE and data["triples"] == manifest.triples == sum(g.triples for g in manifest.graphs)
    assert [g["iri"] for g in data["graphs"]] == [g.iri for g in manifest.graphs]  # the dataset file's order
    for entry, written in zip(manifest.graphs, data["graphs"], strict=True):
        assert ("origin" in written) == (entry.origin is not None)  # only graphs a server wrote say where from
    assert ("generator" in data) == (manifest.generator is not None) and ("build" in data) == (manifest.build is not None)
    assert data["conforms"] is manifest.conforms


def test_read_and_write(tmp_path: Path) -> None:
    manifest = MANIFESTS["full"]
    (tmp_path / DATASET_FILE).write_bytes(b"")
    write_manifest(tmp_path, manifest)
    assert read_manifest(tmp_path) == manifest
    assert json.loads((tmp_path / MANIFEST_FILE).read_text())["triples"] == 812
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([DATASET_FILE, MANIFEST_FILE])  # no temporary file left


def test_older_manifests_without_the_newer_keys_still_read() -> None:
    data = {"base": BASE, "graphs": [{"iri": SOURCE.iri, "kind": "source", "triples": 120}]}
    assert Manifest.from_json(data) == Manifest(BASE, [GraphEntry(SOURCE.iri, "source", 120)])


@pytest.mark.parametrize("data", [{}, {"base": BASE}, {"graphs": []}, {"base": BASE, "graphs": [{"iri": "x"}]},
                                  {"base": BASE, "graphs": [{"iri": "x", "kind": "source", "triples": 1, "colour": "red"}]},
                                  {"base": BASE, "graphs": None}])
def test_what_is_not_a_manifest(data: dict) -> None:
    with pytest.raises(ValueError, match="not a currigraph manifest"):
        Manifest.from_json(data)


def test_no_build_or_an_unreadable_manifest_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run `currigraph build` first"):
        read_manifest(tmp_path)
    (tmp_path / DATASET_FILE).write_bytes(b"")
    (tmp_path / MANIFEST_FILE).write_text("{ not json")
    with pytest.raises(InputError, match="unreadable build manifest"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text('{"graphs": []}')
    with pytest.raises(InputError, match="unreadable build manifest"):
        read_manifest(tmp_path)


def test_replaced_adds_and_replaces_at_the_end_and_leaves_the_original() -> None:
    manifest = MANIFESTS["full"]
    again = GraphEntry(SOURCE.iri, "source", 99, SOURCE.source)
    new = GraphEntry(BASE + "graph/published/other", "published", 7, None, "api")
    changed = manifest.replaced([again, new])
    assert changed.graphs == [SHARED, PUBLISHED, ONTOLOGY, INFERRED, again, new]
    assert changed.triples == manifest.triples - 120 + 99 + 7
    assert (changed.base, changed.generator, changed.conforms, changed.build) == (BASE, "currigraph 0.1.0", True, "build-42")
    assert manifest.graphs == [SOURCE, SHARED, PUBLISHED, ONTOLOGY, INFERRED]  # unchanged
    assert manifest.replaced([]) == manifest
    assert Manifest.from_json(json.loads(changed.to_json())) == changed


def test_kinds_and_iris() -> None:
    manifest = MANIFESTS["full"]
    assert manifest.kinds()[PUBLISHED.iri] == "published"
    assert manifest.iris(GRAPH_KINDS["asserted"]) == [SOURCE.iri, SHARED.iri, PUBLISHED.iri]
    assert manifest.iris(GRAPH_KINDS["inferred"]) == [INFERRED.iri]
    assert manifest.iris(GRAPH_KINDS["all"]) == [g.iri for g in manifest.graphs]
