"""The prose converter: programmes, institutions, people, key areas, prerequisites and listed universities."""

import pytest

from currigraph.convert.prose import acronym
from tests.helpers import BASE, SOURCES, convert_file, convert_text, merged, select

CG = "https://data.currigraph.org/ontology#"


@pytest.fixture(scope="module")
def news():
    return merged(convert_file(SOURCES / "002_fb1c08826e7fe348.txt"))


@pytest.fixture(scope="module")
def guide():
    return merged(convert_file(SOURCES / "003_667c5a06b7248248.txt"))


def test_kind(news, guide):
    assert select(news, "SELECT ?k { ?s cg:documentKind ?k }") == [("prose",)]
    assert select(guide, "SELECT ?k { ?s cg:documentKind ?k }") == [("prose",)]


def test_programme_with_degree_and_abbreviation(news):
    rows = select(news, "SELECT ?name ?degree ?abbr { ?p a cg:Programme ; schema:name ?name ; cg:degree ?degree ; schema:alternateName ?abbr }")
    assert rows == [("M.S. in AIM", "M.S.", "AIM")]


def test_providers_and_collaborating_schools(news):
    providers = select(news, "SELECT ?n { ?p cg:providedBy/schema:name ?n } ORDER BY ?n")
    assert providers == [("Heersink School of Medicine",), ("Marnix E. Heersink Institute for Biomedical Innovation",)]
    # "the UAB schools of Engineering, Business and Health Professions": three schools of UAB, not three organisations
    # named "UAB School of ..."; the college of the same sentence is a unit too (it was typed a university before).
    schools = select(news, "SELECT ?n ?parent { ?p cg:collaboratingOrganisation ?o . ?o schema:name ?n ; cg:parentOrganisation/schema:name ?parent } ORDER BY ?n")
    assert schools == [
        ("College of Arts and Sciences", "UAB"),
        ("School of Business", "UAB"),
        ("School of Engineering", "UAB"),
        ("School of Health Professions", "UAB"),
    ]
    assert select(news, "SELECT ?o { ?o a cg:University }") == []
    # "At UAB's Heersink School of Medicine": the school is a unit of UAB, and its IRI says so.
    school = select(news, "SELECT ?o { ?o schema:name 'Heersink School of Medicine' ; cg:parentOrganisation/schema:name 'UAB' }")
    assert school == [(BASE + "organisation/uab/heersink-school-of-medicine",)]


def test_people_and_roles(news):
    director = select(news, "SELECT ?n ?h { ?p cg:programmeDirector ?x . ?x schema:name ?n ; schema:honorificSuffix ?h }")
    assert director == [("Sandeep Bodduluri", "Ph.D.")]
    dean = select(
        news,
        """SELECT ?org { ?x schema:name "Anupam Agarwal" ; schema:honorificSuffix "M.D." ; cg:hasRole ?r .
             ?r cg:roleName "dean" ; cg:roleIn/schema:name ?org }""",
    )
    assert dean == [("Heersink School of Medicine",)]
    # a shortened name of an institute already named is the same institute, found by acronym or suffix
    roles_in = select(news, 'SELECT DISTINCT ?org { ?x schema:name "Rubin Pillay" ; cg:hasRole/cg:roleIn/schema:name ?org } ORDER BY ?org')
    assert roles_in == [("Heersink School of Medicine",), ("Marnix E. Heersink Institute for Biomedical Innovation",)]
    # a role whose words name no organisation is held in the institution the article is about
    vice = select(news, 'SELECT ?org { ?x schema:name "Anupam Agarwal" ; cg:hasRole ?r . ?r cg:roleName "senior vice president" ; cg:roleIn/schema:name ?org }')
    assert vice == [("UAB",)]
    # role IRIs come from the role and where it is held, not from a number per document
    roles = select(news, 'SELECT ?r { ?x schema:name "Sandeep Bodduluri" ; cg:hasRole ?r } ORDER BY ?r')
    assert roles == [(BASE + "person/sandeep-bodduluri/role/director-of-ai-in-the-mhibi--marnix-e-heersink-institute-for-biomedical-innovation",),
                     (BASE + "person/sandeep-bodduluri/role/m-s-degree-in-aim-program-director--m-s-in-aim",)]


def test_key_areas_and_prerequisite(news):
    areas = select(news, "SELECT ?a { ?p cg:keyArea ?a } ORDER BY ?a")
    assert [a for (a,) in areas] == ["applications", "design of AI application through dissertation research", "foundations", "integration"]
    credential = select(news, "SELECT ?c { ?p cg:hasRequirement ?r . ?r a cg:CredentialRequirement ; cg:credentialName ?c ; schema:description ?d }")
    assert credential == [("Graduate Certificate in AI in Medicine",)]


