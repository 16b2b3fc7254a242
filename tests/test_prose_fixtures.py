"""Prose the converter has never seen, written for these tests in the shapes real news and guides use (English and
German): units with their universities, honorifics apart from names, roles with where they are held, several
programmes and their providers in one paragraph, degrees of several kinds, tracks, credits, German Hochschule news,
and a guide with one section per university."""

import pytest

from tests.helpers import BASE, convert_text, merged, select

NEWS = """Eastbridge introducing M.S. program in data science this fall

The School of Computer Science at the University of Eastbridge (UoE) is preparing to launch a new master's in data science. The Faculty of Medicine at the University of Eastbridge and the Faculty of Medicine at Northfield University will both host clinical placements, and Northfield University (NU) will send students.

"Data science is everywhere," said Dr. Maria Keller, associate dean of the School of Computer Science and professor of statistics. Also leading the direction of this program is Omar Haddad, assistant professor of computer science.

Two departments in the School of Computer Science will each deliver a concentration track: statistical learning (mathematics and statistics) and data systems (computing). Students will be required to complete a minimum of 36 credits. NU's School of Nursing sends guest lecturers.

The new programme was welcomed by the students who have long asked the University of Eastbridge and its many partners in the region for more courses in data, statistics, computing, ethics and everything that comes with them, said the union.
"""  # noqa: E501

TWO_PROGRAMMES = """Westshire Polytechnic (WP) and the University of Lakeside announced two programmes this week. The M.S. in Robotics, offered by Westshire Polytechnic, starts in 2025, while the Master of Science in Applied Computing (MScAC) is offered by the University of Lakeside. WP will also host the MScAC industry days.

"The MScAC is unique," said Prof. Ahmed Nasser, chair of the MScAC program and professor in the Department of Computer Science at the University of Lakeside.

The Master of Professional Science in Geospatial Analytics is housed in the College of Natural Resources at Westshire Polytechnic. It offers three concentrations: remote sensing, spatial statistics and urban analytics.
"""  # noqa: E501

GERMAN = """Neuer Studiengang an der Hochschule Nordstadt

Die Hochschulen Nordstadt, Weststadt und Oststadt sowie die Technische Universität Südheim (TUS) haben den gemeinsamen Bachelorstudiengang „Angewandte Robotik“ entwickelt. Er startet zum Wintersemester 2024/25.
„Wir freuen uns sehr“, ordnet Prof. Dr. Anna Berger, Vizepräsidentin für Studium und Lehre und Studiendekanin an der Hochschule Nordstadt, ein.
Zudem bietet die Hochschule Nordstadt den Masterstudiengang Künstliche Intelligenz an. Der Studiengang wird vom Fachbereich Informatik der Hochschule Nordstadt angeboten und umfasst insgesamt 120 Leistungspunkte. Der TUS-Student Jonas Weber hat ihn mitgestaltet.
"""  # noqa: E501

GUIDE = """# Where to study data science

## University of Eastbridge

The master's programme in Data Science offers three tracks:

* **Statistics:** theory and methods.
* **Machine Learning:** models.
* **Visual Analytics:** dashboards.

Students can choose modules in the departments of Mathematics, Physics and Biology.

## Northfield University

This Data Science MSc programme is a two-year course with a curriculum of 120 ECTS. It is run by the Faculty of Medicine.

## Universität Südheim

Der Masterstudiengang Data Science wird am Institut für Informatik angeboten.
"""


@pytest.fixture(scope="module")
def news():
    return merged(convert_text(NEWS, "eastbridge-news.txt"))


@pytest.fixture(scope="module")
def two():
    return merged(convert_text(TWO_PROGRAMMES, "westshire-news.txt"))


@pytest.fixture(scope="module")
def german():
    return merged(convert_text(GERMAN, "nordstadt-news.txt"))


@pytest.fixture(scope="module")
def guide():
    return merged(convert_text(GUIDE, "data-science-guide.md"))


def parents(graph) -> list[tuple]:
    return select(graph, "SELECT ?u ?p { ?x schema:name ?u ; cg:parentOrganisation/schema:name ?p } ORDER BY ?u ?p")


# --- Organisations -----------------------------------------------------------------------------------------


def test_a_unit_at_a_university_is_a_unit_of_it(news):
    school = select(news, "SELECT ?s ?type { ?s schema:name 'School of Computer Science' ; a ?type }")
    assert school == [(BASE + "organisation/university-of-eastbridge/school-of-computer-science", "https://data.currigraph.org/ontology#Organisation")]
    assert ("School of Computer Science", "University of Eastbridge") in parents(news)
    assert select(news, "SELECT ?u { ?u a cg:University ; schema:name ?n } ORDER BY ?n") == [
        (BASE + "organisation/northfield-university",), (BASE + "organisation/university-of-eastbridge",)]


