"""The shapes compiled to SPARQL (validate_fast) against pyshacl, the reference: the same results on every kind of data."""

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from bench.corpus import generate
from currigraph.build.pipeline import convert_sources, run_build, union_graph
from currigraph.iris import Minter
from currigraph.project import Project, load_turtle_dir
from currigraph.validation.compiled import Unsupported, compile_shapes, to_store, validate_store
from currigraph.validation.report import Problem, Report
from currigraph.validation.shacl import validate
from tests.helpers import ROOT, SOURCES
from tests.live import copy_project
from tests.test_ontology_shapes import BAD, GOOD, VALID, WARNED, with_ontology

SHAPES = load_turtle_dir(ROOT / "shapes")
ONTOLOGY = load_turtle_dir(ROOT / "ontology")
CHECKS = compile_shapes(SHAPES)


def key(problem: Problem) -> tuple:
    """What must agree: focus, path, value, severity, message and source line. Literal values compare by value:
    pyoxigraph stores numbers canonically ("-3.0"^^xsd:decimal comes back as "-3")."""
    path = str(problem.path) if isinstance(problem.path, URIRef) else None if problem.path is None else "complex path"
    value = problem.value
    shown = value.toPython() if isinstance(value, Literal) else None if value is None or isinstance(value, BNode) else str(value)
    if isinstance(shown, Decimal | int | float) and not isinstance(shown, bool):
        shown = float(shown)
    focus = "blank node" if isinstance(problem.focus, BNode) else str(problem.focus)
    return focus, path, str(shown), problem.severity, problem.message, problem.where


def assert_same(reference: Report, fast: Report) -> None:
    expected, got = sorted(map(key, reference.problems)), sorted(map(key, fast.problems))
    missing = [p for p in expected if p not in got]
    extra = [p for p in got if p not in expected]
    assert not missing and not extra, f"only pyshacl: {missing[:5]}; only compiled: {extra[:5]}"
    assert reference.conforms == fast.conforms


def both(data: Graph) -> tuple[Report, Report]:
    return validate(data, SHAPES), validate_store(to_store([data]), CHECKS)


@pytest.mark.parametrize(("old", "new", "message"), BAD, ids=[f"{b[2]}: {b[1].strip()[:24]}" for b in BAD])
def test_each_violation(old: str, new: str, message: str) -> None:
    reference, fast = both(with_ontology(VALID.replace(old, new)))
    assert not fast.conforms and any(message in p.message for p in fast.violations)
    assert_same(reference, fast)


@pytest.mark.parametrize(("old", "new"), [*GOOD, *((w[0], w[1]) for w in WARNED), ('schema:description "About C." ;', "")])
def test_valid_forms_and_warnings(old: str, new: str) -> None:
    assert_same(*both(with_ontology(VALID.replace(old, new))))


def converted(files: list[Path]) -> tuple[Graph, ox.Store, dict]:
    """The sources as the build converts them (shared nodes in their own graph), with the ontology."""
    result = convert_sources(files, Minter(), lambda _message, _n: None, jobs=1)
    to_store([ONTOLOGY], result.store)
    return union_graph(result.store), result.store, result.lines


def test_data_and_its_source_lines() -> None:
    data, store, lines = converted(sorted(SOURCES.iterdir()))
    reference, fast = validate(data, SHAPES, lines), validate_store(store, CHECKS, lines)
    assert_same(reference, fast)
    assert fast.problems


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_corpora(tmp_path: Path, seed: int) -> None:
    data, store, lines = converted(generate(8, seed, tmp_path / "corpus"))
    reference, fast = validate(data, SHAPES, lines), validate_store(store, CHECKS, lines)
    assert_same(reference, fast)
    assert len(fast.problems) > 20  # generated pages leave out descriptions: warnings to agree on


def test_shapes_beyond_the_compiled_subset_fall_back_to_pyshacl(tmp_path: Path) -> None:
    extra = Graph()
    shape = URIRef("https://example.org/shapes#Closed")
    extra.add((shape, SH.targetClass, URIRef("https://data.currigraph.org/ontology#Course")))
    extra.add((shape, SH.closed, Literal(False)))
    with pytest.raises(Unsupported):
        compile_shapes(SHAPES + extra)
    root = copy_project(tmp_path / "p")
    (root / "shapes" / "closed.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/shapes#Closed> a sh:NodeShape ; sh:targetClass <https://data.currigraph.org/ontology#Course> ;"
        " sh:closed false .\n")
    result = run_build(Project(root))
    assert result.written and result.report.problems  # pyshacl ran: the same warnings as the compiled shapes give
