"""ELM export of the seed data: built in a copy of the project, mapped, and validated against the official LOQ shapes."""

import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH, XSD

from currigraph.build.pipeline import run_build
from currigraph.export.elm import ElmSettings, ElmSettingsError, MappingError, elm_graph, load_settings, loq_report, serialise
from currigraph.export.elm.loq import python_patterns
from currigraph.export.elm.terms import ADMS, CFG, DC, ELM, FOAF, ROV, SKOS
from currigraph.project import Project
from tests.live import copy_project

ROOT = Path(__file__).resolve().parents[1]
ELM_DIR = Path(__file__).parent / "data" / "elm"
BASE = "https://data.currigraph.org/"
XAIM = URIRef(BASE + "programme/xaim")
AIM = URIRef(BASE + "programme/m-s-in-aim")
COURSE_PAGE = URIRef(BASE + "course/ai-for-healthcare-choice")
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
ECTS = URIRef("http://data.europa.eu/snb/education-credit/6fcec5c5af")
EQF7 = URIRef("http://data.europa.eu/snb/eqf/7")
IT_NQF7 = URIRef("http://data.europa.eu/snb/qdr/c_1a6b4df9")


def elm_project(target: Path) -> Path:
    """A copy of the project's inputs with the ELM mappings and settings."""
    copy_project(target)
    shutil.copytree(ROOT / "mappings" / "elm", target / "mappings" / "elm")
    shutil.copy(ROOT / "data" / "elm.yaml", target / "data" / "elm.yaml")
    return target


def built(root: Path) -> Dataset:
    """Build a project in-process and read its dataset."""
    assert run_build(Project(root)).written
    return Dataset().parse(root / "build" / "dataset.nq", format="nquads")


def official_shapes() -> Graph:
    """The LOQ shapes kept with the tests (Java regexes in their Python form, see test_elm_loq)."""
    return python_patterns(Graph().parse(ELM_DIR / "LOQ-constraints.ttl", format="turtle"))


def violations(elm: Graph) -> list[tuple[str, str, str]]:
    """pyshacl's violations of the official shapes: (focus, path, component)."""
    _, results, _ = pyshacl.validate(elm, shacl_graph=official_shapes(), inference="none")
    return sorted((str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)), str(results.value(r, SH.sourceConstraintComponent)))
                  for r in results.subjects(SH.resultSeverity, SH.Violation))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return elm_project(tmp_path_factory.mktemp("elm") / "project")


@pytest.fixture(scope="module")
def data(project: Path) -> Dataset:
    return built(project)


@pytest.fixture(scope="module")
def settings(project: Path) -> ElmSettings:
    return load_settings(project / "data" / "elm.yaml", project / "mappings" / "elm")


@pytest.fixture(scope="module")
def elm(data: Dataset, settings: ElmSettings) -> Graph:
    return elm_graph(data, settings)


def node(iri: URIRef | str, part: str) -> URIRef:
    return URIRef(f"{iri}#elm-{part}")


def test_the_seed_export_conforms_to_loq(elm: Graph) -> None:
    assert violations(elm) == []
    report = loq_report(elm)
    assert report.conforms and (report.violations, report.warnings, report.infos) == (0, 0, 0)
    assert report.triples == len(elm) > 400 and "0 violation(s)" in report.summary()


