"""The intake of documents in other layouts and languages: small fixtures written for these tests, shaped like the
real documents of the development corpus (tables, year/semester lists, 'Modul:' lines, Swedish bullets, key/value
tables, capitalised front matter, JSON-LD, windows-1252 HTML), each converted through the real readers."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from currigraph.convert import convert_paths
from currigraph.iris import Minter
from currigraph.sources.document import load_document
from currigraph.vocab import CG, RDF, SCHEMA

ROOT = Path(__file__).resolve().parents[1]


def convert(tmp_path: Path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    conversion = convert_paths([path], Minter())
    graph = Graph()
    for named in conversion.dataset.graphs():
        for triple in named:
            graph.add(triple)
    return load_document(path), graph, conversion.reports[0]


def courses(graph) -> dict[str, URIRef]:
    return {str(graph.value(c, SCHEMA.name)): c for c in graph.subjects(RDF.type, CG.Course)}


def value(graph, node, prop):
    found = graph.value(node, prop)
    return found.toPython() if isinstance(found, Literal) else found


HTML_PROGRAMME = """<!doctype html><html lang="en"><head><title>BSc Applied Widgets - Example University</title></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/study">Study</a></li></ul></nav>
<header><p>Example University</p></header>
<main><h1>BSc Applied Widgets</h1>
<table><tr><td><b>Year One</b></td></tr><tr><td><b><i>Compulsory</i></b></td></tr>
<tr><td><table>
<tr><td><b>Code</b></td><td><b>Title</b></td><td><b>Credits</b></td><td><b>Taught</b></td></tr>
<tr><td>AW101</td><td>Widget Basics</td><td>20</td><td>Autumn</td></tr>
<tr><td>AW102</td><td>Widget Maths</td><td>10</td><td>Spring</td></tr>
<tr><td></td><td>Credit Total</td><td>30</td><td></td></tr></table></td></tr>
<tr><td><b><i>Restricted</i></b></td></tr>
<tr><td><table>
<tr><td><b>Code</b></td><td><b>Title</b></td><td><b>Credits</b></td><td><b>Taught</b></td></tr>
<tr><td>AW150</td><td>Gadget Design</td><td>10</td><td>Full Year</td></tr></table></td></tr></table>
</main><footer><p>Copyright</p></footer><script>var x = 1;</script></body></html>"""


def test_html_programme_page_with_module_tables_and_boilerplate(tmp_path: Path) -> None:
    document, graph, report = convert(tmp_path, "page.html", HTML_PROGRAMME)
    assert document.kind == "programme-page" and document.syntax == "html"
    found = courses(graph)
    assert set(found) == {"Widget Basics", "Widget Maths", "Gadget Design"}  # no "Credit Total", no menu
    basics = found["Widget Basics"]
    assert value(graph, basics, CG.courseCode) == "AW101"
    assert value(graph, basics, CG.credits) == Decimal(20) and value(graph, basics, CG.creditUnit) == "Credits"
    assert value(graph, basics, CG["term"]) == "Autumn"
    assert value(graph, basics, CG.studyYear) == 1
    programme = next(graph.subjects(RDF.type, CG.Programme))
    assert (programme, CG.hasMandatoryCourse, basics) in graph
    assert (programme, CG.hasElectiveCourse, found["Gadget Design"]) in graph
    assert value(graph, programme, SCHEMA.name) == "BSc Applied Widgets"
    assert report.facts["course"] == 3 and not report.warnings


def test_windows_1252_html_is_read_with_its_declared_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>'
            "<h1>Programme Fran\u00e7ais \u2013 Licence</h1><h2>Year 1</h2><ul><li>Math\u00e9matiques (6 ECTS)</li>"
            "<li>Programmation \u2019avanc\u00e9e\u2019 (6 ECTS)</li><li>R\u00e9seaux (6 ECTS)</li></ul></body></html>")
    document, graph, _ = convert(tmp_path, "page.html", page.encode("cp1252"))
    assert document.encoding == "cp1252"
    assert "Mathématiques" in courses(graph)
    assert value(graph, courses(graph)["Mathématiques"], CG.credits) == Decimal(6)


MARKDOWN_YEARS = """# Master in Sample Studies, 120 ECTS

