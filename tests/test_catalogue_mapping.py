"""The catalogue mapping format: its transforms, how a mapping file is checked, and what the generic executor makes.

Mappings are written here as YAML text, as users write them; records are small JSON documents made for each test.
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from currigraph.convert.catalogue import CatalogueWriter, convert_catalogue
from currigraph.errors import InputError
from currigraph.iris import Minter, slugify
from currigraph.mapping.spec import load_mapping
from currigraph.mapping.transforms import compile_transform, strip_html
from currigraph.vocab import CG_NS, SCHEMA_NS

BASE = "https://data.example.org/"
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
CG = lambda local: URIRef(CG_NS + local)  # noqa: E731
SCHEMA = lambda local: URIRef(SCHEMA_NS + local)  # noqa: E731
HEAD = "currigraph-mapping: 1\nname: test\n"


def steps(*specs: object) -> object:
    transforms = [compile_transform(s, "test") for s in specs]

    def run(*values: object) -> list[object]:
        out = list(values)
        for t in transforms:
            out = t(out)
        return out

    return run


# ---------------------------------------------------------------------------------------------------------
# Transforms
# ---------------------------------------------------------------------------------------------------------


def test_trim_collapses_whitespace_and_drops_blank_text() -> None:
    assert steps("trim")("  Machine \n Learning ", "   ", 7) == ["Machine Learning", 7]


def test_strip_html_parses_markup_decodes_entities_and_keeps_paragraphs() -> None:
    text = "<p>Il corso introduce l&#39;apprendimento <b>supervisionato</b>.</p><p>Parte&nbsp;due</p><script>x()</script>"
    assert strip_html(text) == "Il corso introduce l'apprendimento supervisionato.\nParte due"
    assert steps("strip-html")("<br>", "plain 3 < 4 text") == ["plain 3 < 4 text"]


def test_unescape_decodes_character_references_only() -> None:
    assert steps("unescape")("all&#39;acquisizione &amp; <p>") == ["all'acquisizione & <p>"]


def test_split_on_any_separator_trims_and_drops_empty_parts() -> None:
    assert steps({"split": [",", " and "]})("Ada Lovelace, Alan Turing and Grace Hopper,") == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


def test_regex_takes_the_named_group_else_the_first_group_else_the_match() -> None:
    assert steps({"regex": r"^\[(?P<value>[^\]]+)\]"})("[IN2309] Advanced Topics") == ["IN2309"]
    assert steps({"regex": r"(\d+) ECTS"})("6 ECTS", "no credits") == ["6"]
    assert steps({"regex": r"\d+"})("Year 2") == ["2"]
    assert steps({"regex": {"pattern": r"^\[[^\]]+\]\s*(.+)$", "unmatched": "keep"}})("[A1] Name", "Other") == ["Name", "Other"]


def test_lookup_compares_case_insensitively_and_drops_or_keeps_the_unknown() -> None:
    table = {"Compulsory": "Mandatory", "Elective": "Elective", "Replaceable": None}
    assert steps({"lookup": table})("COMPULSORY", " elective ", "Replaceable", "other") == ["Mandatory", "Elective"]
    assert steps({"lookup": {"table": table, "unmatched": "keep"}})("other") == ["other"]


def test_number_reads_numbers_as_written() -> None:
    assert steps("number")("7,5", " 6 ", 8, 2.5, "4-8", "", True) == [Decimal("7.5"), Decimal("6"), Decimal(8), Decimal("2.5")]


def test_language_tag_and_first() -> None:
    assert steps("language-tag")("English", "Italiano", "EN", "not a language at all") == ["en", "it", "en"]
    assert steps("first")("a", "b") == ["a"]


@pytest.mark.parametrize("spec, message", [
    ("shout", "unknown transform 'shout'"),
    ("regex", "needs an argument"),
    ({"trim": True}, "takes no argument"),
    ({"regex": "("}, "does not compile"),
    ({"lookup": []}, "takes a table"),
    ({"split": ""}, "separator"),
])
def test_bad_transforms_are_refused_with_what_is_wrong(spec: object, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        compile_transform(spec, "values.x.transform[0]")


# ---------------------------------------------------------------------------------------------------------
# Checking a mapping file
# ---------------------------------------------------------------------------------------------------------


def write_mapping(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


MINIMAL = """match: {format: json, record-keys: [title]}
records: "$[*]"
values:
  title: title