def test_a_programme_is_a_learning_opportunity(elm: Graph) -> None:
    opportunity = node(XAIM, "opportunity")
    assert set(elm.subjects(RDF.type, ELM.LearningOpportunity)) == {opportunity}  # M.S. in AIM is excluded by the settings
    assert elm.value(opportunity, DC.title) == Literal("eXplainable Artificial Intelligence in healthcare Management (xAIM)", lang="en")
    assert elm.value(opportunity, DC.type) == URIRef("http://data.europa.eu/snb/learning-opportunity/79343569f3")
    assert elm.value(opportunity, ELM.defaultLanguage) == URIRef(LANGUAGE + "ENG")  # "The language of instruction is English."
    assert elm.value(opportunity, ELM.mode) == URIRef("http://data.europa.eu/snb/learning-assessment/920fbb3cbe")  # Online
    assert elm.value(opportunity, ELM.learningAchievementSpecification) == node(XAIM, "specification")
    assert elm.value(opportunity, ELM.learningActivitySpecification) == node(XAIM, "activity")
    page = elm.value(opportunity, FOAF.homepage)
    assert elm.value(page, ELM.contentUrl) == Literal(str(XAIM), datatype=XSD.anyURI)
    identifier = elm.value(opportunity, ADMS.identifier)
    assert elm.value(identifier, SKOS.notation) == Literal(str(XAIM))  # the link back to the knowledge graph
    grant = elm.value(opportunity, ELM.grant)
    assert str(elm.value(grant, DC.title)) == "Action 2020-EU-IA-0064, grant agreement INEA/CEF/ICT/A2020/2265375"
    assert "co-financed by the EU CEF Telecom" in str(elm.value(grant, DC.description))
    note = elm.value(opportunity, ELM.additionalNote)
    assert elm.value(note, ELM.noteLiteral) == Literal("Coordinated by University of Pavia", lang="en")


def test_partners_are_providers_with_their_countries(elm: Graph) -> None:
    countries = {}
    for organisation in elm.objects(node(XAIM, "opportunity"), ELM.providedBy):
        assert elm.value(organisation, RDF.type) == ELM.Organisation
        address = elm.value(elm.value(organisation, ELM.location), ELM.address)
        countries[str(elm.value(organisation, ROV.legalName))] = str(elm.value(address, ELM.countryCode)).rsplit("/", 1)[-1]
    # Pavia from its setting (the page gives no hint for the coordinator); the others from their hints D, UK, D, SL.
    assert countries == {"University of Pavia": "ITA", "Goethe University": "DEU", "Keele University": "GBR",
                         "Leibniz University Hannover": "DEU", "University of Ljubljana": "SVN"}
    assert elm.value(URIRef(COUNTRY + "SVN"), SKOS.prefLabel) == Literal("Slovenia", lang="en")


def test_the_programme_specification(elm: Graph) -> None:
    specification = node(XAIM, "specification")
    assert set(elm.objects(specification, RDF.type)) == {ELM.LearningAchievementSpecification}  # no NQF level: no qualification
    assert set(elm.objects(specification, ELM.ISCEDFCode)) == {URIRef("http://data.europa.eu/snb/isced-f/0688")}
    assert elm.value(specification, ELM.educationLevel) == EQF7 and elm.value(specification, ELM.EQFLevel) is None
    assert elm.value(specification, SKOS.altLabel) == Literal("xAIM", lang="en")
    assert elm.value(specification, ELM.learningSetting) == URIRef("http://data.europa.eu/snb/learning-setting/6fd4685715")
    # Its outcomes are those of its six mandatory courses: the sentence the page writes under each.
    outcomes = {str(elm.value(o, DC.title)) for o in elm.objects(specification, ELM.learningOutcome)}
    assert len(outcomes) == 6 and "Participants learn how to quantitatively assess trustworthiness of AI in practice." in outcomes
    requirements = str(elm.value(elm.value(specification, ELM.entryRequirement), ELM.noteLiteral))
    lines = requirements.splitlines()
    assert lines[0] == "One of the two following:" and lines[1].startswith("- Bachelor’s degree in Biology")
    assert lines[2].startswith("- Bachelor’s degree in Data Science") and lines[3].startswith("Knowledge of the English language")
    assert len(lines) == 4


