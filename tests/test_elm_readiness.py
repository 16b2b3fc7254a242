"""Readiness: what stands between each programme and a valid LOQ record, for the seed data and a generated corpus."""

import shutil
import time
from pathlib import Path

import pyshacl
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from bench.corpus import generate
from currigraph.build.pipeline import run_build
from currigraph.export.elm import ElmSettings, Readiness, elm_graph, load_settings, loq_report, readiness
from currigraph.export.elm.loq import python_patterns
from currigraph.export.elm.terms import ELM
from currigraph.project import Project
from tests.live import copy_project

ROOT = Path(__file__).resolve().parents[1]
ELM_DIR = Path(__file__).parent / "data" / "elm"
BASE = "https://data.currigraph.org/"
XAIM, AIM = BASE + "programme/xaim", BASE + "programme/m-s-in-aim"
PAVIA = BASE + "organisation/university-of-pavia"


def project_with(target: Path, sources: Path | None = None) -> Path:
    """A copy of the project's inputs (or of its inputs around other sources) with the ELM mappings and settings."""
    copy_project(target)
    if sources is not None:
        shutil.rmtree(target / "data" / "sources")
        shutil.copytree(sources, target / "data" / "sources")
    shutil.copytree(ROOT / "mappings" / "elm", target / "mappings" / "elm")
    shutil.copy(ROOT / "data" / "elm.yaml", target / "data" / "elm.yaml")
    assert run_build(Project(target)).written
    return target


def official_violations(elm: Graph) -> int:
    shapes = python_patterns(Graph().parse(ELM_DIR / "LOQ-constraints.ttl", format="turtle"))
    _, results, _ = pyshacl.validate(elm, shacl_graph=shapes, inference="none")
    return len(list(results.subjects(SH.resultSeverity, SH.Violation)))


def by_iri(records: list[Readiness]) -> dict[str, Readiness]:
    return {r.iri: r for r in records}


def blocking(record: Readiness) -> set[tuple[str, str, str | None]]:
    return {(g.node, g.field, g.setting) for g in record.blocking}


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, ElmSettings]:
    root = project_with(tmp_path_factory.mktemp("elm-ready") / "project")
    data = Dataset().parse(root / "build" / "dataset.nq", format="nquads")
    return data, load_settings(root / "data" / "elm.yaml", root / "mappings" / "elm")


def test_the_seed_programmes(seed: tuple[Dataset, ElmSettings]) -> None:
    data, settings = seed
    records = by_iri(readiness(data, settings))
    assert set(records) == {XAIM, AIM, BASE + "course/ai-for-healthcare-choice"}
    xaim = records[XAIM]
    assert xaim.ready and not xaim.excluded and xaim.kind == "programme"
    notes = {(g.node, g.field) for g in xaim.gaps}
    assert (XAIM, "exported as a learning achievement specification, not a qualification") in notes
    assert (BASE + "course/xaim/automl", "no learning outcome: exported as a learning activity only") in notes
    assert records[BASE + "course/ai-for-healthcare-choice"].kind == "course"
    # M.S. in AIM is excluded; readiness still says what its record would lack, and nothing else.
    aim = records[AIM]
    assert aim.excluded and not aim.ready
    assert {(g.node.rsplit("/", 1)[-1], g.path) for g in aim.blocking} == {
        ("heersink-school-of-medicine", "elm:countryCode"),
        ("marnix-e-heersink-institute-for-biomedical-innovation", "elm:countryCode"),
        ("m-s-in-aim", "elm:defaultLanguage"),
    }
    # What the deactivated achievement-specification shape would ask is listed, but does not block.
    assert {g.path for g in aim.gaps if not g.blocking and g.node == AIM} >= {"elm:ISCEDFCode", "elm:learningOutcome"}


@pytest.mark.parametrize(("change", "expected"), [
    (lambda s: s.without("organisations", "country", PAVIA),
     {(PAVIA, "country", f"country (organisations.{PAVIA})")}),
    (lambda s: s.without("country_hints", "SL"),
     {(BASE + "organisation/university-of-ljubljana", "country",
       f"country (organisations.{BASE}organisation/university-of-ljubljana, or country_hints for its hint(s) SL)")}),
    (lambda s: s.without("catalogue", "homepage_from_iri"),
     {(XAIM, "web page", f"homepage (programmes.{XAIM}), or homepage_from_iri (catalogue)")}),
    (lambda s: s.with_values("organisations", {"country": "FRA"}, BASE + "organisation/goethe-university"), set()),
])
def test_removing_a_setting_names_exactly_what_is_missing(seed: tuple[Dataset, ElmSettings], change, expected) -> None:
    data, settings = seed
    changed = change(settings)
    xaim = by_iri(readiness(data, changed))[XAIM]
    assert blocking(xaim) == expected
    assert loq_report(elm_graph(data, changed)).violations == len(expected) == official_violations(elm_graph(data, changed))


