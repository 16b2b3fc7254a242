"""The intake scorer (bench/intake.py): normalisation, matching, the fact model, and the recall/precision arithmetic.

Every fixture is written here into a temporary folder (the real corpus in ../shared is not read): a tiny
expected.yaml beside a tiny document, converted by a fake converter that returns hand-written RDF (so the
figures do not move when the real converters change), and once by today's converters end to end.
"""

import json
import textwrap
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from bench import intake, intake_expected, intake_extract, intake_vocab
from bench.intake_match import (
    code_form,
    language_form,
    name_forms,
    names_meet,
    number_form,
    person_forms,
    status_form,
    text_forms,
    texts_match,
    unit_form,
)

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """@prefix cg: <https://data.currigraph.org/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix ex: <https://example.org/> .
"""


@pytest.fixture(scope="module")
def vocabulary():
    return intake_vocab.load_vocabulary(ROOT / "ontology")


def write(folder: Path, name: str, expected_yaml: str, document: str = "a document\n") -> Path:
    """A document and its expected file in a corpus folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(document, "utf-8")
    path = folder / f"{name}.expected.yaml"
    path.write_text(textwrap.dedent(expected_yaml), "utf-8")
    return path


def fake(trig: str):
    """A converter that ignores its file and returns this RDF (TriG, one named graph)."""

    def convert(_path: Path) -> Dataset:
        dataset = Dataset()
        dataset.graph(URIRef("https://example.org/graph")).parse(data=PREFIXES + trig, format="turtle")
        return dataset

    return convert


def score(tmp_path: Path, expected_yaml: str, trig: str, vocabulary, accepted: str | None = None) -> intake.DocumentScore:
    path = write(tmp_path, "doc", expected_yaml)
    accepted_file = tmp_path / "accepted.yaml"
    accepted_file.write_text(accepted or "accepted: []\n", "utf-8")
    return intake.score_document("doc", tmp_path / "doc.md", path, vocabulary, fake(trig), accepted_file)


def read(tmp_path: Path, expected_yaml: str) -> intake_expected.Expected:
    return intake_expected.read_expected(write(tmp_path, "doc", expected_yaml))


def shown(expected: intake_expected.Expected) -> set[tuple[str, str | None, str]]:
    return {(f.kind, f.scope, f.shown) for f in expected.facts}


# ---------------------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------------------


def test_names_compare_without_case_accents_punctuation_width_or_a_leading_the():
    assert name_forms("Linnéuniversitetet") == name_forms("LINNEUNIVERSITETET")
    assert name_forms("Operating  Systems & Concurrency") == name_forms("operating systems - concurrency")
    assert name_forms("Ｆｕｌｌ\u00a0width ﬁle") == name_forms("full width file")  # NFKC: full-width letters, ligatures
    assert name_forms("The University of Nottingham") == name_forms("University of Nottingham")
    assert name_forms("King's College") == name_forms("Kings College")
    assert name_forms("Universität Tübingen") == name_forms("Universitat Tubingen")


def test_long_and_short_names_meet_but_two_short_forms_do_not():
    kth = name_forms("Kungliga Tekniska Högskolan (KTH)")
    assert names_meet(kth, name_forms("KTH"))
    assert names_meet(kth, name_forms("Kungliga Tekniska Högskolan"))
    # Level codes in parentheses are short forms: they do not make two programmes the same.
    assert not names_meet(name_forms("Data Science (LM)"), name_forms("Fisica (LM)"))
    assert names_meet(name_forms("Master of Science (M.Sc.)"), name_forms("M.Sc."))


def test_person_names_ignore_initials():
    assert person_forms("Zsófia L. Bárány") == person_forms("Zsofia Barany")
    assert person_forms("Anna Maria Rossi") != person_forms("Anna Rossi")


def test_numbers_compare_numerically():
    assert number_form("7,5") == number_form(7.5) == number_form("7.50") == frozenset({"7.5"})
    assert number_form(120) == number_form("120.0") == frozenset({"120"})
    assert number_form("4-8") == number_form("4 – 8") == frozenset({"4-8"})
    assert number_form(True) == number_form(None) == number_form("five") == frozenset()


def test_credit_units_go_through_the_table():
    assert unit_form("högskolepoäng") == unit_form("hp") == unit_form("HEC") == frozenset({"hp"})
    assert unit_form("crediti") == unit_form("CFU") == frozenset({"CFU"})
    assert unit_form("Leistungspunkte") == unit_form("LP") == frozenset({"LP"})
    assert unit_form("ECTS credits") == unit_form("ECTS-Punkte") == unit_form("ects") == frozenset({"ECTS"})
    assert unit_form("US credits") == frozenset({"US credits"})
    assert unit_form("UK credits") == unit_form("credits") == frozenset({"credits"})
    assert unit_form("Créditos") == frozenset({"créditos"})
    assert unit_form("Punkte") == frozenset({"punkte"})  # unknown: compared as written
    assert unit_form(None) == frozenset()


def test_languages_become_bcp47_language_subtags():
    assert language_form("EN") == language_form("English") == language_form("englisch") == language_form("engelska") == {"en"}
    assert language_form("de-DE") == {"de"}
    assert language_form("CN") == {"zh"}  # a country code used for a language, through the alias table
    assert language_form("Samtliga kurser under årskurs 4 och 5 ges på engelska.") == frozenset()


def test_statuses_from_booleans_and_words():
    assert status_form(True) == {"mandatory"} and status_form(False) == {"elective"}
    assert status_form("compulsory, core class") == {"mandatory"}
    assert status_form("Restricted, Group 1") == {"elective"}
    assert status_form("replaceable by elective") == frozenset()  # conditional: the model cannot hold it
    assert status_form("obligatoria de elección") == frozenset()  # both words: ambiguous
    assert status_form("Group 2") == frozenset()


def test_free_texts_match_by_word_overlap_and_codes_without_spaces():
    [a] = text_forms("IELTS 6.5 (no less than 6.0 in any element)")
    [b] = text_forms("IELTS Requirements 6.5 (no less than 6.0 in any element)")
    [c] = text_forms("IELTS 7.0 overall")
    assert texts_match(a, b) and not texts_match(a, c)
    assert code_form("ECBS 6001") == code_form("ecbs-6001") == frozenset({"ecbs6001"})


# ---------------------------------------------------------------------------------------------------------
# Reading expected files
# ---------------------------------------------------------------------------------------------------------


def test_null_and_empty_lists_are_no_facts_but_say_the_kind_was_looked_at(tmp_path):
    expected = read(tmp_path, """
        programmes:
          - name: "Data Studies"
            language: null
            semesters: null
        people: []
        admission_requirements: []
        """)
    assert shown(expected) == {("programme", "P1", "Data Studies")}
    assert {"programme-language", "programme-semesters", "person", "person-role", "requirement"} <= expected.stated
    assert "course-credits" not in expected.stated


def test_unsure_comments_mark_the_facts_on_their_line(tmp_path):
    expected = read(tmp_path, """
        programmes:
          - name: "Data # Studies"        # a quoted hash is not a comment
            semesters: 4                   # unsure: only "Semester 1-4" headings
            number_of_years: 2
            degree: null                   # unsure: no fact, so nothing to mark
        """)
    unsure = {f.kind for f in expected.facts if f.unsure}
    assert unsure == {"programme-semesters"}
    assert ("programme", "P1", "Data # Studies") in shown(expected)


def test_credits_in_every_shape(tmp_path):
    expected = read(tmp_path, """
        courses:
          - {name: "A", credits: [{value: 4, unit: US credits}, {value: 8, unit: ECTS credits}]}
          - {name: "B", credits: {value: "7,5", unit: hp, as_written: "7,5 hp"}}
          - {name: "C", credits: 6}
          - {name: "D", credits: {value: "4-8", unit: créditos}}
          - {name: "E", credits: {value: "several", unit: LP}}
          - {name: "F", credits: null}
        """)
    credits = {f.parts[1:] for f in expected.facts if f.kind == "course-credits"}
    assert credits == {
        (frozenset({"4"}), frozenset({"US credits"})),
        (frozenset({"8"}), frozenset({"ECTS"})),
        (frozenset({"7.5"}), frozenset({"hp"})),
        (frozenset({"6"}), frozenset()),  # no unit given: only the number is scored
        (frozenset({"4-8"}), frozenset({"créditos"})),
    }
    assert any("credits that are not a number" in s for s in expected.skipped)
    assert [f.kind for f in expected.unjudgeable] == ["course-credits"]


def test_a_description_under_a_plural_key_is_not_a_list_of_names(tmp_path):
    expected = read(tmp_path, """
        programmes:
          - name: "Joint Master"
            institutions: "8 universities of the consortium, not named here"
        partners: ["Alpha University", "Beta Institute"]
        """)
    assert not any(f.kind == "programme-provider" and "consortium" in f.shown for f in expected.facts)
    # Top-level partners belong to the document's one programme.
    assert {("programme-provider", "P1", "Alpha University"), ("programme-provider", "P1", "Beta Institute")} <= shown(expected)
    assert any("plural key" in s for s in expected.skipped)


def test_requirements_keep_alternatives_apart(tmp_path):
    expected = read(tmp_path, """
        programmes: [{name: "P"}]
        admission_requirements:
          all_of: ["A levels AAA", "GCSE Maths grade B"]
          english_language_one_of: ["IELTS 6.5", "Pearson Academic 62"]
          route: "Apply through UCAS."
        """)
    assert {f.shown for f in expected.facts if f.kind == "requirement"} == {"A levels AAA", "GCSE Maths grade B", "IELTS 6.5",
                                                                             "Pearson Academic 62"}
    [choice] = [f for f in expected.facts if f.kind == "requirement-choice"]
    assert choice.parts[0] == frozenset({"ielts 6.5", "pearson academic 62"})


def test_units_people_and_guides(tmp_path):
    expected = read(tmp_path, """
        programmes:
          - name: "MS in AI"
            institution: "Wayne State University"
            institution_abbreviation: "WSU"
            faculty: "College of Engineering"
            departments: [{department: "computer science", track: "AI algorithms"}]
        people:
          - name: "Dr. Ann Lee"
            title: "Prof."
            roles: [{role: "chair", organisation: "WSU"}]
        universities:
          - name: "Sorbonne Université"
            institutes: [{name: "Institut X"}]
            programmes: [{name: "HPC Master", degree: MSc}]
        """)
    facts = shown(expected)
    assert ("organisation-parent", None, "College of Engineering < wayne state university") in facts
    assert ("organisation-parent", None, "computer science < college of engineering") in facts
    assert ("programme-track", "P1", "AI algorithms") in facts
    assert ("person-honorific", None, "Dr. Ann Lee: Prof.") in facts
    assert ("programme-provider", "P2", "Sorbonne Université") in facts
    assert ("organisation-parent", None, "Institut X < Sorbonne Université") in facts
    [role_in] = [f for f in expected.facts if f.kind == "person-role-in"]
    assert "wayne state university" in role_in.parts[2]  # "WSU" takes the institution's other names


# ---------------------------------------------------------------------------------------------------------
# Matching and the arithmetic
# ---------------------------------------------------------------------------------------------------------

PROGRAMME_YAML = """
    document: {kind: programme}
    programmes:
      - name: "Master of Science in Tiny Studies"
        abbreviation: MTS
        degree: "Master of Science (M.Sc.)"
        institution: "Riverside University"
        total_credits: {value: 60, unit: ECTS}
        courses:
          - {name: "Quantum Basics", code: "QB 101", semester: 1, mandatory: true, credits: {value: "7,5", unit: hp}}
          - {name: "Lab Safety", semester: 1, mandatory: false}    # unsure: a judgement call
          - {name: "Field Trip", year: 2}
    people:
      - {name: "Ann Lee", role: "programme director", organisation: "Riverside University"}
    """

# 18 expected facts (3 unsure: the Lab Safety line). Extracted 18, all judged:
# right (14): programme name (through its abbreviation), degree (its short form), provider, organisation, course x2,
#   course code (spaces aside), semester x2 (one through the offering's semester node), status of Quantum Basics,
#   credits (hp written in full), person, role, role held in the university;
# wrong (4): total credits 90, Lab Safety mandatory, an invented course, a person the file does not name.
# Missed (4): total credits 60, Lab Safety's status (unsure), Field Trip and its year.
PROGRAMME_TRIG = """
    ex:p a cg:Programme ; schema:name "MTS" ; cg:degree "M.Sc." ; cg:providedBy ex:u ; cg:totalCredits 90 ; cg:creditUnit "ECTS" ;
        cg:hasOffering ex:o1, ex:o2 ; cg:hasCourse ex:c3 .
    ex:u a cg:University ; schema:name "Riverside University" ; rdfs:label "Riverside University" ; prov:wasDerivedFrom ex:src .
    ex:o1 a cg:CourseOffering ; cg:offeredCourse ex:c1 ; cg:semesterNumber 1 ; cg:status cg:Mandatory .
    ex:o2 a cg:CourseOffering ; cg:offeredCourse ex:c2 ; cg:inSemester ex:s1 ; cg:status cg:Mandatory .
    ex:s1 a cg:Semester ; cg:semesterNumber 1 ; schema:name "Semester 1" .
    ex:c1 a cg:Course ; schema:name "Quantum  basics" ; cg:courseCode "QB101" ; cg:credits "7.5"^^xsd:decimal ;
        cg:creditUnit "högskolepoäng" .
    ex:c2 a cg:Course ; schema:name "Lab Safety" .
    ex:c3 a cg:Course ; schema:name "Invented Course" .
    ex:ann a cg:Person ; schema:name "Ann Lee" ; cg:hasRole ex:r1 .
    ex:r1 a cg:RoleAssignment ; cg:roleTitle "programme director" ; cg:roleName "director" ; cg:roleIn ex:u .
    ex:bob a cg:Person ; schema:name "Bob Smith" .
    ex:fact a rdf:Statement ; rdf:subject ex:p ; rdf:predicate cg:degree ; rdf:object "M.Sc." ; cg:evidence "M.Sc. in Tiny Studies" .
    ex:src a cg:SourceDocument ; cg:fileName "doc.md" ; cg:documentKind "programme-page" .
    """


def test_recall_and_precision_arithmetic(tmp_path, vocabulary):
    result = score(tmp_path, PROGRAMME_YAML, PROGRAMME_TRIG, vocabulary)
    assert result.error is None
    assert result.expected == 18
    assert (result.found, result.extracted, result.judged, result.right) == (14, 18, 18, 14)
    assert result.recall == pytest.approx(14 / 18)
    assert result.precision == pytest.approx(14 / 18)
    assert result.expected_unsure == 3 and result.missed_unsure == 1
    assert sorted(result.wrong_facts) == [
        "course [P1] Invented Course",
        "course-status [P1] Lab Safety: mandatory",
        "person [-] Bob Smith",
        "programme-credits [P1] 90 ECTS",
    ]
    assert sorted(result.missed_facts) == [
        "course [P1] Field Trip",
        "course-status [P1] Lab Safety: elective (unsure)",
        "course-year [P1] Field Trip: 2",
        "programme-credits [P1] 60 ECTS",
    ]


def test_course_facts_count_only_in_their_programme(tmp_path, vocabulary):
    yaml_text = """
        programmes:
          - name: "Alpha"
            courses: [{name: "Shared Course", credits: {value: 5, unit: ECTS}}]
          - name: "Beta"
            courses: []
        """
    # The course is put in the wrong programme: its facts are not Alpha's.
    wrong = score(tmp_path, yaml_text, """
        ex:a a cg:Programme ; schema:name "Alpha" .  ex:b a cg:Programme ; schema:name "Beta" ; cg:hasCourse ex:c .
        ex:c a cg:Course ; schema:name "Shared Course" ; cg:ectsCredits 5 .""", vocabulary)
    assert (wrong.found, wrong.right, wrong.judged) == (2, 2, 4)
    right = score(tmp_path, yaml_text, """
        ex:a a cg:Programme ; schema:name "Alpha" ; cg:hasCourse ex:c .  ex:b a cg:Programme ; schema:name "Beta" .
        ex:c a cg:Course ; schema:name "Shared Course" ; cg:ectsCredits 5 .""", vocabulary)
    assert (right.found, right.expected, right.precision) == (4, 4, 1.0)


def test_a_course_page_course_counts_in_any_programme_and_credits_without_unit_are_ects(tmp_path, vocabulary):
    result = score(tmp_path, """
        courses:
          - name: "Advanced Macroeconomics"
            credits: [{value: 4, unit: US credits}, {value: 8, unit: ECTS credits}]
            mandatory_for: [{programme: "PhD in Economics", status: "compulsory, core class"}]
        """, """
        ex:p a cg:Programme ; schema:name "PhD in Economics" ; cg:hasMandatoryCourse ex:c .
        ex:c a cg:Course ; schema:name "Advanced Macroeconomics" ; cg:credits 8 .""", vocabulary)
    # course (unscoped and in the PhD), the PhD's name, its status there, 8 ECTS found; 4 US credits missed.
    assert (result.expected, result.found, result.judged, result.right) == (6, 5, 4, 4)


def test_programmes_align_by_name_by_provider_and_the_one_left(tmp_path, vocabulary):
    entries = [
        intake_expected.ProgrammeEntry("P1", name_forms("Computer Science"), "Computer Science", True),
        intake_expected.ProgrammeEntry("P2", frozenset(), "", True, set(name_forms("USI"))),
        intake_expected.ProgrammeEntry("P3", name_forms("Data Science BSc"), "Data Science BSc", False),
    ]
    node = intake_extract.ProgrammeNode
    nodes = {
        "n1": node("n1", name_forms("Computer Science BSc"), "", frozenset()),
        "n2": node("n2", name_forms("HPC track"), "", name_forms("Università della Svizzera Italiana (USI)")),
        "n3": node("n3", name_forms("Data Science BSc"), "", frozenset()),
    }
    assert intake.align(entries, nodes) == {"n3": "P3", "n2": "P2", "n1": "P1"}


def test_sampled_files_judge_only_what_they_sample(tmp_path, vocabulary):
    result = score(tmp_path, """
        spot_check_courses:
          - {name: "Robust Machine Learning", code: CIT423004, credits: 3}
        """, """
        ex:c1 a cg:Course ; schema:name "Robust Machine Learning" ; cg:courseCode "CIT423004" ; cg:credits 4 .
        ex:c2 a cg:Course ; schema:name "Some Other Module" ; cg:courseCode "IN0001" ; cg:credits 5 .""", vocabulary)
    # c2 is not in the sample: its three facts are not judged. c1's credits are wrong (4, not 3).
    assert (result.extracted, result.judged, result.right, result.found, result.expected) == (6, 3, 2, 2, 3)
    assert len(result.unjudged_facts) == 3


def test_silent_kinds_and_unscorable_values_are_not_judged(tmp_path, vocabulary):
    result = score(tmp_path, """
        programmes:
          - name: "Engineering"
            language: "Some courses are taught in English, the others in Swedish."
            courses:
              - {name: "Formal Methods", mandatory: "replaceable by elective"}
        people: []
        """, """
        ex:p a cg:Programme ; schema:name "Engineering" ; schema:inLanguage "en" ; cg:numberOfSemesters 10 ; cg:hasOffering ex:o .
        ex:o cg:offeredCourse ex:c ; cg:status cg:Mandatory .
        ex:c a cg:Course ; schema:name "Formal Methods" .
        ex:x a cg:Person ; schema:name "Eve Example" .""", vocabulary)
    # Judged: programme, course (right) and the person (wrong: the file says there are none). Not judged: the
    # language and the status (written in words the model cannot hold) and the semesters (the file is silent).
    assert (result.judged, result.right) == (3, 2)
    assert len(result.unjudged_facts) == 3
    assert len(result.not_scorable) == 2


def test_accepted_extras_count_as_right_but_not_in_recall(tmp_path, vocabulary):
    yaml_text = """
        courses:
          - {name: "Deep-learning", language: "EN", mandatory: null}
        """
    trig = """ex:c a cg:Course ; schema:name "Deep-learning" ; schema:inLanguage "en" ; cg:mandatory false ."""
    before = score(tmp_path, yaml_text, trig, vocabulary)
    accepted = """
        accepted:
          - document: doc
            kind: course-status
            programme: null
            values: ["Deep-learning", false]
            why: "The page lists it under electives."
        """
    after = score(tmp_path, yaml_text, trig, vocabulary, textwrap.dedent(accepted))
    assert (before.expected, before.found, before.judged, before.right) == (2, 2, 3, 2)
    assert (after.expected, after.found, after.judged, after.right) == (2, 2, 3, 3)


def test_a_conversion_that_raises_counts_as_zero_facts(tmp_path, vocabulary):
    write(tmp_path / "corpus" / "news", "broken", "programmes: [{name: \"X\", degree: \"M.S.\"}]\n")
    write(tmp_path / "corpus" / "news", "fine", "programmes: [{name: \"Y\"}]\n")

    def convert(path: Path) -> Dataset:
        if path.stem == "broken":
            raise ValueError("cannot read this layout\nsecond line")
        return fake('ex:p a cg:Programme ; schema:name "Y" .')(path)

    scores = intake.run(tmp_path / "corpus", convert=convert, accepted_file=tmp_path / "none.yaml")
    broken, fine = scores
    assert (broken.name, broken.error, broken.extracted, broken.found, broken.zero) == (
        "news/broken", "ValueError: cannot read this layout", 0, 0, True)
    assert broken.recall == 0.0 and broken.precision is None
    assert (fine.found, fine.right, fine.zero) == (1, 1, False)
    totals = intake.totals(scores)
    assert (totals.expected, totals.found, totals.judged, totals.right, totals.zero_fact_documents, totals.errors) == (3, 1, 1, 1, 1, 1)
    assert totals.recall == pytest.approx(1 / 3) and totals.precision == 1.0
    report = intake.markdown(scores, 0.1, tmp_path, details=False)
    assert "| news/broken | news | 2 | 0 | 0 | 0 | 0.0% | – | yes |" in report
    assert "- news/broken: ValueError: cannot read this layout" in report
    assert "**33.3%** | **100.0%** | 1 |" in report


def test_micro_average_weighs_documents_by_their_facts(tmp_path):
    a = intake.DocumentScore("a", "course", expected=10, found=9, extracted=10, judged=10, right=10)
    b = intake.DocumentScore("b", "programme", expected=90, found=9, extracted=30, judged=20, right=10)
    totals = intake.totals([a, b])
    assert totals.recall == pytest.approx(18 / 100) and totals.precision == pytest.approx(20 / 30)


# ---------------------------------------------------------------------------------------------------------
# The vocabulary follows the ontology
# ---------------------------------------------------------------------------------------------------------


def test_sub_properties_declared_in_the_ontology_are_read(tmp_path):
    ontology = tmp_path / "ontology"
    ontology.mkdir()
    (ontology / "o.ttl").write_text(PREFIXES + """
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        cg:sponsoredBy rdfs:subPropertyOf cg:providedBy .
        cg:providedBy rdfs:subPropertyOf schema:provider .
        cg:Academy rdfs:subClassOf cg:University . cg:University rdfs:subClassOf cg:Organisation .
        cg:courseCode a owl:DatatypeProperty .
        """, "utf-8")
    vocabulary = intake_vocab.load_vocabulary(ontology)
    assert "https://data.currigraph.org/ontology#sponsoredBy" in vocabulary.iris("provider")
    assert "https://data.currigraph.org/ontology#Academy" in vocabulary.iris("organisation_class")
    assert "cg:courseCode" not in vocabulary.planned_missing() and "cg:creditUnit" in vocabulary.planned_missing()
    result = score(tmp_path, """
        programmes: [{name: "P", institution: "Old Academy"}]
        """, """ex:p a cg:Programme ; schema:name "P" ; cg:sponsoredBy ex:a . ex:a a cg:Academy ; schema:name "Old Academy" .""",
        vocabulary)
    assert (result.found, result.expected, result.right, result.judged) == (3, 3, 3, 3)


def test_planned_terms_not_yet_declared_are_listed(vocabulary):
    missing = vocabulary.planned_missing()
    assert set(missing) <= set(intake_vocab.PLANNED)
    assert all(intake_vocab.expand(c) not in vocabulary.declared for c in missing)


# ---------------------------------------------------------------------------------------------------------
# End to end, with today's converters and the command line
# ---------------------------------------------------------------------------------------------------------

TINY_PAGE = """---
title: "Master of Science in Tiny Studies (MTS)"
---

