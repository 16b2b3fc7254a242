"""Catalogues as a document kind: the shipped mappings on files shaped like the corpus exports, the worked example of
docs/catalogues.md (CSV and XLSX), finding a file's mapping, refusing what no mapping reads, provenance, and the
conversion paths the CLI and the build take (convert_paths, worker processes).

The fixtures in tests/data/catalogues/ are written for these tests in the shapes of a TUMonline curriculum-tree
export and of the University of Trento's course catalogue; the corpus files themselves are not in the repository.
"""

import hashlib
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from multiprocessing import get_context
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from currigraph.convert import convert_paths
from currigraph.convert.batch import convert_chunk, convert_corpus
from currigraph.convert.catalogue import (
    DEFAULT_MAPPINGS,
    NO_MAPPING,
    Catalogue,
    CatalogueWriter,
    catalogue_format,
    catalogue_mappings,
    catalogue_mappings_path,
    convert_catalogue,
    find_mapping,
    use_catalogue_mappings,
)
from currigraph.errors import InputError
from currigraph.iris import Minter, slugify
from currigraph.mapping.spec import load_mapping
from currigraph.project import Project
from currigraph.vocab import CG_NS, PROV_NS, RDF_TYPE, SCHEMA_NS
from tests.helpers import ROOT, merged

BASE = "https://data.currigraph.org/"
DATA = ROOT / "tests" / "data" / "catalogues"
TUM_SHAPED = DATA / "curriculum_tree_master_robotics.json"
UNITN_SHAPED = DATA / "corsi_ateneo.json"
TYPE, DERIVED = URIRef(RDF_TYPE), URIRef(PROV_NS + "wasDerivedFrom")
XSD = "http://www.w3.org/2001/XMLSchema#"


def cg(local: str) -> URIRef:
    return URIRef(CG_NS + local)


def schema(local: str) -> URIRef:
    return URIRef(SCHEMA_NS + local)


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def graph_of(writer: CatalogueWriter) -> Graph:
    graph = Graph()
    for triple in writer.graph:
        graph.add(triple)
    return graph


def values(graph: Graph, subject: str, predicate: URIRef) -> set[object]:
    return set(graph.objects(iri(subject), predicate))


def typed(graph: Graph, cls: URIRef) -> set[str]:
    return {str(s).removeprefix(BASE) for s in graph.subjects(TYPE, cls)}


@pytest.fixture
def mappings_dir(tmp_path: Path) -> Iterator[Path]:
    """A project mappings folder starting with the shipped mappings; the active folder is restored afterwards."""
    folder = tmp_path / "mappings" / "catalogues"
    shutil.copytree(DEFAULT_MAPPINGS, folder)
    before = catalogue_mappings_path()
    use_catalogue_mappings(folder)
    yield folder
    use_catalogue_mappings(before)


# ---------------------------------------------------------------------------------------------------------
# The shipped mappings on corpus-shaped files
# ---------------------------------------------------------------------------------------------------------


def test_each_shipped_mapping_claims_its_shape_and_only_it() -> None:
    mappings = {m.path.stem: m for m in catalogue_mappings(DEFAULT_MAPPINGS)}
    assert set(mappings) == {"tumonline-curriculum-tree", "unitn-course-catalogue"}
    tum, unitn = Catalogue(TUM_SHAPED, TUM_SHAPED.read_bytes()), Catalogue(UNITN_SHAPED, UNITN_SHAPED.read_bytes())
    assert find_mapping(tum, list(mappings.values())) is mappings["tumonline-curriculum-tree"]
    assert find_mapping(unitn, list(mappings.values())) is mappings["unitn-course-catalogue"]