nodes:
  - iri: "course/{title}"
"""


def test_a_minimal_mapping_loads(tmp_path: Path) -> None:
    mapping = load_mapping(write_mapping(tmp_path, MINIMAL))
    assert mapping.name == "test" and mapping.format == "json" and mapping.record_keys == ("title",)


@pytest.mark.parametrize("body, field, message", [
    (MINIMAL + "colour: blue\n", None, "unknown key 'colour'"),
    (MINIMAL.replace("records: \"$[*]\"\n", ""), "records", "where the records are"),
    (MINIMAL.replace("$[*]", "$[*"), "records", "not a valid JSONPath"),
    (MINIMAL.replace("course/{title}", "course/{name}"), "nodes[0].iri[0]", "uses '{name}', which is not a value defined"),
    (MINIMAL.replace("course/{title}", "course/{title"), "nodes[0].iri[0]", "unbalanced"),
    (MINIMAL.replace("course/{title}", "../{title}"), "nodes[0].iri", "a path under the base"),
    (MINIMAL.replace("course/{title}", "https://elsewhere.org/{title}"), "nodes[0].iri", "a path under the base"),
    (MINIMAL + "    class: foaf:Person\n", "nodes[0].class", "neither a CURIE of a known prefix"),
    (MINIMAL + "    properties: {cg:courseOf: {node: programme}}\n", "nodes[0].properties.cg:courseOf", "no node with the id 'programme'"),
    (MINIMAL + "    properties: {schema:name: {literal: '{title}', language: 'not a tag'}}\n", None, "BCP 47"),
    (MINIMAL.replace("title: title", "title: {from: item-key}"), "values.title.from", "only inside 'each'"),
    (MINIMAL.replace("format: json", "format: pdf"), "match.format", "json, csv, xlsx"),
    (MINIMAL.replace("record-keys: [title]", "file-name: x"), "match", "missing key 'record-keys'"),
])
def test_a_broken_mapping_is_refused_naming_the_key(tmp_path: Path, body: str, field: str | None, message: str) -> None:
    path = write_mapping(tmp_path, body)
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        load_mapping(path)
    assert caught.value.file == str(path)
    if field is not None:
        assert caught.value.field == field


def test_broken_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write_mapping(tmp_path, MINIMAL.replace('"course/{title}"', "[course/{title}"))
    with pytest.raises(InputError, match="not valid YAML") as caught:
        load_mapping(path)
    assert caught.value.line == 8


def test_a_table_mapping_takes_no_jsonpath_records(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="every row is a record"):
        load_mapping(write_mapping(tmp_path, MINIMAL.replace("format: json", "format: csv")))


# ---------------------------------------------------------------------------------------------------------
# What the executor makes
# ---------------------------------------------------------------------------------------------------------


def convert(tmp_path: Path, body: str, records: object, name: str = "catalogue.json") -> CatalogueWriter:
    mapping = load_mapping(write_mapping(tmp_path, body))
    data = json.dumps(records).encode("utf-8")
    path = tmp_path / name
    path.write_bytes(data)
    return convert_catalogue(path, data, Minter(BASE), mapping)


def objects(writer: CatalogueWriter, subject: str, predicate: URIRef) -> set[object]:
    return {o for s, p, o in writer.graph if s == URIRef(BASE + subject) and p == predicate}


def subjects(writer: CatalogueWriter, predicate: URIRef, obj: object) -> set[str]:
    return {str(s).removeprefix(BASE) for s, p, o in writer.graph if p == predicate and o == obj}


COURSES = """match: {format: json, record-keys: [title]}
records: "$.data[*]"
constants:
  programme: null
  unit: ECTS
values:
  title: {field: title, transform: [trim]}
  code: {field: code, default: none}
  credits: {field: credits, transform: [number]}
  teacher: {field: "$.teachers[*]", transform: [{split: ";"}, trim]}
