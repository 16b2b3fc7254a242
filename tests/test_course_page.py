"""The course page converter: front matter fields and body sections, on the bundled page and unseen ones."""

import pytest

from tests.helpers import SOURCES, convert_file, convert_text, merged, select

COURSE = "https://data.currigraph.org/course/ai-for-healthcare-choice"


@pytest.fixture(scope="module")
def course():
    return merged(convert_file(SOURCES / "001_3c801de081a333e4.txt"))


def test_kind(course):
    assert select(course, "SELECT ?k { ?s cg:documentKind ?k }") == [("course-page",)]


def test_front_matter_fields(course):
    rows = select(
        course,
        f"""SELECT ?name ?sem ?credits ?option ?weight ?english ?lang {{ <{COURSE}> a cg:Course ; schema:name ?name ;
              cg:semesterNumber ?sem ; cg:credits ?credits ; cg:choiceGroup ?option ; cg:weight ?weight ;
              cg:englishOnly ?english ; schema:inLanguage ?lang }}""",
    )
    assert rows == [("AI For Healthcare (choice)", 1, 6, 1, 20, True, "en")]
    tags = select(course, f"SELECT ?t {{ <{COURSE}> cg:tag ?t }} ORDER BY ?t")
    assert [t for (t,) in tags] == ["AutomatedAI", "CI/CD", "CloudAI", "Kubernetes"]
    assert select(course, f"SELECT ?l {{ <{COURSE}> cg:pillar/skos:prefLabel ?l }}") == [("analysis",)]
    assert select(course, f"SELECT ?n {{ <{COURSE}> cg:inTrack/schema:name ?n }}") == [("ai-english",)]
    assert select(course, f"SELECT ?r {{ <{COURSE}> cg:alternateRef ?r }}") == [("english/deep-learning",)]


def test_body_sections(course):
    themes = select(course, f"SELECT ?t {{ <{COURSE}> cg:theme ?t }}")
    assert len(themes) == 6
    assert any("Generative Adversarial Networks" in t for (t,) in themes)
    goal = select(course, f"SELECT ?g {{ <{COURSE}> cg:endGoal ?g }}")
    assert goal and goal[0][0].startswith("In this course you will learn")
    description = select(course, f"SELECT ?d {{ <{COURSE}> schema:description ?d }}")
    assert description[0][0].startswith("Choice between Deep Learning")


def test_alternate_is_not_declared_a_course(course):
    rows = select(course, "SELECT ?c { ?c a cg:Course }")
    assert rows == [(COURSE,)]


def test_unseen_course_page():
    text = """---
title: Federated Learning in Hospitals
semester: 2
credits: 7.5
pillar: [methods, privacy]
tracks:
  - data-science
programme: xaim
language: de
keywords: [privacy]
---
Learn to train models across hospitals without moving data.

## Learning outcomes
You can run a federated training round.

## Topics
- Secure aggregation
- Differential privacy
"""
    graph = merged(convert_text(text, "fl.md.txt"))
    iri = "https://data.currigraph.org/course/federated-learning-in-hospitals"
    rows = select(graph, f"SELECT ?sem ?credits ?lang {{ <{iri}> cg:semesterNumber ?sem ; cg:credits ?credits ; schema:inLanguage ?lang }}")
    assert rows == [(2, 7.5, "de")] or [(r[0], float(r[1]), r[2]) for r in rows] == [(2, 7.5, "de")]
    pillars = select(graph, f"SELECT ?l {{ <{iri}> cg:pillar/skos:prefLabel ?l }} ORDER BY ?l")
    assert pillars == [("methods",), ("privacy",)]
    assert select(graph, f"SELECT ?p {{ <{iri}> cg:courseOf ?p }}") == [("https://data.currigraph.org/programme/xaim",)]
    assert len(select(graph, f"SELECT ?t {{ <{iri}> cg:theme ?t }}")) == 2
    assert select(graph, f"SELECT ?g {{ <{iri}> cg:endGoal ?g }}") == [("You can run a federated training round.",)]


def test_bad_values_are_kept_for_the_shapes_to_report():
    text = "---\ntitle: Broken\nsemester: first\nstudycredits: -3\ntracks: [x]\n---\nBody text here.\n"
    conversion = convert_text(text, "broken.txt")
    graph = merged(conversion)
    iri = "https://data.currigraph.org/course/broken"
    assert select(graph, f"SELECT ?s {{ <{iri}> cg:semesterNumber ?s }}") == [("first",)]
    assert select(graph, f"SELECT ?c {{ <{iri}> cg:credits ?c }}")[0][0] == -3
    from rdflib import URIRef

    from currigraph.vocab import CG

    assert conversion.lines[(URIRef(iri), CG.credits)] == ("broken.txt", 4)