## Year 1

- **Foundations of Samples**, 7,5 ECTS
- **Sampling Methods**, 7,5 ECTS

## Year 2

### Elective courses

- **Advanced Sampling** (5 ECTS)
- **Sample Ethics** (5 ECTS)
"""


def test_markdown_without_front_matter_with_year_headings(tmp_path: Path) -> None:
    document, graph, _ = convert(tmp_path, "plan.md", MARKDOWN_YEARS)
    assert document.kind == "programme-page" and not document.metadata
    found = courses(graph)
    assert value(graph, found["Foundations of Samples"], CG.credits) == Decimal("7.5")
    assert value(graph, found["Foundations of Samples"], CG.studyYear) == 1
    assert value(graph, found["Sample Ethics"], CG.studyYear) == 2
    programme = next(graph.subjects(RDF.type, CG.Programme))
    assert (programme, CG.hasElectiveCourse, found["Advanced Sampling"]) in graph
    assert value(graph, programme, SCHEMA.name) == "Master in Sample Studies"
    assert value(graph, programme, CG.totalCredits) == Decimal(120)
    assert value(graph, programme, CG.durationYears) == 2


GERMAN_SPO = """# Ordnung für den Masterstudiengang Beispielkunde

## § 5 Regelstudienzeit

Die Regelstudienzeit beträgt vier Semester.

## § 6 Aufbau

1. Im Studiengang sind folgende Module zu absolvieren:
    1. Pflichtbereich im Umfang von 15 LP:
        - Modul: Grundlagen der Beispielkunde (10 LP),
        - Modul: Methoden der Beispielkunde (5 LP) und
    2. Wahlpflichtbereich im Umfang von 10 LP:
        - Modul: Vertiefung Beispiele (5 LP)
        - V-Modul: Angewandte Beispiele (DS/5 LP)
"""


def test_german_spo_modul_lines_with_pflicht_and_wahlpflicht(tmp_path: Path) -> None:
    document, graph, _ = convert(tmp_path, "spo.md", GERMAN_SPO)
    assert document.kind == "programme-page"
    found = courses(graph)
    programme = next(graph.subjects(RDF.type, CG.Programme))
    assert (programme, CG.hasMandatoryCourse, found["Methoden der Beispielkunde"]) in graph
    assert (programme, CG.hasElectiveCourse, found["Angewandte Beispiele"]) in graph
    assert value(graph, found["Angewandte Beispiele"], CG.creditUnit) == "LP"
    assert value(graph, found["Grundlagen der Beispielkunde"], CG.ectsCredits) == Decimal(10)
    assert value(graph, programme, CG.numberOfSemesters) == 4


SWEDISH = """# Kandidatprogram i exempelvetenskap, 180 hp

### Kurser i programmet

#### Årskurs 1

- *__Exempelteori__, 7,5 hp (G1N)*. Inledande kurs om exempel.
- *__Exempelmetoder,__ 7,5 hp (G1F)*. Fortsättningskurs.
- *__Exempelprojekt__*, 15 hp (G1F) Projektkurs.

#### Årskurs 2

- *__Avancerade exempel__, 5 hp (G2F)*. Fördjupning.
"""


def test_swedish_bullets_with_decimal_commas(tmp_path: Path) -> None:
    _, graph, _ = convert(tmp_path, "plan.md", SWEDISH)
    found = courses(graph)
    assert set(found) == {"Exempelteori", "Exempelmetoder", "Exempelprojekt", "Avancerade exempel"}
    assert value(graph, found["Exempelteori"], CG.credits) == Decimal("7.5")
    assert value(graph, found["Exempelteori"], CG.creditUnit) == "hp"
    assert value(graph, found["Exempelprojekt"], CG.credits) == Decimal(15)
    assert value(graph, found["Avancerade exempel"], CG.studyYear) == 2
    programme = next(graph.subjects(RDF.type, CG.Programme))
    assert value(graph, programme, CG.totalCredits) == Decimal(180) and value(graph, programme, CG.creditUnit) == "hp"


ITALIAN = """---
title: Piano di studi
weight: 2
---

## Primo Anno

Nel primo anno gli insegnamenti sono tutti obbligatori e danno le basi del corso.

