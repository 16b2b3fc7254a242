"""The programme page converter, on the bundled page and on pages it has never seen."""

import pytest

from tests.helpers import SOURCES, convert_file, convert_text, merged, select

XAIM = "https://data.currigraph.org/programme/xaim"


@pytest.fixture(scope="module")
def xaim():
    return merged(convert_file(SOURCES / "000_dc21eb6798945ba3.txt"))


def test_kind_is_detected_from_content(xaim):
    assert select(xaim, "SELECT ?k { ?s cg:documentKind ?k }") == [("programme-page",)]


def test_programme_identity(xaim):
    rows = select(xaim, "SELECT ?name ?abbr { ?p a cg:Programme ; schema:name ?name ; schema:alternateName ?abbr }")
    assert rows == [("eXplainable Artificial Intelligence in healthcare Management (xAIM)", "xAIM")]


def test_semesters_and_thesis(xaim):
    assert select(xaim, f"SELECT ?n {{ <{XAIM}> cg:numberOfSemesters ?n }}") == [(3,)]
    semesters = select(xaim, "SELECT ?n { ?p cg:hasSemester ?s . ?s cg:semesterNumber ?n } ORDER BY ?n")
    assert semesters == [(1,), (2,), (3,)]
    thesis = select(xaim, "SELECT ?n ?focus { ?s a cg:ThesisSemester ; cg:semesterNumber ?n ; cg:focus ?focus }")
    assert thesis == [(3, "writing the master's thesis")]


def test_courses_with_status_semester_and_pillar(xaim):
    rows = select(
        xaim,
        """SELECT ?status (COUNT(?c) AS ?n) { ?o a cg:CourseOffering ; cg:status ?status ; cg:offeredCourse ?c ;
                cg:semesterNumber ?sem . ?c cg:pillar ?pillar } GROUP BY ?status ORDER BY ?status""",
    )
    assert rows == [("https://data.currigraph.org/ontology#Elective", 8), ("https://data.currigraph.org/ontology#Mandatory", 6)]
    trustworthy = select(
        xaim,
        """SELECT ?sem ?label { ?o cg:offeredCourse ?c ; cg:semesterNumber ?sem ; cg:status cg:Mandatory .
               ?c schema:name "Trustworthy AI" ; cg:pillar/skos:prefLabel ?label }""",
    )
    assert trustworthy == [(1, "Ethical and Legal Considerations")]
    entity = select(xaim, 'SELECT ?name { ?c a cg:Course ; schema:name ?name FILTER(STRSTARTS(?name, "Z-Inspection")) }')
    assert entity == [("Z-Inspection ®: A Process to assess trustworthy AI in Practice",)]


def test_pillars_are_concepts_in_a_scheme(xaim):
    rows = select(xaim, "SELECT DISTINCT ?label { ?p a cg:Pillar ; skos:prefLabel ?label ; skos:inScheme ?s } ORDER BY ?label")
    assert [r[0] for r in rows] == ["AI", "Ethical and Legal Considerations", "Healthcare and Management"]


def test_requirements_keep_alternatives_apart(xaim):
    choice = select(
        xaim,
        """SELECT ?level (GROUP_CONCAT(?field; separator="|") AS ?fields) {
             ?p cg:hasRequirement ?r . ?r a cg:RequirementChoice ; cg:option ?o .
             ?o cg:degreeLevel ?level ; cg:degreeField ?field } GROUP BY ?o ?level ORDER BY ?fields""",
    )
    assert len(choice) == 2
    # GROUP_CONCAT has no defined order: compare the two options as sets of fields
    options = [set(fields.split("|")) for _level, fields in choice]
    assert any({"Biology", "Health Care"} <= o for o in options)
    assert any({"Data Science", "Statistics", "Management"} <= o for o in options)
    language = select(xaim, "SELECT ?lang ?level { ?p cg:hasRequirement ?r . ?r cg:requiredLanguage ?lang ; cg:cefrLevel ?level }")
    assert language == [("en", "B2")]


def test_partners_roles_and_country_hints(xaim):
    rows = select(
        xaim,
        """SELECT ?name ?role ?hint { ?p cg:hasPartner ?x . ?x cg:partnerOrganisation/schema:name ?name ;
              cg:partnerRole ?role . OPTIONAL { ?x cg:countryHint ?hint } } ORDER BY ?name""",
    )
    assert len(rows) == 5
    coordinator = [r for r in rows if r[1].endswith("CoordinatorRole")]
    assert coordinator == [("University of Pavia", "https://data.currigraph.org/ontology#CoordinatorRole", None)]
    assert ("University of Ljubljana", "https://data.currigraph.org/ontology#MemberRole", "SL") in rows
    assert ("Goethe University", "https://data.currigraph.org/ontology#MemberRole", "D") in rows