def test_curriculum_tree_modules_become_courses_with_code_credits_unit_and_status() -> None:
    writer = convert_catalogue(TUM_SHAPED, minter=Minter(BASE))
    g = graph_of(writer)
    assert writer.mapping.name == "TUMonline curriculum tree" and writer.records == 7
    kinematics = "course/rb1001-robot-kinematics"
    assert values(g, kinematics, schema("name")) == {Literal("Robot Kinematics")}
    assert values(g, kinematics, cg("courseCode")) == {Literal("RB1001")}
    assert values(g, kinematics, cg("credits")) == {Literal(Decimal(8), datatype=URIRef(XSD + "decimal"))}
    assert values(g, kinematics, cg("creditUnit")) == {Literal("ECTS")}
    assert values(g, kinematics, cg("ectsCredits")) == {Literal(Decimal(8), datatype=URIRef(XSD + "decimal"))}
    # mandatory/elective from the names of the rule-tree categories, at whatever level key they sit
    assert values(g, kinematics, cg("mandatory")) == {Literal(True)}
    assert values(g, "course/rb2002-motion-planning", cg("mandatory")) == {Literal(False)}
    assert values(g, "course/la0010-deutsch-a1-1", cg("mandatory")) == {Literal(False)}  # "Support Electives"
    assert values(g, "course/practical-course-without-code", cg("mandatory")) == {Literal(True)}  # "Pflicht..."
    assert values(g, "course/practical-course-without-code", cg("courseCode")) == set()
    assert values(g, "course/xx0001-uncategorised-workshop", cg("mandatory")) == set()  # no status word: nothing said
    assert values(g, "course/ph3003-philosophy-of-machines", cg("credits")) == set()  # null credits
    # the module listed twice is one course; no programme is named, so there are no programmes or offerings
    assert len(typed(g, cg("Course"))) == 6
    assert typed(g, cg("Programme")) == set() and typed(g, cg("CourseOffering")) == set()


def test_a_programme_constant_makes_offerings_that_agree_with_the_programme(mappings_dir: Path, tmp_path: Path) -> None:
    text = (mappings_dir / "tumonline-curriculum-tree.yaml").read_text("utf-8")
    text = text.replace("  programme: null", "  programme: M.Sc. Robotics").replace(
        "  record-keys:", '  file-name: "*master_robotics*"\n  record-keys:')
    (mappings_dir / "tum-robotics.yaml").write_text(text, "utf-8")
    writer = convert_catalogue(TUM_SHAPED, minter=Minter(BASE))
    assert writer.mapping.path.name == "tum-robotics.yaml"  # the narrower mapping wins
    g = graph_of(writer)
    programme = "programme/m-sc-robotics"
    kinematics, planning = "course/m-sc-robotics/rb1001-robot-kinematics", "course/m-sc-robotics/rb2002-motion-planning"
    assert values(g, programme, schema("name")) == {Literal("M.Sc. Robotics")}
    assert iri(kinematics) in values(g, programme, cg("hasMandatoryCourse"))
    assert iri(planning) in values(g, programme, cg("hasElectiveCourse"))
    offering = f"{programme}/offering/rb1001-robot-kinematics"
    assert values(g, offering, cg("status")) == {cg("Mandatory")}
    assert values(g, offering, cg("offeredCourse")) == {iri(kinematics)}
    assert iri(offering) in values(g, programme, cg("hasOffering"))
    assert values(g, kinematics, cg("courseOf")) == {iri(programme)}
    assert values(g, kinematics, cg("mandatory")) == set()  # the offering says it
    # Checked with the project's shapes: it conforms; the provider the export does not name is a warning.
    report = _validate(g)
    assert report.violations == []
    assert "The programme names no providing institution or partner; consider adding it." in {p.message for p in report.problems}