| Codice | Insegnamento | Semestre | CFU |
|--------|--------------|----------|-----|
| 1001   | Esempi I     | Primo    | 6   |
| 1002   | Esempi II    | Secondo  | 9   |
| 1003   | Esempi III   | Secondo  | 6   |
"""

SPANISH = """## Semestre 1

| Clave | Asignatura | Créditos | Carácter |
|-------|------------|----------|----------|
| 201   | Ejemplos básicos | 8 | Obligatoria |
| 202   | Ejemplos libres  | 4 | Optativa |
| 203   | Ejemplos medios  | 8 | Obligatoria |
"""


def test_italian_and_spanish_tables(tmp_path: Path) -> None:
    _, graph, _ = convert(tmp_path, "piano.md", ITALIAN)
    found = courses(graph)
    assert value(graph, found["Esempi II"], CG["term"]) == "Secondo"  # a term, never cg:semesterNumber "Secondo"
    assert value(graph, found["Esempi II"], CG.semesterNumber) is None
    assert value(graph, found["Esempi II"], CG.creditUnit) == "CFU" and value(graph, found["Esempi II"], CG.courseCode) == "1002"
    programme = next(graph.subjects(RDF.type, CG.Programme))
    assert (programme, CG.hasMandatoryCourse, found["Esempi I"]) in graph  # from the section's introduction
    _, graph, _ = convert(tmp_path, "plan.md", SPANISH)
    found = courses(graph)
    programme = next(graph.subjects(RDF.type, CG.Programme))
    assert (programme, CG.hasElectiveCourse, found["Ejemplos libres"]) in graph
    assert value(graph, found["Ejemplos básicos"], CG.semesterNumber) == 1
    assert value(graph, found["Ejemplos básicos"], CG.ectsCredits) is None  # "créditos" has no agreed factor


COURSE_TABLE = """# Syllabus

. | .
--|--
Course code | SMP 5001
Course title | Sampling Theory
Instructor | Ada Example
Credits | 2 US credits (4 ECTS credits)
Term | Fall 2030

## Learning Outcomes

* Explain sampling.
* Apply sampling to data.
"""


def test_course_page_with_a_key_value_table(tmp_path: Path) -> None:
    document, graph, report = convert(tmp_path, "syllabus.md", COURSE_TABLE)
    assert document.kind == "course-page"
    course = courses(graph)["Sampling Theory"]
    assert value(graph, course, CG.courseCode) == "SMP 5001"
    assert value(graph, course, CG.credits) == Decimal(2) and value(graph, course, CG.creditUnit) == "US credits"
    assert value(graph, course, CG.ectsCredits) == Decimal(4)  # as stated, not 2 x the US factor computed again
    assert value(graph, course, CG["term"]) == "Fall 2030"
    assert {str(o) for o in graph.objects(course, CG.endGoal)} == {"Explain sampling.", "Apply sampling to data."}
    person = next(graph.subjects(SCHEMA.name, Literal("Ada Example")))
    assert (person, RDF.type, CG.Person) in graph


CAPITALISED = """---
Name:       Sampling 1
PrelCode:   9XX001
HEC:        5
Year:       2
Semester:   Winter
Language:   English
Mandatory:  Yes
Examiner:   ??
---

# [%PrelCode] - [%Name]

## Course contents

- Basic samples
"""


def test_course_with_capitalised_front_matter_keys(tmp_path: Path) -> None:
    document, graph, _ = convert(tmp_path, "course.md", CAPITALISED)
    assert document.kind == "course-page"
    course = courses(graph)["Sampling 1"]
    assert value(graph, course, CG.courseCode) == "9XX001"
    assert value(graph, course, CG.creditUnit) == "HEC" and value(graph, course, CG.ectsCredits) == Decimal(5)
    assert value(graph, course, CG.studyYear) == 2
    assert value(graph, course, CG["term"]) == "Winter" and value(graph, course, CG.semesterNumber) is None
    assert value(graph, course, SCHEMA.inLanguage) == "en"
    assert value(graph, course, CG.mandatory) is True
    assert {str(o) for o in graph.objects(course, CG.theme)} == {"Basic samples"}


JSON_LD = """<html><head><title>Course</title><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Course", "name": "Embedded Sampling", "courseCode": "ES-1",
 "inLanguage": "German", "provider": {"@type": "CollegeOrUniversity", "name": "Example University"}}