def test_units_of_one_name_in_two_universities_are_two_nodes(news):
    faculties = select(news, "SELECT ?f { ?f schema:name 'Faculty of Medicine' } ORDER BY ?f")
    assert faculties == [(BASE + "organisation/northfield-university/faculty-of-medicine",),
                         (BASE + "organisation/university-of-eastbridge/faculty-of-medicine",)]


def test_abbreviations_the_document_defines_are_the_same_organisation(news):
    assert select(news, "SELECT ?a { ?u schema:name 'Northfield University' ; schema:alternateName ?a }") == [("NU",)]
    # "NU's School of Nursing": a unit of Northfield University, found by the abbreviation
    assert ("School of Nursing", "Northfield University") in parents(news)


def test_names_end_where_their_words_end(news):
    names = [n for (n,) in select(news, "SELECT ?n { ?o a ?t ; schema:name ?n VALUES ?t { cg:Organisation cg:University } }")]
    assert all(len(n) <= 120 and len(n.split()) <= 12 for n in names)
    assert all(all(w[0].isupper() or w in ("of", "and", "for", "at", "the") for w in n.split()) for n in names if not n.islower())
    # "... asked the University of Eastbridge and its many partners ...": the university, not the rest of the sentence
    assert not any("partners" in n or "region" in n for n in names)


# --- People ------------------------------------------------------------------------------------------------


def test_honorific_apart_from_the_name_and_two_roles_with_where_they_are_held(news):
    assert select(news, "SELECT ?h { ?p schema:name 'Maria Keller' ; schema:honorificPrefix ?h }") == [("Dr.",)]
    assert select(news, "SELECT ?n { ?p a cg:Person ; schema:name ?n FILTER(CONTAINS(?n, 'Dr')) }") == []
    roles = select(news, """SELECT ?name ?title ?where { ?p schema:name 'Maria Keller' ; cg:hasRole ?r .
        ?r cg:roleName ?name ; cg:roleTitle ?title ; cg:roleIn/schema:name ?where } ORDER BY ?name""")
    assert roles == [("associate dean", "associate dean of the School of Computer Science", "School of Computer Science"),
                     ("professor", "professor of statistics", "University of Eastbridge")]


def test_a_role_held_in_the_programme(news):
    roles = select(news, """SELECT ?title ?where { ?p schema:name 'Omar Haddad' ; cg:hasRole ?r . ?r cg:roleTitle ?title ;
        cg:roleIn ?where } ORDER BY ?title""")
    assert roles == [("assistant professor of computer science", BASE + "organisation/university-of-eastbridge"),
                     ("leading the direction of this program", BASE + "programme/m-s-in-data-science")]


def test_roles_in_a_department_at_a_university_and_in_a_programme(two):
    roles = select(two, """SELECT ?name ?where { ?p schema:name 'Ahmed Nasser' ; schema:honorificPrefix 'Prof.' ; cg:hasRole ?r .
        ?r cg:roleName ?name ; cg:roleIn ?where } ORDER BY ?name""")
    assert roles == [("chair", BASE + "programme/master-of-science-in-applied-computing"),
                     ("professor", BASE + "organisation/university-of-lakeside/department-of-computer-science")]


# --- Programmes --------------------------------------------------------------------------------------------


def test_one_programme_named_three_ways(news):
    rows = select(news, "SELECT ?p ?name ?degree { ?p a cg:Programme ; schema:name ?name ; cg:degree ?degree }")
    assert rows == [(BASE + "programme/m-s-in-data-science", "M.S. in data science", "M.S.")]
    names = {n for (n,) in select(news, "SELECT ?n { ?p a cg:Programme ; schema:alternateName ?n }")}
    assert names == {"M.S. program in data science", "master's in data science"}


def test_tracks_units_that_deliver_them_and_credits(news):
    tracks = select(news, "SELECT ?t { ?p cg:hasTrack/schema:name ?t } ORDER BY ?t")
    assert tracks == [("data systems",), ("statistical learning",)]
    providers = select(news, "SELECT ?o { ?p cg:providedBy/schema:name ?o } ORDER BY ?o")
    assert providers == [("computing",), ("mathematics and statistics",)]
    assert ("computing", "School of Computer Science") in parents(news)
    credits = select(news, "SELECT ?n ?u { ?p cg:totalCredits ?n ; cg:creditUnit ?u }")
    assert [(float(n), u) for n, u in credits] == [(36.0, "credits")]


def test_two_programmes_in_one_paragraph_keep_their_own_providers(two):
    rows = select(two, "SELECT ?p ?o { ?p a cg:Programme ; cg:providedBy/schema:name ?o } ORDER BY ?p ?o")
    assert rows == [
        (BASE + "programme/m-s-in-robotics", "Westshire Polytechnic"),
        (BASE + "programme/master-of-professional-science-in-geospatial-analytics", "College of Natural Resources"),
        (BASE + "programme/master-of-science-in-applied-computing", "University of Lakeside"),
    ]
    # "(MScAC)" names the programme; "WP will also host the MScAC industry days" does not make WP its provider
    assert select(two, "SELECT ?a { ?p schema:name 'Master of Science in Applied Computing' ; schema:alternateName ?a }") == [("MScAC",)]
    degrees = select(two, "SELECT ?d { ?p cg:degree ?d } ORDER BY ?d")
    assert degrees == [("M.S.",), ("Master of Professional Science",), ("Master of Science",)]
    tracks = select(two, "SELECT ?t { ?p schema:name 'Master of Professional Science in Geospatial Analytics' ; cg:hasTrack/schema:name ?t } ORDER BY ?t")
    assert tracks == [("remote sensing",), ("spatial statistics",), ("urban analytics",)]