nodes:
  - id: course
    iri: ["course/{programme}/{title}", "course/{title}"]
    class: cg:Course
    name: "{title}"
    properties:
      cg:courseCode: {literal: "{code}", unless: programme}
      cg:credits: {literal: "{credits}", datatype: xsd:decimal}
      cg:semesterNumber: {literal: "{credits}", datatype: xsd:integer}
      cg:creditUnit: "{unit}"
      schema:alternateName: {literal: "{title} ({code})", language: en}
  - id: teacher
    iri: "person/{teacher}"
    class: cg:Person
    name: "{teacher}"
    properties:
      cg:hasRole: {node: role}
  - id: role
    iri: "person/{teacher}/role/teacher/{title}"
    if: teacher
    class: cg:RoleAssignment
    properties:
      cg:roleIn: {node: course}
"""


def test_values_templates_and_slugged_iris(tmp_path: Path) -> None:
    writer = convert(tmp_path, COURSES, {"data": [{"title": "  Machine   Learning ", "code": "ML1", "credits": "7,5"}]})
    course = "course/" + slugify("Machine Learning")
    assert course == "course/machine-learning"
    assert objects(writer, course, SCHEMA("name")) == {Literal("Machine Learning")}
    assert objects(writer, course, CG("credits")) == {Literal(Decimal("7.5"), datatype=XSD_DECIMAL)}
    assert objects(writer, course, CG("semesterNumber")) == set()  # 7.5 is not an integer: left out, not rounded
    assert objects(writer, course, CG("creditUnit")) == {Literal("ECTS")}
    assert objects(writer, course, SCHEMA("alternateName")) == {Literal("Machine Learning (ML1)", lang="en")}
    assert objects(writer, course, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) == {URIRef(BASE + "source/catalogue")}


def test_an_absent_value_makes_no_term_and_defaults_fill_in(tmp_path: Path) -> None:
    writer = convert(tmp_path, COURSES, {"data": [{"title": "Ethics", "credits": None}, {"title": "   ", "code": "X"}]})
    assert objects(writer, "course/ethics", CG("credits")) == set()
    assert objects(writer, "course/ethics", CG("courseCode")) == {Literal("none")}  # default
    assert subjects(writer, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), CG("Course")) == {"course/ethics"}


def test_several_values_make_one_node_each_and_links_follow_the_values(tmp_path: Path) -> None:
    writer = convert(tmp_path, COURSES, {"data": [{"title": "Robotics", "teachers": ["Ada Lovelace; Alan Turing", "Grace Hopper"]}]})
    people = subjects(writer, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), CG("Person"))
    assert people == {"person/ada-lovelace", "person/alan-turing", "person/grace-hopper"}
    assert objects(writer, "person/alan-turing", SCHEMA("name")) == {Literal("Alan Turing")}
    # each person's role, not the other people's
    assert objects(writer, "person/alan-turing", CG("hasRole")) == {URIRef(BASE + "person/alan-turing/role/teacher/robotics")}
    assert objects(writer, "person/alan-turing/role/teacher/robotics", CG("roleIn")) == {URIRef(BASE + "course/robotics")}


def test_iri_alternatives_and_conditions(tmp_path: Path) -> None:
    body = COURSES.replace("  programme: null", "  programme: MSc Robotics")
    writer = convert(tmp_path, body, {"data": [{"title": "Kinematics", "code": "K1"}]})
    assert objects(writer, "course/msc-robotics/kinematics", SCHEMA("name")) == {Literal("Kinematics")}
    assert objects(writer, "course/msc-robotics/kinematics", CG("courseCode")) == set()  # unless: programme


def test_items_see_their_key_and_their_record(tmp_path: Path) -> None:
    body = """match: {format: json, record-keys: [name]}
records: "$.courses[*]"
document:
  catalogue-language: {field: "$.language"}
values:
  course: name
  url: {field: url}
  status: {field: kind, transform: [{lookup: {core: mandatory}}]}
nodes:
  - id: course
    iri: "course/{course}"
    class: cg:Course
    name: "{course}"
    properties:
      schema:url: {iri: "{url}"}
      "cg:{status}": {literal: "true", datatype: xsd:boolean}
      schema:inLanguage: {literal: "{catalogue-language}", if: catalogue-language}
each:
  - items: "$['leads', 'helpers'][*]"
    values:
      person: {field: name}
      role: {from: item-key, transform: [{lookup: {leads: lead, helpers: helper}}]}
    nodes:
      - iri: "person/{person}/role/{role}/{course}"
        class: cg:RoleAssignment
        properties:
          cg:roleName: "{role}"
          cg:roleIn: {node: course}
