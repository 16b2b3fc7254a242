"""The ontology (well-formed, documented, aligned by subclass only) and the shapes (each constraint catches its case)."""

import pytest
from pyshacl import validate as shacl
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from currigraph.namespaces import CG
from currigraph.schema_files import load_turtle_dir
from currigraph.validate import validate
from tests.helpers import ROOT

ONTOLOGY = load_turtle_dir(ROOT / "ontology")
SHAPES = load_turtle_dir(ROOT / "shapes")
PREFIXES = """@prefix cg: <https://data.currigraph.org/ontology#> . @prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://data.currigraph.org/> .
"""
VALID = """
:programme\\/p a cg:Programme ; schema:name "P" ; cg:providedBy :organisation\\/u ; cg:hasMandatoryCourse :course\\/c ;
    cg:hasRequirement :programme\\/p\\/requirement\\/1 .
:organisation\\/u a cg:University ; schema:name "U" .
:course\\/c a cg:Course ; schema:name "C" ; schema:description "About C." ; cg:credits 6.0 ; cg:semesterNumber 1 ;
    schema:inLanguage "en" ; cg:pillar :pillar\\/ai .
:pillar\\/ai a cg:Pillar ; skos:prefLabel "AI" ; skos:inScheme :scheme\\/pillars .
:scheme\\/pillars a skos:ConceptScheme .
:programme\\/p\\/requirement\\/1 a cg:RequirementChoice ; schema:description "One of:" ;
    cg:option :programme\\/p\\/requirement\\/1\\/option\\/1, :programme\\/p\\/requirement\\/1\\/option\\/2 .
:programme\\/p\\/requirement\\/1\\/option\\/1 a cg:LanguageRequirement ; schema:description "English B2" ; cg:cefrLevel "B2" ;
    cg:requiredLanguage "en" .
:programme\\/p\\/requirement\\/1\\/option\\/2 a cg:DegreeRequirement ; schema:description "A bachelor's degree" .
"""


def data(turtle: str) -> Graph:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    for triple in ONTOLOGY:
        graph.add(triple)
    return graph


def test_every_term_has_label_and_comment():
    terms = {s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and str(s).startswith(str(CG))}
    assert len(terms) > 60
    for term in terms:
        assert ONTOLOGY.value(term, RDFS.label), term
        assert ONTOLOGY.value(term, RDFS.comment), term


def test_alignment_by_subclass_only():
    assert not list(ONTOLOGY.triples((None, OWL.equivalentClass, None)))
    assert not list(ONTOLOGY.triples((None, OWL.equivalentProperty, None)))
    assert (CG.Programme, RDFS.subClassOf, URIRef("http://schema.org/EducationalOccupationalProgram")) in ONTOLOGY
    assert (CG.hasCourse, RDFS.subPropertyOf, URIRef("http://schema.org/hasCourse")) in ONTOLOGY
    assert (CG.courseOf, OWL.inverseOf, CG.hasCourse) in ONTOLOGY
    assert ONTOLOGY.value(CG.alternate, RDFS.range) is None  # a referenced alternate must not become a course


def test_valid_data_conforms():
    report = validate(data(VALID), SHAPES)
    assert report.conforms and not report.problems, [p.message for p in report.problems]


BAD = [
    ('schema:name "C" ;', "", "needs a title"),
    ("cg:credits 6.0", "cg:credits -3.0", "positive number"),
    ("cg:credits 6.0", "cg:credits 0", "positive number"),
    ("cg:credits 6.0", 'cg:credits "six"', "positive number"),
    ("cg:semesterNumber 1", "cg:semesterNumber 0", "1 or more"),
    ('schema:inLanguage "en"', 'schema:inLanguage "english!"', "BCP 47"),
    ("cg:hasMandatoryCourse :course\\/c ;", "", "belong to a programme or a track"),
    ("cg:providedBy :organisation\\/u ;", "", "providing institution or partner"),
    ('a cg:RequirementChoice ; schema:description "One of:" ;', "a cg:RequirementChoice ;", "needs a description"),
    ("cg:option :programme\\/p\\/requirement\\/1\\/option\\/1, ", "cg:option ", "at least two options"),
    ('cg:cefrLevel "B2"', 'cg:cefrLevel "B7"', "CEF language level"),
    ("skos:inScheme :scheme\\/pillars", "skos:prefLabel \"AI\"", "concept scheme"),
    ("cg:pillar :pillar\\/ai", "cg:pillar :organisation\\/u", "pillars"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD, ids=[b[2] + "-" + b[1][:12] for b in BAD])
def test_each_shape_catches_its_case(old: str, new: str, message: str):
    assert old in VALID
    report = validate(data(VALID.replace(old, new, 1)), SHAPES)
    assert not report.conforms
    assert any(message in p.message for p in report.violations), [p.message for p in report.problems]


def test_missing_description_is_only_a_warning():
    report = validate(data(VALID.replace('schema:description "About C." ;', "")), SHAPES)
    assert report.conforms and [p.severity for p in report.problems] == ["Warning"]


def test_shapes_graph_is_itself_valid_shacl():
    shacl_shacl = shacl(SHAPES, shacl_graph=None, meta_shacl=True, inference="none")
    assert shacl_shacl[0]
    assert len(list(SHAPES.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))) >= 8