def test_course_records_with_people_under_role_keys() -> None:
    g = graph_of(convert_catalogue(UNITN_SHAPED, minter=Minter(BASE)))
    ai, maths = "programme/intelligenza-artificiale-lm", "programme/matematica-lm"
    course = "course/intelligenza-artificiale-lm/apprendimento-automatico"
    assert values(g, ai, schema("name")) == {Literal("Intelligenza Artificiale (LM)")}
    assert values(g, course, cg("courseOf")) == {iri(ai)}
    assert values(g, "course/matematica-lm/apprendimento-automatico", cg("courseOf")) == {iri(maths)}
    assert values(g, course, schema("provider")) == {iri("organisation/dipartimento-di-informatica")}
    assert values(g, "organisation/dipartimento-di-informatica", schema("name")) == {Literal("Dipartimento di Informatica")}
    assert values(g, "course/lettere-l2/storia-dell-arte", schema("provider")) == set()  # "dipartimento": []
    # HTML stripped, entities decoded
    assert values(g, course, schema("description")) == {
        Literal("Il corso introduce l'apprendimento supervisionato.\nSeconda parte: reti neurali.")}
    assert values(g, "course/lettere-l2/storia-dell-arte", schema("description")) == {Literal("Testo con l'apostrofo e spazi")}
    assert values(g, course, schema("url")) == {URIRef("https://catalogue.example.org/af/2023?corso=X1&ad=1")}
    assert values(g, "course/matematica-lm/apprendimento-automatico", schema("url")) == set()  # "not a url"
    # people: given and family name together, one role per list they are in, held in the course
    assert typed(g, cg("Person")) == {f"person/{slugify(n)}" for n in
                                      ("Anna Maria Verdi", "Bianca Rossi", "Carlo De Luca", "Dario Neri", "Elena Gialli")}
    roles = {(str(p).removeprefix(BASE), str(g.value(a, cg("roleName"))), str(g.value(a, cg("roleIn"))).removeprefix(BASE))
             for p, a in g.subject_objects(cg("hasRole"))}
    assert roles == {
        ("person/anna-maria-verdi", "titolare", course),
        ("person/anna-maria-verdi", "titolare", "course/matematica-lm/apprendimento-automatico"),
        ("person/bianca-rossi", "docente", course),
        ("person/bianca-rossi", "assistente", "course/matematica-lm/apprendimento-automatico"),
        ("person/carlo-de-luca", "docente", course),
        ("person/dario-neri", "tutor", course),
        ("person/elena-gialli", "titolare", "course/lettere-l2/storia-dell-arte"),
    }
    assert all(g.value(a, cg("roleTitle")) == g.value(a, cg("roleName")) for a in g.objects(None, cg("hasRole")))


def test_provenance_one_named_graph_per_file() -> None:
    writer = convert_catalogue(UNITN_SHAPED, minter=Minter(BASE))
    g = graph_of(writer)
    source = iri("source/corsi-ateneo")
    assert writer.source == source and writer.graph_iri == iri("graph/corsi-ateneo")
    assert values(g, "graph/corsi-ateneo", DERIVED) == {source}
    assert values(g, "source/corsi-ateneo", cg("documentKind")) == {Literal("catalogue")}
    assert values(g, "source/corsi-ateneo", cg("fileName")) == {Literal("corsi_ateneo.json")}
    assert values(g, "source/corsi-ateneo", cg("sha256")) == {Literal(hashlib.sha256(UNITN_SHAPED.read_bytes()).hexdigest())}
    assert "UniTN course catalogue" in str(g.value(source, URIRef("http://purl.org/dc/terms/title")))
    made = {s for s in g.subjects(TYPE, None) if not str(s).startswith((str(source), BASE + "agent/"))}
    assert made and all((s, DERIVED, source) in g for s in made)


def test_the_same_file_gives_the_same_triples() -> None:
    first = sorted(" ".join(t.n3() for t in triple) for triple in convert_catalogue(UNITN_SHAPED, minter=Minter(BASE)).graph)
    second = sorted(" ".join(t.n3() for t in triple) for triple in convert_catalogue(UNITN_SHAPED, minter=Minter(BASE)).graph)
    assert first == second


def test_the_kind_is_told_by_content_not_by_the_file_name(tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    renamed.write_bytes(TUM_SHAPED.read_bytes())
    assert catalogue_format(renamed, renamed.read_bytes()) == "json"
    assert convert_catalogue(renamed, minter=Minter(BASE)).mapping.name == "TUMonline curriculum tree"
    jsonld = b'{"@context": "http://schema.org/", "@type": "Course", "name": "X"}'
    assert catalogue_format(tmp_path / "course.json", jsonld) is None
    prose = b"A new master's programme in AI starts this autumn, the university announced."
    assert catalogue_format(tmp_path / "news.txt", prose) is None
    assert catalogue_format(tmp_path / "list.csv", b"a,b\n1,2\n") == "csv"


def test_a_json_file_that_does_not_parse_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b'[\n  {"code": "A1",\n   "title": }\n]')
    with pytest.raises(InputError, match="not valid JSON") as caught:
        convert_paths([path], Minter(BASE))
    assert caught.value.line == 3
    assert catalogue_format(tmp_path / "page.md", b"[Home](/) | [Courses](/courses)") is None  # Markdown, not JSON