"""
    records = {"language": "it", "courses": [
        {"name": "Logic", "url": "https://example.org/logic", "kind": "core",
         "leads": [{"name": "Ada"}], "helpers": [{"name": "Bob"}, {"name": "Cy"}]},
        {"name": "Art", "url": "javascript:alert(1) no", "kind": "other"},
    ]}
    writer = convert(tmp_path, body, records)
    assert objects(writer, "course/logic", SCHEMA("url")) == {URIRef("https://example.org/logic")}
    assert objects(writer, "course/art", SCHEMA("url")) == set()  # not an IRI: left out
    assert objects(writer, "course/logic", CG("mandatory")) == {Literal(True)}
    assert objects(writer, "course/art", CG("mandatory")) == set()
    assert objects(writer, "course/logic", SCHEMA("inLanguage")) == {Literal("it")}
    assert objects(writer, "person/cy/role/helper/logic", CG("roleName")) == {Literal("helper")}
    assert objects(writer, "person/ada/role/lead/logic", CG("roleIn")) == {URIRef(BASE + "course/logic")}


def test_same_input_same_triples(tmp_path: Path) -> None:
    records = {"data": [{"title": "Über Alles", "teachers": ["Zoë Ünal"]}, {"title": "数据科学"}]}
    first = sorted(t.n3() for triple in convert(tmp_path, COURSES, records).graph for t in triple)
    second = sorted(t.n3() for triple in convert(tmp_path, COURSES, records).graph for t in triple)
    assert first == second
    assert any("course/uber-alles" in t for t in first) and any("person/zoe-unal" in t for t in first)


def test_no_catalogue_is_known_to_the_code() -> None:
    # Declarative: the keys and names of the shipped catalogues live in mappings/catalogues/, never in src/.
    words = ("titolari", "docenti", "corsoStudi", "dipartimento", "module_name", "num_credits", "rule_node_names", "TUMonline", "UniTN")
    root = Path(__file__).resolve().parents[1] / "src"
    for path in root.rglob("*.py"):
        text = path.read_text("utf-8")
        assert not [w for w in words if w in text], path


# ---------------------------------------------------------------------------------------------------------
# Reading tables
# ---------------------------------------------------------------------------------------------------------


def test_csv_delimiter_header_row_encoding_and_lines_are_read_as_the_mapping_says() -> None:
    from currigraph.mapping.reading import read_csv

    data = "Export of 2024\nCode\tTitel\tLP\nA1\tAnalysis I\t10\n\t\t\nB2\tÜbung\t2,5\n".encode("cp1252")
    rows = read_csv(data, "t.csv", None, 2, "cp1252")  # delimiter detected from the lines below the header
    assert rows.header == ["Code", "Titel", "LP"]
    assert [(r.value, r.line) for r in rows.records] == [
        ({"Code": "A1", "Titel": "Analysis I", "LP": "10"}, 3), ({"Code": "B2", "Titel": "Übung", "LP": "2,5"}, 5)]
    with_bom = read_csv("\ufeffa,b\n1,2\n".encode(), "t.csv", None, 1, "utf-8")
    assert with_bom.header == ["a", "b"]
    with pytest.raises(InputError, match="cannot read the table as utf-8"):
        read_csv(data, "t.csv", None, 1, "utf-8")


def test_a_workbook_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    import io
    import zipfile

    from openpyxl import Workbook

    from currigraph.mapping.reading import read_xlsx

    workbook = Workbook()
    workbook.active.append(["Code", "Title"])
    workbook.active.append(["A1", "Algebra"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    hostile = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE worksheet [<!ENTITY big "AAAAAAAAAA">]>' + content.replace(b"Algebra", b"&big;")
            target.writestr(item, content)
    assert read_xlsx(buffer.getvalue(), "ok.xlsx", None, 1).records[0].value == {"Code": "A1", "Title": "Algebra"}
    with pytest.raises(InputError, match="not a readable XLSX .*EntitiesForbidden"):  # refused, not expanded
        read_xlsx(hostile.getvalue(), "hostile.xlsx", None, 1)