def test_without_text_language_every_text_is_named(seed: tuple[Dataset, ElmSettings]) -> None:
    data, settings = seed
    xaim = by_iri(readiness(data, settings.without("catalogue", "text_language")))[XAIM]
    assert not xaim.ready and {g.setting.split(" ")[0] for g in xaim.blocking} == {"text_language"}
    # the opportunity, the curriculum, 14 courses, 6 outcomes, 5 organisations, the thesis, the entry requirements
    assert {g.node for g in xaim.blocking} >= {XAIM, PAVIA, BASE + "course/xaim/automl", XAIM + "/semester/3"}


def test_an_isced_field_left_out_is_a_note_since_loq_does_not_check_specifications(seed: tuple[Dataset, ElmSettings]) -> None:
    data, settings = seed
    xaim = by_iri(readiness(data, settings.without("programmes", "isced_f", XAIM)))[XAIM]
    assert xaim.ready
    isced = [g for g in xaim.gaps if g.path == "elm:ISCEDFCode"]
    assert [(g.node, g.blocking, g.setting) for g in isced] == [(XAIM, False, f"isced_f (programmes.{XAIM}, or catalogue)")]


def test_a_generated_corpus_is_ready_once_the_office_settles_what_readiness_asks(tmp_path: Path) -> None:
    generate(20, seed=7, out=tmp_path / "sources")
    root = project_with(tmp_path / "project", tmp_path / "sources")
    data = Dataset().parse(root / "build" / "dataset.nq", format="nquads")
    settings = load_settings(root / "data" / "elm.yaml", root / "mappings" / "elm")
    hints = {"D": "DEU", "UK": "GBR", "SL": "SVN", "NL": "NLD", "FI": "FIN", "FR": "FRA", "IT": "ITA", "ES": "ESP", "BE": "BEL", "AT": "AUT"}
    settings = settings.with_hints(hints)
    records = readiness(data, settings)
    assert len([r for r in records if r.kind == "programme"]) == 20
    # What stands in the way is the organisations' countries: coordinators have no hint, and the generator gives
    # the same invented university different countries in different programmes.
    gaps = {g for r in records for g in r.blocking}
    assert gaps and all(g.path == "elm:countryCode" and g.setting.startswith("country (organisations.") for g in gaps)
    assert any("give different ones" in g.field for g in gaps) and any(g.field == "country" for g in gaps)
    # The office decides (here: the first of the hints, else the Netherlands) and the export conforms.
    for gap in sorted(gaps, key=lambda g: g.node):
        named = sorted(hints[h] for h in gap.field.split("hints ")[-1].rstrip(")").split(", ")) if "hints" in gap.field else ["NLD"]
        settings = settings.with_values("organisations", {"country": named[0]}, gap.node)
    assert all(r.ready for r in readiness(data, settings))
    started = time.perf_counter()
    elm = elm_graph(data, settings)
    exported = time.perf_counter() - started
    report = loq_report(elm)
    assert official_violations(elm) == 0 and report.conforms and (report.warnings, report.infos) == (0, 0)
    assert len(list(elm.subjects(predicate=None, object=None))) > 0 and report.triples > 5000
    print(f"\ncorpus of 20 programmes: {report.triples} ELM triples exported in {exported:.2f} s; {report.summary()}")


def test_settling_what_readiness_asks_makes_the_excluded_programme_ready(seed: tuple[Dataset, ElmSettings]) -> None:
    data, settings = seed
    usa = {"country": "USA"}
    settled = (settings.with_values("programmes", {"exclude": False, "teaching_language": "en"}, AIM)
               .with_values("organisations", usa, BASE + "organisation/uab/heersink-school-of-medicine")  # a unit of UAB
               .with_values("organisations", usa, BASE + "organisation/marnix-e-heersink-institute-for-biomedical-innovation"))
    aim = by_iri(readiness(data, settled))[AIM]
    assert aim.ready and not aim.excluded
    elm = elm_graph(data, settled)
    assert official_violations(elm) == 0
    opportunity = f"{AIM}#elm-opportunity"
    assert {str(o) for o in elm.objects(URIRef(opportunity), ELM.defaultLanguage)} == {
        "http://publications.europa.eu/resource/authority/language/ENG"}  # from teaching_language: the article does not say
    # Its specification still lacks what only people can write (field, outcomes): notes, since LOQ does not check it.
    assert {g.path for g in aim.gaps if not g.blocking} >= {"elm:ISCEDFCode", "elm:learningOutcome"}


def test_an_organisation_country_setting_overrides_its_hints(seed: tuple[Dataset, ElmSettings]) -> None:
    data, settings = seed
    goethe = BASE + "organisation/goethe-university"
    elm = elm_graph(data, settings.with_values("organisations", {"country": "FRA"}, goethe))
    assert {str(o) for o in elm.objects(URIRef(goethe + "#elm-address"), ELM.countryCode)} == {
        "http://publications.europa.eu/resource/authority/country/FRA"}