</script></head><body><h1>Embedded Sampling</h1><h2>Learning outcomes</h2><ul><li>Sample.</li></ul></body></html>"""


def test_page_with_schema_org_json_ld(tmp_path: Path) -> None:
    document, graph, _ = convert(tmp_path, "course.html", JSON_LD)
    assert document.kind == "course-page"
    course = courses(graph)["Embedded Sampling"]
    assert value(graph, course, CG.courseCode) == "ES-1"
    assert value(graph, course, SCHEMA.inLanguage) == "de"
    university = next(graph.subjects(SCHEMA.name, Literal("Example University")))
    assert (course, SCHEMA.provider, university) in graph and (university, RDF.type, CG.University) in graph


def test_json_inside_a_script_with_curriculum_keys(tmp_path: Path) -> None:
    page = ("<html><body><h1>Sampling</h1><h2>Course Topics</h2><ol><li>Samples</li></ol><script>const DATA = {pages:"
            "'[{\"name\":\"Sampling\",\"language\":\"FR\",\"semester\":\"Spring\"}]'};</script></body></html>")
    _, graph, _ = convert(tmp_path, "course.html", page)
    course = courses(graph)["Sampling"]
    assert value(graph, course, SCHEMA.inLanguage) == "fr" and value(graph, course, CG["term"]) == "Spring"


def test_a_document_of_unknown_kind_is_reported_never_silent(tmp_path: Path) -> None:
    document, graph, report = convert(tmp_path, "odd.txt", "<<< >>>\n")
    assert document.kind == "unknown"
    assert report.warnings and "no programme, course or organisation" in report.warnings[0]
    source = Minter().source("odd")
    assert (source, CG.documentKind, Literal("unknown")) in graph
    assert any("kind: unknown" in str(n) for n in graph.objects(source, CG.extractionNote))
    assert list(graph.objects(source, CG.extractionWarning))


def test_every_report_says_kind_and_why(tmp_path: Path) -> None:
    _, graph, report = convert(tmp_path, "plan.md", MARKDOWN_YEARS)
    assert report.kind == "programme-page" and "course entries" in report.reasons[0]
    notes = [str(n) for n in graph.objects(Minter().source("plan"), CG.extractionNote)]
    assert any(n.startswith("kind: programme-page") for n in notes) and any(n.startswith("facts:") for n in notes)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "currigraph", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_convert_explain_text_and_json(tmp_path: Path) -> None:
    page = tmp_path / "plan.md"
    page.write_text(MARKDOWN_YEARS, "utf-8")
    text = cli("--project", str(ROOT), "convert", "--explain", str(page))
    assert text.returncode == 0 and "kind: programme-page" in text.stdout and "facts:" in text.stdout
    data = json.loads(cli("--project", str(ROOT), "convert", "--explain", "--format", "json", str(page)).stdout)
    assert data[0]["kind"] == "programme-page" and data[0]["facts"]["course"] == 4


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for folder in ("ontology", "shapes", "queries"):
        subprocess.run(["cp", "-r", str(ROOT / folder), str(root / folder)], check=True)
    (root / "data" / "sources").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(ROOT / "data" / "lexicon"), str(root / "data" / "lexicon")], check=True)
    (root / "data" / "sources" / "plan.md").write_text(MARKDOWN_YEARS, "utf-8")
    return root


def test_build_warns_and_strict_fails_leaving_build_unchanged(project: Path) -> None:
    first = cli("--project", str(project), "build")
    assert first.returncode == 0, first.stderr
    manifest = (project / "build" / "manifest.json").read_bytes()
    (project / "data" / "sources" / "odd.txt").write_text("<<< >>>\n", "utf-8")
    warned = cli("--project", str(project), "build")
    assert warned.returncode == 0 and "1 extraction warning" in warned.stderr
    manifest = (project / "build" / "manifest.json").read_bytes()
    strict = cli("--project", str(project), "build", "--strict")
    assert strict.returncode == 1 and "--strict" in strict.stderr and "odd" in strict.stderr
    assert (project / "build" / "manifest.json").read_bytes() == manifest