### Programme structure

The programme comprises two semesters. Courses are taught in English.

### Semester 1

#### Core modules

**Quantum Basics** *(Methods, 5 ECTS)*

### Semester 2

#### Compulsory modules

**Thesis Seminar** *(Methods)*
"""


def test_command_line_with_todays_converters(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write(corpus / "programme", "tiny", """
        document: {kind: programme}
        programmes:
          - name: "Master of Science in Tiny Studies"
            semesters: 2
            courses: [{name: "Quantum Basics", semester: 1}, {name: "Thesis Seminar", semester: 2}, {name: "Field Trip"}]
        """, TINY_PAGE)
    out = tmp_path / "scores.json"
    assert intake.main([str(corpus), "--json", str(out)]) == 0
    report = capsys.readouterr().out
    data = json.loads(out.read_text("utf-8"))
    [document] = data["documents"]
    assert document["name"] == "programme/tiny" and document["error"] is None and document["expected"] == 7
    assert 0 < document["found"] <= 7 and document["right"] <= document["judged"] <= document["extracted"]
    assert data["overall"]["recall"] == pytest.approx(document["found"] / 7)
    assert f"| programme/tiny | programme | 7 | {document['extracted']}" in report
    assert intake.main([str(corpus), "--doc", "tiny"]) == 0
    assert "**Missed**" in capsys.readouterr().out