def test_courses_are_specifications_with_credit_points_and_outcomes(elm: Graph) -> None:
    specification = node(COURSE_PAGE, "specification")
    credit = elm.value(specification, ELM.creditPoint)
    assert (elm.value(credit, ELM.framework), elm.value(credit, ELM.point)) == (ECTS, Literal("6"))
    assert elm.value(ECTS, SKOS.prefLabel) == Literal("European Credit Transfer System", lang="en")
    outcomes = {str(elm.value(o, DC.title)) for o in elm.objects(specification, ELM.learningOutcome)}
    assert len(outcomes) == 7  # the End Goal and six themes of the course page
    assert "Introduction to deep learning and neural networks." in outcomes
    assert any(o.startswith("In this course you will learn how to apply the frequently utilized deep learning") for o in outcomes)
    assert elm.value(specification, DC.language) == URIRef(LANGUAGE + "ENG")
    assert elm.value(node(COURSE_PAGE, "activity"), ELM.influences) == specification
    mandatory = URIRef(BASE + "course/xaim/trustworthy-ai")
    assert elm.value(node(mandatory, "specification"), ELM.isPartOf) == node(XAIM, "specification")
    assert set(elm.objects(node(mandatory, "specification"), ELM.ISCEDFCode)) == {  # from its pillar
        URIRef("http://data.europa.eu/snb/isced-f/0223"), URIRef("http://data.europa.eu/snb/isced-f/0421")}
    assert elm.value(node(mandatory, "activity"), ELM.category) == Literal("mandatory", lang="en")


def test_electives_without_outcomes_are_activities_only(elm: Graph) -> None:
    elective = URIRef(BASE + "course/xaim/automl")
    assert (node(elective, "specification"), None, None) not in elm
    activity = node(elective, "activity")
    assert elm.value(activity, RDF.type) == ELM.LearningActivitySpecification
    assert elm.value(activity, ELM.category) == Literal("elective", lang="en")
    assert elm.value(elm.value(activity, ELM.additionalNote), ELM.noteLiteral) == Literal("Semester 2", lang="en")
    assert (node(XAIM, "activity"), ELM.hasPart, activity) in elm
    parts = set(elm.objects(node(XAIM, "activity"), ELM.hasPart))
    assert len(parts) == 15 and node(XAIM + "/semester/3", "activity") in parts  # 14 courses and the thesis semester


def test_nothing_of_the_machinery_leaks_and_every_node_is_checked_by_loq(elm: Graph) -> None:
    assert not any(isinstance(term, BNode) or str(term).startswith(str(CFG)) for triple in elm for term in triple)
    shapes = official_shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    paths = set(shapes.objects(None, SH.path))
    classes = set(elm.objects(None, RDF.type))
    assert classes <= targets  # no node escapes the profile
    assert set(elm.predicates()) - {RDF.type} <= paths


def test_every_elm_term_is_defined_by_the_elm_ontology(elm: Graph) -> None:
    ontology = Graph().parse(ELM_DIR / "ELM.ttl", format="turtle")
    defined = set(ontology.subjects())
    used = {t for t in set(elm.predicates()) | set(elm.objects(None, RDF.type)) if str(t).startswith(str(ELM))}
    assert used and used <= defined


def test_without_settings_nothing_is_invented(data: Dataset, project: Path) -> None:
    elm = elm_graph(data, ElmSettings(mappings=project / "mappings" / "elm"))
    # Nothing the sources do not say: no field, level, mode, country, web page, or a language for their texts.
    for prop in (ELM.ISCEDFCode, ELM.EQFLevel, ELM.NQFLevel, ELM.educationLevel, ELM.mode, ELM.learningSetting,
                 ELM.countryCode, FOAF.homepage):
        assert not list(elm.subject_objects(prop)), prop
    assert not list(elm.subjects(RDF.type, ELM.Qualification))
    assert elm.value(node(XAIM, "opportunity"), DC.title) is None  # the title needs text_language
    # What the data does say is there: the programme's language of instruction, its providers, the course's ECTS.
    assert elm.value(node(XAIM, "opportunity"), ELM.defaultLanguage) == URIRef(LANGUAGE + "ENG")
    assert len(list(elm.objects(node(XAIM, "opportunity"), ELM.providedBy))) == 5
    assert elm.value(elm.value(node(COURSE_PAGE, "specification"), ELM.creditPoint), ELM.point) == Literal("6")
    # The only language-tagged texts are currigraph's own English words (notes, labels, the grant's title).
    texts = {o for o in elm.objects() if isinstance(o, Literal) and o.language}
    assert {o.language for o in texts} == {"en"}
    assert all(str(o) in {"mandatory", "elective"} or str(o).startswith(("Semester ", "Coordinated by ", "Action "))
               or (None, SKOS.prefLabel, o) in elm for o in texts)
    assert len(violations(elm)) > 0  # and LOQ says that is not enough


