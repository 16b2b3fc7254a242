"""The fast reasoning paths against owlrl, the reference: identical inferred graphs on data/ and on generated corpora."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from bench.corpus import generate
from currigraph.build.pipeline import convert_sources, infer_converted
from currigraph.convert import convert_paths
from currigraph.iris import Minter
from currigraph.project import load_turtle_dir
from currigraph.reasoning.in_store import infer_in_store, settle
from currigraph.reasoning.reference import infer
from currigraph.reasoning.rules import Rules
from currigraph.reasoning.schema import Schema
from currigraph.reasoning.worklist import infer_fast
from currigraph.terms import OxTerms, to_rdflib
from currigraph.validation.compiled import to_store
from tests.helpers import ROOT, SOURCES

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
    return inferred_triples(store, inferred, infer_in_store(store, ontology, ox.NamedNode(EX + "ontology"), inferred, schema))


def inferred_triples(store: ox.Store, inferred: ox.NamedNode, size: int) -> set:
    triples = {tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object)) for q in store.quads_for_pattern(None, None, None, inferred)}
    assert size == len(triples)
    return triples


def per_document(ontology: Graph, graphs: list[Graph], schema: Schema) -> set:
    """What the build writes when each document's entailments come from the rule tables (as its workers do)."""
    rules = Rules.of(schema)
    assert rules is not None
    named = Graph(identifier=URIRef(EX + "ontology"))
    named += ontology
    store = to_store([*graphs, named])
    inferred = ox.NamedNode(EX + "inferred")
    terms = OxTerms()
    for graph in graphs:
        entailed, states_schema = rules.entailments([(terms.term(s), terms.term(p), terms.term(o)) for s, p, o in graph])  # type: ignore[misc]
        assert not states_schema
        store.load(entailed, format=ox.RdfFormat.N_TRIPLES, to_graph=inferred)
    return inferred_triples(store, inferred, settle(store, schema, inferred))


def assert_same(graphs: list[Graph], ontology: Graph = ONTOLOGY, schema: Schema = SCHEMA) -> None:
    reference = set(infer(ontology, graphs))
    paths = [("infer_fast", set(infer_fast(ontology, graphs, schema))), ("in the store", in_store(ontology, graphs, schema))]
    if Rules.of(schema) is not None:
        paths.append(("per document", per_document(ontology, graphs, schema)))
    for name, fast in paths:
        missing, extra = reference - fast, fast - reference
        assert not missing and not extra, f"{name}: missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"
    assert len(reference) > 100


def test_rule_tables_apply_to_our_ontology() -> None:
    """The build reasons in its workers only when the tables are the whole story; for our ontology they are."""
    assert Rules.of(SCHEMA) is not None


@pytest.mark.parametrize("seed", [4, 5])
def test_the_build_in_worker_processes_infers_what_owlrl_does(tmp_path: Path, seed: int) -> None:
    """The build's own path: entailments derived in two worker processes, merged and settled in the store."""
    files = generate(6, seed, tmp_path / "corpus")
    converted = convert_sources(files, Minter(), lambda _m, _n: None, jobs=2, rules=Rules.of(SCHEMA))
    ontology_iri, inferred = ox.NamedNode(EX + "ontology"), ox.NamedNode(EX + "inferred")
    converted.store.load(ONTOLOGY.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ontology_iri)
    size = infer_converted(converted, ONTOLOGY, ontology_iri, inferred, SCHEMA, Rules.of(SCHEMA))
    fast = inferred_triples(converted.store, inferred, size)
    reference = set(infer(ONTOLOGY, asserted(files)))
    assert fast == reference and len(reference) > 100


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
    assert Rules.of(Schema(ontology)) is None  # a transitive property joins triples: the rules run in the store
    assert_same(graphs, ontology, Schema(ontology))
    ontology.remove((within, RDF.type, OWL.TransitiveProperty))
    assert Rules.of(Schema(ontology)) is not None
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
    terms, rules = OxTerms(), Rules.of(SCHEMA)
    assert rules is not None  # the workers say so, and the build then reasons over the whole store (infer_converted)
    assert rules.entailments([(terms.term(s), terms.term(p), terms.term(o)) for s, p, o in extra])[1]  # type: ignore[misc]
