"""Identity of organisations: deterministic IRIs, units under their parents, one node per organisation across
documents, and the project's link table (data/links.yaml) applied in a build: schema:sameAs, countries, aliases."""

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, Dataset, Literal, URIRef

from currigraph.build.pipeline import run_build
from currigraph.convert import convert_paths
from currigraph.errors import InputError
from currigraph.iris import Minter
from currigraph.project import Project
from currigraph.sources.lexicon import load_prose_lexicons
from currigraph.sources.links import LinkTable, load_link_table, use_link_table
from tests.helpers import BASE, ROOT, SOURCES, convert_text, merged, select

SCHEMA = "http://schema.org/"
EASTBRIDGE = """The School of Computer Science at the University of Eastbridge launches the M.S. in Data Science.
The Faculty of Medicine at the University of Eastbridge will host its clinical projects.
"""
NORTHFIELD = """Northfield University introduces the M.S. in Nursing Informatics, offered by the Faculty of Medicine at Northfield University.
Students of Eastbridge University can also take its courses.
"""
UNPLACED = """The Faculty of Medicine launches the M.S. in Clinical Data, offered by the Faculty of Medicine. The M.S. in Clinical Data starts soon.
"""
TABLE = """organisations:
  - name: University of Eastbridge
    aliases: [Eastbridge University, UoE]
    ror: https://ror.org/0eastb123
    wikidata: Q4242
    country: GB
  - name: Faculty of Medicine
    parent: University of Eastbridge
  - name: Goethe University
    country: DE
country_hints:
  D: DE
  UK: GB
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_iris_are_deterministic(tmp_path: Path) -> None:
    path = write(tmp_path, "eastbridge.txt", EASTBRIDGE)
    first = {t for g in convert_paths([path], Minter()).dataset.graphs() for t in g}
    second = {t for g in convert_paths([path], Minter()).dataset.graphs() for t in g}
    assert first == second and len(first) > 40


def test_units_live_under_their_parents_and_unplaced_generic_units_in_their_document(tmp_path: Path) -> None:
    files = [write(tmp_path, "eastbridge.txt", EASTBRIDGE), write(tmp_path, "northfield.txt", NORTHFIELD),
             write(tmp_path, "unplaced.txt", UNPLACED)]
    graph = merged(convert_paths(files, Minter()))
    faculties = select(graph, "SELECT ?f { ?f schema:name 'Faculty of Medicine' } ORDER BY ?f")
    assert faculties == [
        (BASE + "organisation/northfield-university/faculty-of-medicine",),
        (BASE + "organisation/university-of-eastbridge/faculty-of-medicine",),
        (BASE + "source/unplaced/organisation/faculty-of-medicine",),  # no parent known: it stays in its document
    ]
    # "Eastbridge University" is another organisation for the documents alone (the link table makes it the same)
    assert select(graph, "SELECT ?u { ?u schema:name 'Eastbridge University' }") == [(BASE + "organisation/eastbridge-university",)]


def test_the_same_organisation_in_two_documents_is_one_node() -> None:
    first = merged(convert_text("The M.S. in Data Science is offered by The University of Eastbridge. The M.S. in Data Science starts.\n", "a.txt"))
    second = merged(convert_text("THE UNIVERSITY OF EASTBRIDGE, the University of Eastbridge, offers the M.S. in Law.\n", "b.txt"))
    iri = BASE + "organisation/university-of-eastbridge"
    assert (iri,) in select(first, "SELECT ?o { ?p cg:providedBy ?o }")
    assert (iri,) in select(second, "SELECT ?o { ?o a cg:University }")


# --- The link table ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("organisations:\n  - name: X University\n    ror: 12345\n", "not a ROR id"),
    ("organisations:\n  - name: X University\n    wikidata: P31\n", "not a Wikidata item"),
    ("organisations:\n  - name: X University\n    country: UK\n", "write GB"),
    ("organisations:\n  - name: X University\n    country: XX\n", "not a country code"),
    ("organisations:\n  - name: X University\n  - name: Y University\n    aliases: [x university]\n", "names two organisations"),
    ("organisations:\n  - name: X Faculty\n    parent: Nowhere\n", "not another entry"),
    ("organisations:\n  - name: X University\n    homepage: https://x.example\n", "unknown key"),
    ("organisations:\n  - aliases: [X]\n", "needs a name"),
    ("country_hints:\n  D: Germany\n", "not an ISO 3166-1 alpha-2 code"),
    ("links: []\n", "'organisations' and 'country_hints'"),
])
def test_link_table_mistakes_are_reported(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "links.yaml", text)
    with pytest.raises(InputError, match=message) as raised:
        load_link_table(path)
    assert raised.value.file == str(path)


def test_link_table_reads_names_identifiers_and_lines(tmp_path: Path) -> None:
    table = load_link_table(write(tmp_path, "links.yaml", TABLE))
    entry = table.find("the  university of EASTBRIDGE".removeprefix("the  "))
    assert entry is not None and entry is table.find("UoE") and entry is table.find("Eastbridge-University")
    assert entry.iris() == ["https://ror.org/0eastb123", "http://www.wikidata.org/entity/Q4242"]
    assert (entry.country, entry.line) == ("GB", 2)
    assert table.hint_country(" D ") == "DE" and table.hint_country("SL") is None
    faculty = table.find("Faculty of Medicine")
    minter = Minter(BASE, table)
    assert faculty is not None and minter.linked_organisation(faculty) == URIRef(BASE + "organisation/university-of-eastbridge/faculty-of-medicine")
    assert minter.organisation("Eastbridge University") == URIRef(BASE + "organisation/university-of-eastbridge")
    assert Minter(BASE, LinkTable()).organisation("Eastbridge University") == URIRef(BASE + "organisation/eastbridge-university")


@pytest.fixture(scope="module")
def linked_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Dataset]:
    """A project with three prose documents, the seed programme page and a link table, built."""
    root = tmp_path_factory.mktemp("linked") / "project"
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "data" / "lexicon", root / "data" / "lexicon")
    sources = root / "data" / "sources"
    sources.mkdir(parents=True)
    write(sources, "eastbridge.txt", EASTBRIDGE)
    write(sources, "northfield.txt", NORTHFIELD)
    shutil.copy(SOURCES / "000_dc21eb6798945ba3.txt", sources / "xaim.txt")
    write(root / "data", "links.yaml", TABLE)
    project = Project(root)
    result = run_build(project)
    assert result.written and result.report.conforms
    return project, Dataset(default_union=True).parse(root / "build" / "dataset.nq", format="nquads")


def test_the_link_table_applies_in_a_build(linked_build: tuple[Project, Dataset]) -> None:
    project, data = linked_build
    eastbridge = URIRef(BASE + "organisation/university-of-eastbridge")
    assert set(data.objects(eastbridge, URIRef(SCHEMA + "sameAs"))) == {
        URIRef("https://ror.org/0eastb123"), URIRef("http://www.wikidata.org/entity/Q4242")}
    assert set(data.objects(eastbridge, URIRef(SCHEMA + "addressCountry"))) == {Literal("GB")}
    # "Students of Eastbridge University": the alias is the same node as the other document's University of Eastbridge
    assert not list(data.triples((URIRef(BASE + "organisation/eastbridge-university"), None, None)))
    mentioning = {str(s) for s in data.subjects(URIRef("https://data.currigraph.org/ontology#mentionsOrganisation"), eastbridge)}
    assert mentioning == {BASE + "source/eastbridge", BASE + "source/northfield"}
    # the faculties of two universities stay two nodes (the table places Eastbridge's own under it)
    faculties = {str(s) for s in data.subjects(URIRef(SCHEMA + "name"), Literal("Faculty of Medicine"))}
    assert faculties == {BASE + "organisation/university-of-eastbridge/faculty-of-medicine",
                         BASE + "organisation/northfield-university/faculty-of-medicine"}
    # a programme page's partner: its country from the table ("Goethe University"), another's from its hint ("Keele ... (UK)")
    assert set(data.objects(URIRef(BASE + "organisation/goethe-university"), URIRef(SCHEMA + "addressCountry"))) == {Literal("DE")}
    assert set(data.objects(URIRef(BASE + "organisation/keele-university"), URIRef(SCHEMA + "addressCountry"))) == {Literal("GB")}
    assert set(data.objects(URIRef(BASE + "organisation/university-of-ljubljana"), URIRef(SCHEMA + "addressCountry"))) == set()


def test_link_facts_say_they_come_from_the_table(linked_build: tuple[Project, Dataset]) -> None:
    _, data = linked_build
    query = """PREFIX cg: <https://data.currigraph.org/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?evidence ?line ?source { ?st rdf:subject <%s> ; rdf:predicate <http://schema.org/sameAs> ;
        cg:evidence ?evidence ; cg:sourceLine ?line ; prov:wasDerivedFrom ?source }""" % (BASE + "organisation/university-of-eastbridge")
    rows = {tuple(str(v) for v in row) for row in data.query(query)}
    assert rows == {("link table entry: University of Eastbridge", "2", BASE + "source/link-table")}


def test_external_identifiers_entail_nothing(linked_build: tuple[Project, Dataset]) -> None:
    project, data = linked_build
    assert not list(data.triples((None, OWL.sameAs, None)))
    inferred = data.graph(URIRef(project.base + "graph/inferred"))
    assert len(inferred) > 100
    assert not [t for t in inferred if not str(t[0]).startswith(project.base) and str(t[0]).startswith("http")
                and ("ror.org" in str(t[0]) or "wikidata" in str(t[0]))]


def test_a_changed_link_table_rebuilds_everything(linked_build: tuple[Project, Dataset], tmp_path: Path) -> None:
    project, _ = linked_build
    copy = tmp_path / "copy"
    shutil.copytree(project.root, copy, symlinks=True)
    again = run_build(Project(copy))
    assert again.up_to_date
    write(copy / "data", "links.yaml", TABLE.replace("country: GB", "country: IE"))
    changed = run_build(Project(copy))
    assert changed.written and changed.changed is None  # a full build
    data = Dataset(default_union=True).parse(copy / "build" / "dataset.nq", format="nquads")
    assert set(data.objects(URIRef(BASE + "organisation/university-of-eastbridge"), URIRef(SCHEMA + "addressCountry"))) == {Literal("IE")}


def test_without_a_project_no_link_table_applies() -> None:
    use_link_table(None)
    graph = merged(convert_text(EASTBRIDGE, "eastbridge.txt"))
    assert select(graph, "SELECT ?s { ?s schema:sameAs ?o }") == []


# --- Lexicons of several languages -------------------------------------------------------------------------


def test_a_prose_section_of_a_language_file_is_read(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon"
    lexicon.mkdir()
    shutil.copy(ROOT / "data" / "lexicon" / "prose.yaml", lexicon / "prose.yaml")
    (lexicon / "nl.yaml").write_text("courses: [vak]\nprose:\n  organisations:\n    institutions:\n      university: [Universiteit]\n"
                                     "  name_linkers: [van]\n  words_after_head: 1\n", "utf-8")
    (lexicon / "sv.yaml").write_text("courses: [kurs]\n", "utf-8")  # curriculum words only: not a prose lexicon
    files = load_prose_lexicons(lexicon)
    assert [(f.path.name, f.language) for f in files] == [("nl.yaml", "nl"), ("prose.yaml", "en")]
    from currigraph.sources.lexicon import prose_lexicon_path, use_prose_lexicon

    before = prose_lexicon_path()
    try:
        use_prose_lexicon(lexicon)
        graph = merged(convert_text("The M.S. in Data Science is offered by the Universiteit van Amsterdam. The M.S. in Data Science is new.\n", "nl.txt"))
    finally:
        use_prose_lexicon(before)
    assert select(graph, "SELECT ?n { ?p cg:providedBy/schema:name ?n }") == [("Universiteit van Amsterdam",)]