def test_without_an_eqf_setting_there_is_no_eqf_level(data: Dataset, settings: ElmSettings) -> None:
    elm = elm_graph(data, settings.without("programmes", "eqf_level", str(XAIM)))
    assert not [t for t in elm if EQF7 in t or str(t[2]).startswith("http://data.europa.eu/snb/eqf/")]
    assert violations(elm) == []


def test_eqf_and_nqf_levels_make_a_qualification(data: Dataset, settings: ElmSettings) -> None:
    elm = elm_graph(data, settings.with_values("programmes", {"nqf_level": "IT NQF Level 7"}, str(XAIM)))
    specification = node(XAIM, "specification")
    assert set(elm.objects(specification, RDF.type)) == {ELM.Qualification}
    assert (elm.value(specification, ELM.EQFLevel), elm.value(specification, ELM.NQFLevel)) == (EQF7, IT_NQF7)
    assert elm.value(specification, ELM.educationLevel) is None
    assert violations(elm) == []  # the qualification shape, unlike the achievement one, is active in LOQ
    without_isced = elm_graph(data, settings.with_values("programmes", {"nqf_level": "IT NQF Level 7"}, str(XAIM))
                              .without("programmes", "isced_f", str(XAIM)))
    assert violations(without_isced) == [(str(specification), str(ELM.ISCEDFCode), str(SH.MinCountConstraintComponent))]


def test_text_language_tags_the_texts_of_the_sources_only(data: Dataset, settings: ElmSettings) -> None:
    elm = elm_graph(data, settings.with_values("catalogue", {"text_language": "de"}))
    assert elm.value(node(XAIM, "opportunity"), DC.title).language == "de"
    assert elm.value(node(XAIM, "coordinator-note"), ELM.noteLiteral).language == "en"  # currigraph's words stay English


def test_the_same_data_gives_the_same_export(data: Dataset, settings: ElmSettings, elm: Graph) -> None:
    again = elm_graph(data, settings)
    assert set(again) == set(elm)
    store = ox.Store()  # a pyoxigraph store (what the server holds) gives the same graph as rdflib's dataset
    for graph in data.graphs():
        if len(graph):
            store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    assert set(elm_graph(store, settings)) == set(elm)
    for fmt in ("turtle", "json-ld", "xml"):
        assert serialise(again, fmt) == serialise(elm, fmt)


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("json-ld", "json-ld"), ("xml", "xml")])
def test_serialisations_parse_back_isomorphic(elm: Graph, fmt: str, parser: str) -> None:
    text = serialise(elm, fmt)
    assert isomorphic(Graph().parse(data=text, format=parser), elm)


def test_json_ld_is_compacted_with_the_inlined_elm_context(elm: Graph) -> None:
    document = json.loads(serialise(elm, "json-ld"))
    assert isinstance(document["@context"], dict) and document["@context"]["elm"] == str(ELM)  # inlined, never a URL
    opportunity = next(n for n in document["@graph"] if n["@id"] == str(node(XAIM, "opportunity")))
    assert opportunity["@type"] == "LearningOpportunity"
    assert opportunity["title"] == {"en": "eXplainable Artificial Intelligence in healthcare Management (xAIM)"}
    assert opportunity["learningAchievementSpecification"] == str(node(XAIM, "specification"))