# ---------------------------------------------------------------------------------------------------------
# What no mapping reads is reported
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, data, seen", [
    ("courses.json", b'[{"code": "A1", "title": "Algebra", "ects": 6}]', "a JSON array of 1 items; its first object has the keys code, title, ects"),
    ("export.json", b'{"result": {"rows": []}}', "a JSON object with the keys result"),
    ("courses.csv", b"Kurs;Code\nAlgebra;A1\n", "a table whose header row reads Kurs, Code"),
])
def test_a_catalogue_no_mapping_reads_is_an_error_that_says_what_to_do(tmp_path: Path, name: str, data: bytes, seen: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        convert_catalogue(path, minter=Minter(BASE))
    assert NO_MAPPING in caught.value.message and seen in caught.value.message and caught.value.file == str(path)
    with pytest.raises(InputError, match=re.escape(NO_MAPPING)):  # the same through the CLI's and the scorer's path
        convert_paths([path], Minter(BASE))


def test_a_mapping_that_finds_nothing_is_an_error(tmp_path: Path) -> None:
    mapping_path = tmp_path / "m.yaml"
    mapping_path.write_text("""currigraph-mapping: 1
name: Nested courses
match: {format: json, record-keys: [title]}
records: "$.courses[*]"
values: {title: title, code: code}
nodes:
  - iri: "course/{code}"
""", "utf-8")
    mapping = load_mapping(mapping_path)
    empty = tmp_path / "empty.json"
    empty.write_bytes(b'{"courses": []}')
    with pytest.raises(InputError, match=r"finds no records at \$\.courses\[\*\]"):
        convert_catalogue(empty, minter=Minter(BASE), mapping=mapping)
    codeless = tmp_path / "codeless.json"
    codeless.write_bytes(b'{"courses": [{"title": "Algebra"}]}')
    with pytest.raises(InputError, match="read 1 records but made nothing"):
        convert_catalogue(codeless, minter=Minter(BASE), mapping=mapping)


def test_a_broken_mapping_in_the_folder_is_reported_with_its_file(mappings_dir: Path) -> None:
    (mappings_dir / "broken.yaml").write_text("currigraph-mapping: 1\nname: x\nmatch: {format: json}\nnodes: []\n", "utf-8")
    with pytest.raises(InputError, match="missing key 'record-keys'") as caught:
        convert_catalogue(TUM_SHAPED, minter=Minter(BASE))
    assert caught.value.file.endswith("broken.yaml")


# ---------------------------------------------------------------------------------------------------------
# The worked example of docs/catalogues.md, as CSV and as XLSX
# ---------------------------------------------------------------------------------------------------------

DOC = (ROOT / "docs" / "catalogues.md").read_text("utf-8")
EXAMPLE_CSV = re.search(r"`courses\.csv`[^\n]*\n\n```\n(.*?)```", DOC, re.S).group(1)  # type: ignore[union-attr]
EXAMPLE_MAPPING = re.search(r"```yaml\n(currigraph-mapping: 1.*?)```", DOC, re.S).group(1)  # type: ignore[union-attr]


@pytest.fixture
def example(mappings_dir: Path, tmp_path: Path) -> Path:
    (mappings_dir / "example-university.yaml").write_text(EXAMPLE_MAPPING, "utf-8")
    path = tmp_path / "csv" / "courses.csv"
    path.parent.mkdir()
    path.write_text(EXAMPLE_CSV, "utf-8")
    return path


def test_the_worked_example_converts_as_the_docs_say(example: Path) -> None:
    g = graph_of(convert_catalogue(example, minter=Minter(BASE)))
    programme, mining = "programme/msc-data-science", "course/msc-data-science/ds205-graph-mining"
    learning = "course/msc-data-science/ds101-statistical-learning"
    assert values(g, programme, cg("providedBy")) == {iri("organisation/example-university")}
    assert values(g, programme, cg("hasMandatoryCourse")) == {iri(learning)}
    assert values(g, programme, cg("hasElectiveCourse")) == {iri(mining)}
    assert values(g, mining, cg("credits")) == {Literal(Decimal("7.5"), datatype=URIRef(XSD + "decimal"))}
    assert values(g, mining, cg("studyYear")) == {Literal(2)}
    assert values(g, mining, cg("term")) == {Literal("Spring")}
    assert values(g, mining, schema("inLanguage")) == {Literal("en")}
    assert values(g, "person/ada-lovelace", cg("hasRole")) == {iri("person/ada-lovelace/role/lecturer/msc-data-science/ds101")}
    assert values(g, "person/alan-turing", cg("hasRole")) == {iri("person/alan-turing/role/lecturer/msc-data-science/ds101")}
    assert _validate(g).conforms


def test_rows_keep_their_line_for_validation_messages(example: Path) -> None:
    writer = convert_catalogue(example, minter=Minter(BASE))
    assert writer.lines[(iri("course/msc-data-science/ds205-graph-mining"), cg("credits"))] == 3


def test_the_same_export_as_a_workbook_gives_the_same_graph(example: Path, mappings_dir: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Courses"
    rows = [line.split(";") for line in EXAMPLE_CSV.strip().splitlines()]
    for row in rows:  # numbers as numbers, as a spreadsheet holds them
        sheet.append([float(c.replace(",", ".")) if re.fullmatch(r"\d+(,\d+)?", c) else c for c in row])
    path = tmp_path / "xlsx" / "courses.xlsx"
    path.parent.mkdir()
    workbook.save(path)
    xlsx_mapping = EXAMPLE_MAPPING.replace("format: csv", "format: xlsx").replace('  delimiter: ";"', "  sheet: Courses")
    (mappings_dir / "example-university-xlsx.yaml").write_text(xlsx_mapping, "utf-8")
    assert catalogue_format(path, path.read_bytes()) == "xlsx"
    from_xlsx = convert_catalogue(path, minter=Minter(BASE))
    from_csv = convert_catalogue(example, minter=Minter(BASE))
    assert from_xlsx.mapping.format == "xlsx"
    about_source = {cg("sha256"), cg("fileName"), URIRef("http://purl.org/dc/terms/title")}
    assert {t for t in from_xlsx.graph if t[1] not in about_source} == {t for t in from_csv.graph if t[1] not in about_source}


def test_a_workbook_no_mapping_reads_is_reported(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Modul", "LP"])
    workbook.active.append(["Analysis", 10])
    path = tmp_path / "module.xlsx"
    workbook.save(path)
    with pytest.raises(InputError, match=r"no catalogue mapping matches.*workbook whose header row reads Modul, LP"):
        convert_catalogue(path, minter=Minter(BASE))


def test_a_csv_mapping_claims_text_by_its_header_whatever_the_name(example: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    renamed.write_bytes(example.read_bytes())
    assert catalogue_format(renamed, renamed.read_bytes()) == "csv"
    assert convert_catalogue(renamed, minter=Minter(BASE)).mapping.name == "Example University course export"


# ---------------------------------------------------------------------------------------------------------
# The paths the CLI, the scorer and the build take
# ---------------------------------------------------------------------------------------------------------


def test_convert_paths_puts_each_catalogue_in_its_own_graph() -> None:
    conversion = convert_paths([TUM_SHAPED, UNITN_SHAPED], Minter(BASE))
    assert {str(g.identifier) for g in conversion.dataset.graphs() if len(g)} >= {BASE + "graph/corsi-ateneo",
                                                                                 BASE + "graph/curriculum-tree-master-robotics"}
    assert (iri("course/rb1001-robot-kinematics"), cg("courseCode"), Literal("RB1001")) in merged(conversion)


def test_build_workers_convert_catalogues_in_fresh_processes(mappings_dir: Path, example: Path) -> None:
    # A spawned interpreter shares nothing with this one: the mapping folder travels as an argument.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        chunk = pool.submit(convert_chunk, [str(example), str(UNITN_SHAPED)], BASE, None, None, str(mappings_dir)).result()
    assert chunk.error is None
    assert [d.graph for d in chunk.documents] == [BASE + "graph/courses", BASE + "graph/corsi-ateneo"]
    assert b"<https://data.currigraph.org/course/msc-data-science/ds205-graph-mining>" in chunk.nquads
    # people and organisations are shared nodes: their statements go to the shared graph, as for every document
    assert b"<https://data.currigraph.org/person/bianca-rossi> <http://schema.org/name>" in chunk.documents[1].shared
    in_process = b"".join(c.nquads for c in convert_corpus([example, UNITN_SHAPED], BASE, jobs=1))
    assert sorted(in_process.splitlines()) == sorted(chunk.nquads.splitlines())


def _validate(graph: Graph):  # noqa: ANN202
    from currigraph.courses.submission import Submission
    from currigraph.project import load_turtle_dir
    from currigraph.validation.courses import check

    project = Project(ROOT)
    return check(Submission(graph), Graph(), load_turtle_dir(project.ontology_dir), load_turtle_dir(project.shapes_dir))
