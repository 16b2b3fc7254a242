"""The fast reasoning path against owlrl, the reference: identical inferred graphs on data/ and on generated corpora."""

import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from currigraph.convert import convert_paths
from currigraph.iris import Minter
from currigraph.reason import infer
from currigraph.reason_fast import Schema, infer_fast
from currigraph.schema_files import load_turtle_dir
from tests.helpers import ROOT, SOURCES

sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate  # noqa: E402

ONTOLOGY = load_turtle_dir(ROOT / "ontology")
SCHEMA = Schema(ONTOLOGY)


def asserted(files: list[Path]) -> list[Graph]:
    return [g for g in convert_paths(files, Minter()).dataset.graphs() if len(g)]


def assert_same(graphs: list[Graph]) -> None:
    reference, fast = set(infer(ONTOLOGY, graphs)), set(infer_fast(ONTOLOGY, graphs, SCHEMA))
    missing, extra = reference - fast, fast - reference
    assert not missing and not extra, f"missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"
    assert len(reference) > 100


def test_same_closure_on_data() -> None:
    assert_same(asserted(sorted(SOURCES.iterdir())))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_closure_on_generated_corpora(tmp_path: Path, seed: int) -> None:
    assert_same(asserted(generate(6, seed, tmp_path / "corpus")))


def test_schema_in_the_data_falls_back_to_owlrl() -> None:
    graphs = asserted(sorted(SOURCES.iterdir()))
    extra = Graph()
    extra.add((URIRef("https://data.currigraph.org/ontology#Course"), RDFS.subClassOf, URIRef("https://example.org/Thing")))
    extra.add((URIRef("https://example.org/x"), RDFS.label, Literal("x")))
    assert set(infer(ONTOLOGY, [*graphs, extra])) == set(infer_fast(ONTOLOGY, [*graphs, extra], SCHEMA))
    assert SCHEMA.states_schema(extra)
