"""The LOQ profile as the ELM export validates against it: the official file, its regexes, its deactivated shape.

These tests need no build: they check the decisions currigraph.export.elm.loq takes about the official shapes on small
hand-written ELM graphs.
"""

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from currigraph.export.elm.loq import JAVA_PATTERNS, LOQ_SHAPES, loq_report, python_patterns
from currigraph.export.elm.terms import ELM

ELM_DIR = Path(__file__).parent / "data" / "elm"

# The smallest LOQ record: an opportunity of an organisation in Italy, with a web page and a specification.
MINIMAL = """
@prefix elm: <http://data.europa.eu/snb/model/elm/> .
@prefix dc: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rov: <http://www.w3.org/ns/regorg#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/p#lo> a elm:LearningOpportunity ; dc:title "P"@en ;
  elm:defaultLanguage <http://publications.europa.eu/resource/authority/language/ENG> ;
  elm:learningAchievementSpecification <http://example.org/p#spec> ;
  elm:providedBy <http://example.org/o#org> ; foaf:homepage <http://example.org/p#page> .
<http://example.org/p#page> a elm:WebResource ; elm:contentUrl "https://example.org/p"^^xsd:anyURI .
<http://example.org/p#spec> a elm:LearningAchievementSpecification ; dc:title "P"@en .
<http://example.org/o#org> a elm:Organisation ; rov:legalName "O"@en ; elm:location <http://example.org/o#place> .
<http://example.org/o#place> a dc:Location ; elm:address <http://example.org/o#address> .
<http://example.org/o#address> a elm:Address ; elm:countryCode <http://publications.europa.eu/resource/authority/country/ITA> .
<http://publications.europa.eu/resource/authority/language/ENG> a skos:Concept .
<http://publications.europa.eu/resource/authority/country/ITA> a skos:Concept .
"""


def official() -> Graph:
    """The LOQ shapes as the tests keep them, with the Python forms of the Java regexes."""
    return python_patterns(Graph().parse(ELM_DIR / "LOQ-constraints.ttl", format="turtle"))


def minimal(**replace: str) -> Graph:
    text = MINIMAL
    for old, new in replace.items():
        text = text.replace(old, new)
    return Graph().parse(data=text, format="turtle")


def test_the_product_validates_with_the_official_file() -> None:
    assert LOQ_SHAPES.read_bytes() == (ELM_DIR / "LOQ-constraints.ttl").read_bytes()


def test_only_the_java_patterns_change_and_all_patterns_compile() -> None:
    original = Graph().parse(ELM_DIR / "LOQ-constraints.ttl", format="turtle")
    fixed = python_patterns(original)
    # The copy keeps the shapes' blank nodes, so the two graphs can be compared triple by triple.
    only_original, only_fixed = set(original) - set(fixed), set(fixed) - set(original)
    assert len(original) == len(fixed)
    assert {p for _, p, _ in only_original} == {p for _, p, _ in only_fixed} == {SH.pattern}
    assert {str(o) for _, _, o in only_original} == set(JAVA_PATTERNS)
    assert {str(o) for _, _, o in only_fixed} == set(JAVA_PATTERNS.values())
    assert len(only_original) == len(only_fixed) == 3  # the URL restriction, and the URI one in two shapes
    for pattern in fixed.objects(None, SH.pattern):
        re.compile(str(pattern))
    with pytest.raises(re.error):  # why the rewrite is needed
        re.compile(next(p for p in JAVA_PATTERNS if p.startswith("^(?i)")))


@pytest.mark.parametrize("value", ["https://example.org/p", "HTTP://EXAMPLE.ORG", "http:", "https://[::1]:8000/x?q#f",
                                   "ftp://example.org/p", "mailto:someone@example.org", " https://example.org", "example.org/p", ""])
def test_the_url_pattern_accepts_what_the_java_one_does(value: str) -> None:
    url = next(v for k, v in JAVA_PATTERNS.items() if k.startswith("^(?i)"))
    # In Java the expression, anchored at the start only and optional after the scheme, asks for http: or https: first.
    assert bool(re.search(url, value)) == bool(re.match(r"(?i)https?:", value))
    uri = next(v for k, v in JAVA_PATTERNS.items() if not k.startswith("^(?i)"))
    assert re.search(uri, value)  # every string matches the RFC 3986 expression


def test_a_minimal_record_conforms_and_a_non_http_page_does_not() -> None:
    assert loq_report(minimal(), official()).conforms
    report = loq_report(minimal(**{'"https://example.org/p"': '"ftp://example.org/p"'}), official())
    assert [(r.focus, r.path, r.value) for r in report.results] == [
        ("http://example.org/p#lo", "foaf:homepage", "http://example.org/p#page"),  # the page fails its node shape
        ("http://example.org/p#page", "elm:contentUrl", "ftp://example.org/p"),
    ]


def test_pyshacl_finds_what_the_report_counts() -> None:
    broken = minimal(**{"elm:countryCode <http://publications.europa.eu/resource/authority/country/ITA>": "a elm:Address"})
    conforms, results, _ = pyshacl.validate(broken, shacl_graph=official(), inference="none")
    report = loq_report(broken, official())
    assert not conforms and report.violations == len(list(results.subjects(SH.resultSeverity, SH.Violation))) == 1
    assert report.results[0].path == "elm:countryCode" and report.results[0].component == "MinCountConstraintComponent"


def test_mixing_in_the_elm_ontology_would_reject_every_organisation() -> None:
    # Why the export is validated without ont_graph: with ELM's class hierarchy, the closed AgentShape (Organisation
    # is a subclass of Agent) rejects the legal name that OrganisationShape requires.
    ontology = Graph().parse(ELM_DIR / "ELM.ttl", format="turtle")
    conforms, results, _ = pyshacl.validate(minimal(), shacl_graph=official(), ont_graph=ontology, inference="none")
    assert not conforms
    closed = {(str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)))
              for r in results.subjects(SH.sourceConstraintComponent, SH.ClosedConstraintComponent)}
    assert ("http://example.org/o#org", "http://www.w3.org/ns/regorg#legalName") in closed


def test_the_deactivated_shape_is_checked_only_on_request_and_counted_apart() -> None:
    shapes = official()
    assert set(shapes.subjects(SH.deactivated, Literal(True))) == set(shapes.subjects(SH.targetClass, ELM.LearningAchievementSpecification))
    graph = minimal()
    assert loq_report(graph, shapes).results == ()
    strict = loq_report(graph, shapes, include_deactivated=True)
    assert strict.conforms and strict.violations == 0 and strict.outside_profile == len(strict.results) > 0
    paths = {r.path for r in strict.results}
    assert {"elm:learningOutcome", "elm:ISCEDFCode", "dc:language"} <= paths and not any(r.in_profile for r in strict.results)