# --- German ------------------------------------------------------------------------------------------------


def test_german_hochschule_news(german):
    programmes = select(german, "SELECT ?p ?n ?d { ?p a cg:Programme ; schema:name ?n ; cg:degree ?d } ORDER BY ?n")
    assert programmes == [(BASE + "programme/hochschule-nordstadt/angewandte-robotik", "Angewandte Robotik", "Bachelor"),
                          (BASE + "programme/hochschule-nordstadt/kunstliche-intelligenz", "Künstliche Intelligenz", "Master")]
    # "die Hochschulen Nordstadt, Weststadt und Oststadt sowie die Technische Universität Südheim (TUS)": four providers
    joint = select(german, "SELECT ?o { ?p schema:name 'Angewandte Robotik' ; cg:providedBy/schema:name ?o } ORDER BY ?o")
    assert joint == [("Hochschule Nordstadt",), ("Hochschule Oststadt",), ("Hochschule Weststadt",), ("Technische Universität Südheim",)]
    # "wird vom Fachbereich Informatik der Hochschule Nordstadt angeboten": the unit of the university provides it
    ki = select(german, "SELECT ?o { ?p schema:name 'Künstliche Intelligenz' ; cg:providedBy/schema:name ?o }")
    assert ki == [("Fachbereich Informatik",)]
    assert ("Fachbereich Informatik", "Hochschule Nordstadt") in parents(german)
    credits = select(german, "SELECT ?n ?u { ?p schema:name 'Künstliche Intelligenz' ; cg:totalCredits ?n ; cg:creditUnit ?u }")
    assert [(float(n), u) for n, u in credits] == [(120.0, "Leistungspunkte")]


def test_german_people_honorifics_and_roles(german):
    assert select(german, "SELECT ?h { ?p schema:name 'Anna Berger' ; schema:honorificPrefix ?h } ORDER BY ?h") == [("Dr.",), ("Prof.",)]
    roles = select(german, """SELECT ?title ?where { ?p schema:name 'Anna Berger' ; cg:hasRole ?r . ?r cg:roleTitle ?title ;
        cg:roleIn/schema:name ?where } ORDER BY ?title""")
    assert roles == [("Studiendekanin", "Hochschule Nordstadt"), ("Vizepräsidentin für Studium und Lehre", "Hochschule Nordstadt")]
    # "Der TUS-Student Jonas Weber": a role written as a compound with the organisation's abbreviation
    student = select(german, "SELECT ?name ?where { ?p schema:name 'Jonas Weber' ; cg:hasRole ?r . ?r cg:roleName ?name ; cg:roleIn/schema:name ?where }")
    assert student == [("student", "Technische Universität Südheim")]


# --- A guide of several universities -----------------------------------------------------------------------


def test_a_guide_gives_each_university_its_programmes(guide):
    rows = select(guide, """SELECT ?p ?name ?o { ?p a cg:Programme ; schema:name ?name ; cg:providedBy ?x .
        ?x cg:parentOrganisation*/schema:name ?o FILTER NOT EXISTS { ?x cg:parentOrganisation/cg:parentOrganisation ?y } }
        ORDER BY ?p ?o""")
    providers: dict[str, set[str]] = {}
    for iri, _name, org in rows:
        providers.setdefault(iri, set()).add(org)
    assert providers == {
        BASE + "programme/data-science-msc-programme": {"Faculty of Medicine", "Northfield University"},
        BASE + "programme/universitat-sudheim/data-science": {"Institut für Informatik", "Universität Südheim"},
        BASE + "programme/university-of-eastbridge/data-science": {"University of Eastbridge"},
    }
    tracks = select(guide, "SELECT ?t { ?p cg:hasTrack/schema:name ?t } ORDER BY ?t")
    assert tracks == [("Machine Learning",), ("Statistics",), ("Visual Analytics",)]
    years = select(guide, "SELECT ?y ?c ?u { ?p cg:durationYears ?y ; cg:totalCredits ?c ; cg:creditUnit ?u }")
    assert [(y, float(c), u) for y, c, u in years] == [(2, 120.0, "ECTS")]


def test_a_guide_gives_units_their_section_university(guide):
    assert parents(guide) == [
        ("Department of Biology", "University of Eastbridge"), ("Department of Mathematics", "University of Eastbridge"),
        ("Department of Physics", "University of Eastbridge"), ("Faculty of Medicine", "Northfield University"),
        ("Institut für Informatik", "Universität Südheim"),
    ]