def test_funding_numbers_and_language(xaim):
    rows = select(
        xaim, "SELECT ?a ?g ?f { ?p cg:hasFunding ?x . ?x cg:actionNumber ?a ; cg:grantAgreementNumber ?g ; schema:funder/schema:name ?f }"
    )
    assert rows == [("2020-EU-IA-0064", "INEA/CEF/ICT/A2020/2265375", "EU CEF Telecom")]
    assert select(xaim, f"SELECT ?l {{ <{XAIM}> schema:inLanguage ?l }}") == [("en",)]


def test_facts_from_sentences_keep_their_evidence(xaim):
    rows = select(
        xaim,
        f"""SELECT ?evidence ?line {{ ?st rdf:subject <{XAIM}> ; rdf:predicate cg:numberOfSemesters ;
               cg:evidence ?evidence ; cg:sourceLine ?line }}""",
    )
    assert len(rows) == 1 and "three semesters" in rows[0][0]
    line = (SOURCES / "000_dc21eb6798945ba3.txt").read_text().splitlines()[rows[0][1] - 1]
    assert "three semesters" in line


def test_provenance_of_the_named_graph(xaim):
    rows = select(xaim, "SELECT DISTINCT ?file { ?g prov:wasDerivedFrom ?src . ?src a cg:SourceDocument ; cg:fileName ?file }")
    assert rows == [("000_dc21eb6798945ba3.txt",)]


UNSEEN = """---
title: "Master of Science in Digital Public Health (DPH)"
---

### About the programme

A programme for public health data.

### Entry requirements

Either of:
- Master's degree in Epidemiology, Public Health or a related field
- Bachelor’s degree in Nursing

In addition:
- Proficiency in German at level C1

### Programme structure

The programme comprises four semesters. The fourth semester is devoted to the master's thesis. Courses are taught in German.

### Semester 1

#### Core modules

**Biostatistics** *(Methods, 5 ECTS)*
Regression and inference.

#### Optional modules

**Health Economics** *(Policy; 5 credits)*

### Semester 2

#### Compulsory modules

**Federated Learning** *(Methods)*

### Partner universities

- Riverside University (NL) - coordinator
- Institute of Northern Studies (FI)
"""


def test_unseen_programme_page():
    graph = merged(convert_text(UNSEEN, "unseen.txt"))
    assert select(graph, "SELECT ?k { ?s cg:documentKind ?k }") == [("programme-page",)]
    courses = select(
        graph,
        """SELECT ?name ?sem ?status ?credits ?pillar { ?o cg:offeredCourse ?c ; cg:semesterNumber ?sem ; cg:status ?status .
             ?c schema:name ?name . OPTIONAL { ?c cg:credits ?credits } OPTIONAL { ?c cg:pillar/skos:prefLabel ?pillar } }
           ORDER BY ?sem ?name""",
    )
    cg = "https://data.currigraph.org/ontology#"
    assert [(r[0], r[1], r[2].removeprefix(cg), r[3], r[4]) for r in courses] == [
        ("Biostatistics", 1, "Mandatory", 5, "Methods"),
        ("Health Economics", 1, "Elective", 5, "Policy"),
        ("Federated Learning", 2, "Mandatory", None, "Methods"),
    ]
    assert select(graph, "SELECT ?n { ?p cg:numberOfSemesters ?n }") == [(4,)]
    assert select(graph, "SELECT ?n { ?s a cg:ThesisSemester ; cg:semesterNumber ?n }") == [(4,)]
    assert select(graph, "SELECT ?l { ?p a cg:Programme ; schema:inLanguage ?l }") == [("de",)]
    assert select(graph, "SELECT (COUNT(?o) AS ?n) { ?r a cg:RequirementChoice ; cg:option ?o }") == [(2,)]
    assert select(graph, "SELECT ?lang ?lvl { ?r cg:requiredLanguage ?lang ; cg:cefrLevel ?lvl }") == [("de", "C1")]
    partners = select(
        graph,
        "SELECT ?name ?role ?hint { ?x cg:partnerOrganisation/schema:name ?name ; cg:partnerRole ?role ; cg:countryHint ?hint } ORDER BY ?name",
    )
    assert [(n, r.removeprefix(cg), h) for n, r, h in partners] == [
        ("Institute of Northern Studies", "MemberRole", "FI"),
        ("Riverside University", "CoordinatorRole", "NL"),
    ]