def test_every_fact_keeps_its_sentence(news):
    rows = select(
        news,
        """SELECT ?p ?evidence ?line ?name { ?st a rdf:Statement ; rdf:predicate ?p ; rdf:object ?o ; cg:evidence ?evidence ; cg:sourceLine ?line .
             OPTIONAL { ?o schema:name ?name } }""",
    )
    assert len(rows) > 15
    lines = (SOURCES / "002_fb1c08826e7fe348.txt").read_text().splitlines()
    for p, evidence, line, name in rows:
        # every name is in its sentence; a role the sentence places nowhere is held in the article's institution (UAB)
        if name and not (p == CG + "roleIn" and name == "UAB"):
            assert name.split()[-1] in evidence or acronym(name) in evidence, (p, name, evidence)
        assert evidence[:30] in lines[line - 1]


def test_guide_lists_eight_universities_and_no_programme(guide):
    names = select(guide, "SELECT ?n { ?s cg:mentionsOrganisation ?u . ?u a cg:University ; schema:name ?n } ORDER BY ?n")
    assert len(names) == 8
    assert ("University of Oxford",) in names and ("King's College London",) in names
    assert select(guide, "SELECT ?a { ?u schema:name 'University College London' ; schema:alternateName ?a }") == [("UCL",)]
    assert select(guide, "SELECT ?p { ?p a cg:Programme }") == []
    # "its Department of Computer Science and its Medical Sciences Division" (in Oxford's item): Oxford's units
    units = select(guide, "SELECT ?u ?p { ?x schema:name ?u ; cg:parentOrganisation/schema:name ?p } ORDER BY ?u")
    assert units == [("Department of Computer Science", "University of Oxford"), ("Institute of Health Informatics", "University College London"),
                     ("Medical Sciences Division", "University of Oxford"), ("School of Informatics", "University of Edinburgh")]


UNSEEN = """
The MSc in Digital Health, offered by the University of Exampleton and the Riverside Institute of Technology, starts next year.
"We are delighted," said Jane Roe, Ph.D., professor of informatics and program director of the MSc in Digital Health.
The MSc in Digital Health will cover three key areas: data engineering, clinical informatics and health policy.
It is open to applicants who have completed the Certificate in Health Data.
It was designed in collaboration with the Exampleton faculties of Law and Medicine.
"""


def test_unseen_article():
    graph = merged(convert_text(UNSEEN, "unseen-news.txt"))
    assert select(graph, "SELECT ?n ?d { ?p a cg:Programme ; schema:name ?n ; cg:degree ?d }") == [("MSc in Digital Health", "MSc")]
    providers = select(graph, "SELECT ?n { ?p cg:providedBy/schema:name ?n } ORDER BY ?n")
    assert providers == [("Riverside Institute of Technology",), ("University of Exampleton",)]
    assert select(graph, "SELECT ?n { ?p cg:programmeDirector/schema:name ?n }") == [("Jane Roe",)]
    assert len(select(graph, "SELECT ?a { ?p cg:keyArea ?a }")) == 3
    assert select(graph, "SELECT ?c { ?r cg:credentialName ?c }") == [("Certificate in Health Data",)]
    # "the Exampleton faculties of Law and Medicine": Exampleton is the University of Exampleton named for short
    faculties = select(graph, "SELECT ?n ?u { ?p cg:collaboratingOrganisation ?f . ?f schema:name ?n ; cg:parentOrganisation/schema:name ?u } ORDER BY ?n")
    assert faculties == [("Faculty of Law", "University of Exampleton"), ("Faculty of Medicine", "University of Exampleton")]


def test_the_words_come_from_the_lexicon_in_data(tmp_path) -> None:
    from currigraph.errors import InputError
    from currigraph.sources.lexicon import DEFAULT_LEXICON, DEFAULT_PROSE, prose_lexicon_path, use_prose_lexicon

    text = "The M.S. in Data Science is sponsored by the University of Elsewhere. The M.S. in Data Science starts soon.\n"

    def providers() -> list[tuple]:
        return select(merged(convert_text(text, "news.txt")), "SELECT ?o { ?p cg:providedBy ?o }")

    # "sponsored" is no providing verb: the university is only named, and a programme no one provides is not written
    assert providers() == []
    lexicon = tmp_path / "lexicon"
    lexicon.mkdir()
    (lexicon / "prose.yaml").write_text(DEFAULT_PROSE.read_text("utf-8").replace("providing_verbs: [", "providing_verbs: [sponsored, "), "utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "prose.yaml").write_text("degrees: []\n", "utf-8")
    unknown = tmp_path / "unknown"
    unknown.mkdir()
    (unknown / "prose-fr.yaml").write_text("organisation_word: [Université]\n", "utf-8")
    before = prose_lexicon_path()
    try:
        use_prose_lexicon(lexicon)
        assert providers() == [(BASE + "organisation/university-of-elsewhere",)]
        use_prose_lexicon(broken)
        with pytest.raises(InputError, match="degrees"):
            convert_text(text, "news.txt")
        use_prose_lexicon(unknown)
        with pytest.raises(InputError, match="unknown key 'organisation_word'"):
            convert_text(text, "news.txt")
    finally:
        use_prose_lexicon(before)
    assert before == DEFAULT_LEXICON