def test_a_mapping_must_construct_named_nodes(tmp_path: Path, data: Dataset) -> None:
    (tmp_path / "10-blank.rq").write_text("PREFIX elm: <http://data.europa.eu/snb/model/elm/>\n"
                                          "CONSTRUCT { [] a elm:Note } WHERE { }\n", "utf-8")
    with pytest.raises(MappingError, match="blank node"):
        elm_graph(data, ElmSettings(mappings=tmp_path))
    (tmp_path / "10-blank.rq").write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", "utf-8")
    with pytest.raises(MappingError, match="CONSTRUCT"):
        elm_graph(data, ElmSettings(mappings=tmp_path))
    (tmp_path / "10-blank.rq").unlink()
    with pytest.raises(MappingError, match="no ELM mappings"):
        elm_graph(data, ElmSettings(mappings=tmp_path))


@pytest.mark.parametrize(("text", "message"), [
    ("catalogue: {txt_language: en}", "unknown key 'txt_language'"),
    ("catalogue: {isced_f: [0613]}", "write ISCED-F codes in quotes"),
    ("catalogue: {isced_f: ['1234']}", "'1234' is no concept of the isced-f list"),
    ("catalogue: {eqf_level: 9}", "no concept of the eqf list"),
    ("catalogue: {homepage: 'www.example.org'}", "takes an http(s) URL"),
    ("catalogue: {text_language: 'english please'}", "not a BCP 47 language tag"),
    ("organisations: {'organisation/x': {country: Atlantis}}", "no concept of the country list"),
    ("country_hints: {D: Germanyland}", "country_hints.D"),
    ("programs: {}", "unknown section"),
])
def test_settings_are_checked(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "elm.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ElmSettingsError, match=re.escape(message)):
        load_settings(path, tmp_path)


def test_settings_keys_may_be_relative_to_the_base(settings: ElmSettings) -> None:
    assert settings.programmes[str(XAIM)]["isced_f"] == [URIRef("http://data.europa.eu/snb/isced-f/0688")]
    assert settings.organisations[BASE + "organisation/university-of-pavia"]["country"] == URIRef(COUNTRY + "ITA")
    assert settings.country_hints["SL"] == COUNTRY + "SVN"


def test_legal_identifiers_from_settings_and_from_the_data(data: Dataset, settings: ElmSettings) -> None:
    keele = URIRef(BASE + "organisation/keele-university")
    stated = Dataset()
    for graph in data.graphs():
        target = stated.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    stated.graph(URIRef(BASE + "graph/published-keele")).add((keele, URIRef("http://schema.org/vatID"), Literal("GB 123 4567 89")))
    pavia = BASE + "organisation/university-of-pavia"
    elm = elm_graph(stated, settings.with_values("organisations", {"registration": "PV-0001", "vat_identifier": "IT00000000000"}, pavia))
    registration = elm.value(node(pavia, "organisation"), ROV.registration)
    assert (elm.value(registration, RDF.type), elm.value(registration, SKOS.notation)) == (ELM.LegalIdentifier, Literal("PV-0001"))
    assert elm.value(registration, DC.spatial) == URIRef(COUNTRY + "ITA")  # LOQ wants the identifier's country
    assert elm.value(elm.value(node(pavia, "organisation"), ELM.vatIdentifier), SKOS.notation) == Literal("IT00000000000")
    vat = elm.value(node(keele, "organisation"), ELM.vatIdentifier)
    assert (elm.value(vat, SKOS.notation), elm.value(vat, DC.spatial)) == (Literal("GB 123 4567 89"), URIRef(COUNTRY + "GBR"))
    assert violations(elm) == []
    settled = elm_graph(stated, settings.with_values("organisations", {"vat_identifier": "GB 999"}, str(keele)))
    assert set(settled.objects(node(keele, "vat-identifier"), SKOS.notation)) == {Literal("GB 999")}  # the setting wins
