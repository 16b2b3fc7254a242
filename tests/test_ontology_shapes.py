"""The ontology (complete, documented, OWL 2 RL, aligned to schema.org by subclass only) and the SHACL shapes.

Real rdflib, owlrl and pyshacl throughout. Validation is run as the build runs it: pyshacl on asserted data plus
the ontology, with no inference.
"""

import re
from pathlib import Path

import owlrl
import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, SH, Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
CG = Namespace("https://data.currigraph.org/ontology#")
SCHEMA = Namespace("http://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
BASE = Namespace("https://data.currigraph.org/")


def load_dir(folder: str) -> Graph:
    graph = Graph()
    for path in sorted((ROOT / folder).glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


ONTOLOGY = load_dir("ontology")
SHAPES = load_dir("shapes")
PREFIXES = """@base <https://data.currigraph.org/> .
@prefix cg: <https://data.currigraph.org/ontology#> . @prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def with_ontology(turtle: str) -> Graph:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    graph += ONTOLOGY
    return graph


# ---------------------------------------------------------------------------------------------------------
# Ontology
# ---------------------------------------------------------------------------------------------------------


def cg_terms() -> set[URIRef]:
    return {s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and s.startswith(str(CG))}


def test_ontology_parses_and_describes_itself():
    ontology = URIRef("https://data.currigraph.org/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in ONTOLOGY
    assert ONTOLOGY.value(ontology, DCTERMS.title) and ONTOLOGY.value(ontology, DCTERMS.description)
    assert ONTOLOGY.value(ontology, OWL.versionInfo) == Literal("0.1.0")
    assert not list(ONTOLOGY.triples((None, OWL.imports, None)))  # nothing is fetched


def test_declares_every_term_of_the_model():
    names = set(re.findall(r"\bcg:([A-Za-z][A-Za-z0-9]*)", (ROOT / "docs" / "model.md").read_text(encoding="utf-8")))
    names |= {"evidence", "sourceLine", "fileName", "sha256", "documentKind", "SourceDocument"}
    declared = {str(t).removeprefix(str(CG)) for t in cg_terms() if ONTOLOGY.value(t, RDF.type) is not None}
    assert names - declared == set()


def test_every_term_has_an_english_label_and_comment():
    assert len(cg_terms()) > 80
    for term in cg_terms():
        for prop in (RDFS.label, RDFS.comment):
            values = list(ONTOLOGY.objects(term, prop))
            assert any(v.language == "en" and str(v).strip() for v in values), (term, prop)


def test_property_kinds_and_datatype_ranges():
    ranges = {
        CG.credits: "decimal",
        CG.semesterNumber: "integer",
        CG.numberOfSemesters: "integer",
        CG.englishOnly: "boolean",
        CG.choiceGroup: "integer",
        CG.weight: "integer",
    }
    for prop, datatype in ranges.items():
        assert (prop, RDF.type, OWL.DatatypeProperty) in ONTOLOGY
        assert ONTOLOGY.value(prop, RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#" + datatype)
    assert {CG.Mandatory, CG.Elective} <= set(ONTOLOGY.subjects(RDF.type, CG.OfferingStatus))
    assert {CG.CoordinatorRole, CG.MemberRole} <= set(ONTOLOGY.subjects(RDF.type, CG.PartnerRole))


ALIGNMENT = [
    (CG.Programme, RDFS.subClassOf, SCHEMA.EducationalOccupationalProgram),
    (CG.Course, RDFS.subClassOf, SCHEMA.Course),
    (CG.Pillar, RDFS.subClassOf, SKOS.Concept),
    (CG.Organisation, RDFS.subClassOf, SCHEMA.Organization),
    (CG.University, RDFS.subClassOf, CG.Organisation),
    (CG.University, RDFS.subClassOf, SCHEMA.CollegeOrUniversity),
    (SCHEMA.CollegeOrUniversity, RDFS.subClassOf, SCHEMA.Organization),
    (CG.Funder, RDFS.subClassOf, CG.Organisation),
    (CG.Person, RDFS.subClassOf, SCHEMA.Person),
    (CG.Funding, RDFS.subClassOf, SCHEMA.Grant),
    (CG.Requirement, RDFS.subClassOf, SCHEMA.EducationalOccupationalCredential),
    (CG.SourceDocument, RDFS.subClassOf, PROV.Entity),
    (CG.hasCourse, RDFS.subPropertyOf, SCHEMA.hasCourse),
    (CG.courseOf, OWL.inverseOf, CG.hasCourse),
    (CG.hasMandatoryCourse, RDFS.subPropertyOf, CG.hasCourse),
    (CG.hasElectiveCourse, RDFS.subPropertyOf, CG.hasCourse),
    (CG.partnerInstitution, RDFS.subPropertyOf, SCHEMA.provider),
    (CG.providedBy, RDFS.subPropertyOf, SCHEMA.provider),
    (CG.coordinator, RDFS.subPropertyOf, CG.partnerInstitution),
    (CG.hasRequirement, RDFS.subPropertyOf, SCHEMA.programPrerequisites),
    (CG.pillar, RDFS.subPropertyOf, SCHEMA.about),
    (CG.tag, RDFS.subPropertyOf, SCHEMA.keywords),
    (CG.theme, RDFS.subPropertyOf, SCHEMA.teaches),
    (CG.mentionsOrganisation, RDFS.subPropertyOf, SCHEMA.mentions),
    (CG.parentOrganisation, RDFS.subPropertyOf, SCHEMA.parentOrganization),
    (CG.hasCourse, RDFS.domain, CG.Programme),
    (CG.hasCourse, RDFS.range, CG.Course),
    (CG.partnerOrganisation, RDFS.range, CG.Organisation),
    (CG.programmeDirector, RDFS.range, CG.Person),
    (CG.option, RDFS.domain, CG.RequirementChoice),
    (CG.option, RDFS.range, CG.Requirement),
]


@pytest.mark.parametrize("triple", ALIGNMENT, ids=lambda t: f"{t[0].n3(ONTOLOGY.namespace_manager)}")
def test_alignment_axiom(triple):
    assert triple in ONTOLOGY


def test_aligned_by_subclass_only_and_alternate_has_no_range():
    assert not list(ONTOLOGY.triples((None, OWL.equivalentClass, None)))
    assert not list(ONTOLOGY.triples((None, OWL.equivalentProperty, None)))
    assert ONTOLOGY.value(CG.alternate, RDFS.range) is None  # a page only referenced must not become a course


REASONING_FIXTURE = """
<programme/p> a cg:Programme ; schema:name "P" ; cg:hasMandatoryCourse <course/c> ; cg:coordinator <organisation/u> ;
    cg:hasPartner <programme/p/partner/i> ; cg:providedBy <organisation/s> ; cg:hasRequirement <programme/p/requirement/1> .
<programme/p/partner/i> cg:partnerOrganisation <organisation/i> ; cg:partnerRole cg:MemberRole .
<organisation/u> a cg:University ; schema:name "U" .
<organisation/i> schema:name "I" .
<organisation/s> schema:name "S" .
<course/c> schema:name "C" ; cg:credits 7.5 ; cg:pillar <pillar/ai> ; cg:alternate <course/other> .
<programme/p/requirement/1> schema:description "A bachelor's degree." .
"""


@pytest.fixture(scope="module")
def closure() -> Graph:
    graph = with_ontology(REASONING_FIXTURE)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def test_reasoning_gives_the_schema_org_view(closure: Graph):
    p, c = BASE["programme/p"], BASE["course/c"]
    assert (p, RDF.type, SCHEMA.EducationalOccupationalProgram) in closure
    assert (p, SCHEMA.hasCourse, c) in closure
    assert (c, RDF.type, SCHEMA.Course) in closure
    # credits stay cg:credits: schema:numberOfCredits expects an Integer or a StructuredValue (tests/test_schema_org.py)
    assert not list(closure.triples((c, SCHEMA.numberOfCredits, None)))
    assert (c, CG.courseOf, p) in closure
    assert (BASE["pillar/ai"], RDF.type, SKOS.Concept) in closure
    assert (p, SCHEMA.programPrerequisites, BASE["programme/p/requirement/1"]) in closure
    assert (BASE["programme/p/requirement/1"], RDF.type, SCHEMA.EducationalOccupationalCredential) in closure


def test_reasoning_makes_providers_organisations(closure: Graph):
    p = BASE["programme/p"]
    for org in ("u", "s"):  # coordinator (via cg:partnerInstitution) and prose provider
        assert (p, SCHEMA.provider, BASE[f"organisation/{org}"]) in closure
    for org in ("u", "s", "i"):
        assert (BASE[f"organisation/{org}"], RDF.type, SCHEMA.Organization) in closure
    assert (BASE["course/other"], RDF.type, CG.Course) not in closure


# ---------------------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------------------

VALID = """
<programme/p> a cg:Programme ; schema:name "P"@en ; schema:inLanguage "en" ; cg:numberOfSemesters 4 ;
    cg:hasPartner <programme/p/partner/u> ; cg:coordinator <organisation/u> ;
    cg:hasMandatoryCourse <course/c> ; cg:hasOffering <programme/p/semester/1/c> ;
    cg:hasRequirement <programme/p/requirement/1> .
<programme/p/partner/u> a cg:Partner ; cg:partnerOrganisation <organisation/u> ; cg:partnerRole cg:CoordinatorRole ;
    cg:countryHint "D" .
<organisation/u> a cg:University ; schema:name "U" .
<programme/p/semester/1> a cg:Semester ; cg:semesterNumber 1 .
<programme/p/semester/1/c> a cg:CourseOffering ; cg:offeredCourse <course/c> ; cg:status cg:Mandatory ;
    cg:inSemester <programme/p/semester/1> ; cg:semesterNumber 1 .
<course/c> a cg:Course ; schema:name "C" ; schema:description "About C." ; cg:credits 6.0 ; cg:semesterNumber 1 ;
    schema:inLanguage "en" ; cg:pillar <pillar/ai> .
<course/t> a cg:Course ; schema:name "T" ; schema:description "About T." ; cg:credits 5 ; cg:inTrack <track/x> .
<track/x> a cg:Track ; schema:name "X" .
<pillar/ai> a cg:Pillar ; skos:prefLabel "AI" ; skos:inScheme <scheme/pillars> .
<scheme/pillars> a skos:ConceptScheme .
<programme/p/requirement/1> a cg:RequirementChoice ; schema:description "One of:" ;
    cg:option <programme/p/requirement/1/option/1>, <programme/p/requirement/1/option/2> .
<programme/p/requirement/1/option/1> a cg:LanguageRequirement ; schema:description "English B2" ; cg:cefrLevel "B2" ;
    cg:requiredLanguage "en" .
<programme/p/requirement/1/option/2> a cg:DegreeRequirement ; schema:description "A bachelor's degree." .
"""


def check(turtle: str) -> tuple[bool, list[tuple[str, str]]]:
    """Conforms, and (severity, message) of every result."""
    conforms, report, _ = validate(data_graph=with_ontology(turtle), shacl_graph=SHAPES, inference="none")
    results = [
        (str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return conforms, results


def test_valid_data_conforms():
    conforms, results = check(VALID)
    assert conforms and results == []


# (text in VALID, its replacement, a substring of the expected sh:message)
BAD = [
    ('schema:name "C" ;', "", "needs a title"),
    ('schema:name "C" ;', 'schema:name "  " ;', "needs a title"),
    ("cg:credits 6.0", "cg:credits -3.0", "0 or more"),
    ("cg:credits 6.0", 'cg:credits "six"', "0 or more"),
    ("cg:credits 6.0", "cg:credits 6.0, 7.0", "0 or more"),
    ("cg:credits 6.0", "cg:credits 6.0 ; cg:ectsCredits -1", "ECTS credits must be one number, 0 or more"),
    ("cg:credits 6.0", "cg:credits 6.0 ; cg:studyYear 0", "study year must be one whole number"),
    ("cg:credits 6.0", "cg:credits 6.0 ; cg:mandatory \"yes\"", "true or false"),
    ("cg:credits 6.0 ; cg:semesterNumber 1", "cg:credits 6.0 ; cg:semesterNumber 0", "1 or more"),
    ('schema:inLanguage "en" ; cg:pillar', 'schema:inLanguage "english!" ; cg:pillar', "BCP 47"),
    ("cg:pillar <pillar/ai>", "cg:pillar <organisation/u>", "one of the curriculum's pillars"),
    ('a cg:RequirementChoice ; schema:description "One of:" ;', "a cg:RequirementChoice ;", "needs a description"),
    ("cg:option <programme/p/requirement/1/option/1>, ", "cg:option ", "at least two options"),
    ('cg:cefrLevel "B2"', 'cg:cefrLevel "B7"', "CEF language level"),
    ('cg:requiredLanguage "en"', 'cg:requiredLanguage "English?"', "BCP 47"),
    ("skos:inScheme <scheme/pillars> .\n<scheme", "skos:inScheme <track/x> .\n<scheme", "concept scheme"),
    (" ; skos:inScheme <scheme/pillars> .\n<scheme", " .\n<scheme", "concept scheme"),
    ('skos:prefLabel "AI" ;', "", "preferred label"),
    ("cg:partnerRole cg:CoordinatorRole", "cg:partnerRole cg:Mandatory", "coordinator or a member"),
    ("cg:partnerOrganisation <organisation/u> ;", "", "exactly one organisation"),
    ("cg:status cg:Mandatory", "cg:status cg:CoordinatorRole", "either mandatory or elective"),
    ("cg:status cg:Mandatory", "cg:status cg:Elective", "disagrees with the programme"),
    ("cg:inSemester <programme/p/semester/1> ; cg:semesterNumber 1", "cg:semesterNumber 0", "1 or more"),
    ('<organisation/u> a cg:University ; schema:name "U" .', "<organisation/u> a cg:University .", "organisation needs a name"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD, ids=[f"{b[2]}: {b[1].strip()[:24]}" for b in BAD])
def test_each_violation_is_caught_with_its_message(old: str, new: str, message: str):
    assert VALID.count(old) == 1, old
    conforms, results = check(VALID.replace(old, new))
    assert not conforms
    assert any(severity == "Violation" and message in text for severity, text in results), results


# Other ways of saying valid things, which must stay valid.
# Gaps of real documents (no programme named, no provider): warnings with their message, never violations.
WARNED = [
    ("cg:inTrack <track/x>", "cg:weight 1", "belongs to no programme or track"),  # course/t: in no programme or track
    ("cg:hasPartner <programme/p/partner/u> ; cg:coordinator <organisation/u> ;", "", "names no providing institution"),
]


@pytest.mark.parametrize(("old", "new", "message"), WARNED, ids=[w[2] for w in WARNED])
def test_each_gap_is_a_warning(old: str, new: str, message: str):
    assert VALID.count(old) == 1, old
    _conforms, results = check(VALID.replace(old, new))
    assert not [text for severity, text in results if severity == "Violation"], results
    assert any(severity == "Warning" and message in text for severity, text in results), results


GOOD = [
    ("cg:inTrack <track/x>", "cg:courseOf <programme/p>"),  # a course page naming its programme
    ("cg:credits 6.0", "cg:credits 0"),  # a thesis or tutorial worth no credits
    ("cg:credits 6.0", 'cg:credits 7.5 ; cg:creditUnit "hp" ; cg:ectsCredits 7.5 ; cg:studyYear 2 ; cg:term "Autumn" ; cg:courseCode "X1"'),
    ('schema:name "C" ;', 'schema:name "C"@en-GB ;'),  # a language-tagged title
    ("cg:credits 6.0", "cg:credits 6"),  # a whole number of credits
    ("cg:coordinator <organisation/u> ;", ""),  # a partnership alone is enough of a provider
]


@pytest.mark.parametrize(("old", "new"), GOOD, ids=[g[1] or "no " + g[0] for g in GOOD])
def test_equivalent_forms_conform(old: str, new: str):
    assert VALID.count(old) == 1, old
    conforms, results = check(VALID.replace(old, new))
    assert conforms and results == []


def test_missing_course_description_is_only_a_warning():
    conforms, results = check(VALID.replace('schema:description "About C." ;', ""))
    assert [severity for severity, _ in results] == ["Warning"]
    assert "no description" in results[0][1]


def test_shapes_are_valid_shacl_and_documented():
    assert validate(SHAPES, shacl_graph=None, meta_shacl=True, inference="none")[0]
    assert len(set(SHAPES.subjects(RDF.type, SH.NodeShape))) >= 15
    property_shapes = set(SHAPES.objects(None, SH.property))
    assert len(property_shapes) > 40
    for shape in property_shapes:
        for prop in (SH.message, SH.name, SH.description):
            assert SHAPES.value(shape, prop) is not None, (shape, prop, SHAPES.value(shape, SH.path))
    for constraint in SHAPES.objects(None, SH.sparql):
        assert SHAPES.value(constraint, SH.message) is not None
