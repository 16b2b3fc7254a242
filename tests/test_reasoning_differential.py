"""The fast reasoning paths against owlrl, the reference: identical inferred graphs on data/ and on generated corpora."""

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from currigraph.convert import convert_paths
from currigraph.iris import Minter
from currigraph.reason import infer
from currigraph.reason_fast import Schema, infer_fast
from currigraph.reason_store import infer_in_store
from currigraph.schema_files import load_turtle_dir
from currigraph.terms import to_rdflib
from currigraph.validate_fast import to_store
from tests.helpers import ROOT, SOURCES

sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate  # noqa: E402

ONTOLOGY = load_turtle_dir(ROOT / "ontology")
SCHEMA = Schema(ONTOLOGY)
EX = "https://example.org/"


def asserted(files: list[Path]) -> list[Graph]:
    return [g for g in convert_paths(files, Minter()).dataset.graphs() if len(g)]


def in_store(ontology: Graph, graphs: list[Graph], schema: Schema | None = None) -> set:
    """What the build's reasoner (SPARQL updates inside the store) writes to the inferred graph."""
    named = Graph(identifier=URIRef(EX + "ontology"))
    named += ontology
    store = to_store([*graphs, named])
    inferred = ox.NamedNode(EX + "inferred")
    size = infer_in_store(store, ontology, ox.NamedNode(EX + "ontology"), inferred, schema)
    triples = {tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object)) for q in store.quads_for_pattern(None, None, None, inferred)}
    assert size == len(triples)
    return triples


def assert_same(graphs: list[Graph], ontology: Graph = ONTOLOGY, schema: Schema = SCHEMA) -> None:
    reference = set(infer(ontology, graphs))
    for name, fast in (("infer_fast", set(infer_fast(ontology, graphs, schema))), ("in the store", in_store(ontology, graphs, schema))):
        missing, extra = reference - fast, fast - reference
        assert not missing and not extra, f"{name}: missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"
    assert len(reference) > 100


def test_same_closure_on_data() -> None:
    assert_same(asserted(sorted(SOURCES.iterdir())))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_closure_on_generated_corpora(tmp_path: Path, seed: int) -> None:
    assert_same(asserted(generate(6, seed, tmp_path / "corpus")))


def test_transitive_symmetric_and_inverse_properties() -> None:
    """Rules our ontology does not exercise today: a transitive, a symmetric property, and an inverse's range."""
    ontology = Graph()
    ontology += ONTOLOGY
    within, near, holds, held = (URIRef(EX + n) for n in ("within", "near", "holds", "heldBy"))
    ontology.add((within, RDF.type, OWL.TransitiveProperty))
    ontology.add((within, RDFS.subPropertyOf, URIRef(EX + "related")))
    ontology.add((within, RDFS.range, URIRef(EX + "Place")))
    ontology.add((near, RDF.type, OWL.SymmetricProperty))
    ontology.add((near, RDFS.domain, URIRef(EX + "Place")))
    ontology.add((held, OWL.inverseOf, holds))
    ontology.add((held, RDFS.range, URIRef(EX + "Holder")))
    data = Graph(identifier=URIRef(EX + "graph/rooms"))
    chain = [URIRef(EX + f"room{i}") for i in range(5)]
    for a, b in zip(chain, chain[1:], strict=False):
        data.add((a, within, b))
    data.add((chain[0], near, URIRef(EX + "garden")))
    data.add((URIRef(EX + "garden"), holds, Literal("a bench")))
    data.add((URIRef(EX + "ann"), holds, chain[2]))
    graphs = [*asserted(sorted(SOURCES.iterdir())), data]
    assert_same(graphs, ontology, Schema(ontology))


def test_schema_in_the_data_falls_back_to_owlrl() -> None:
    graphs = asserted(sorted(SOURCES.iterdir()))
    extra = Graph(identifier=URIRef(EX + "graph/extra"))
    extra.add((URIRef("https://data.currigraph.org/ontology#Course"), RDFS.subClassOf, URIRef("https://example.org/Thing")))
    extra.add((URIRef("https://example.org/x"), RDFS.label, Literal("x")))
    reference = set(infer(ONTOLOGY, [*graphs, extra]))
    assert reference == set(infer_fast(ONTOLOGY, [*graphs, extra], SCHEMA))
    assert reference == in_store(ONTOLOGY, [*graphs, extra], SCHEMA)
    assert SCHEMA.states_schema(extra)
