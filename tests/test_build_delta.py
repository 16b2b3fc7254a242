"""Incremental builds against full builds, the reference: after each kind of change, the same build/ byte for byte.

A project is built in full, then changed and rebuilt (incrementally); a copy of the changed project is built
with --full. Both must give the same dataset file, the same manifest (less the build's id) and the same report,
warnings and source lines included. A change the data does not survive leaves build/ as it was.
"""

import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.corpus import generate
from currigraph.build.pipeline import run_build
from currigraph.build.result import BuildResult
from currigraph.build.state import STATE_FILE, read_state
from currigraph.project import Project
from tests.helpers import SOURCES
from tests.live import copy_project

Change = Callable[[Path], None]


def project_with_corpus(target: Path, programmes: int = 12, seed: int = 3) -> Path:
    """data/ plus generated programme and course pages."""
    root = copy_project(target)
    generate(programmes, seed, root / "data" / "sources")
    return root


def edit(name: str, old: str, new: str, count: int = 1) -> Change:
    """Replace a pattern (a regular expression) in a document."""
    def change(root: Path) -> None:
        path = root / "data" / "sources" / name
        text = path.read_text("utf-8")
        assert re.search(old, text), f"{old!r} not in {name}"
        path.write_text(re.sub(old, new, text, count=count), "utf-8")
    return change


def remove(name: str) -> Change:
    return lambda root: (root / "data" / "sources" / name).unlink()


def add(name: str, source: str) -> Change:
    def change(root: Path) -> None:
        shutil.copy(root / "data" / "sources" / source, root / "data" / "sources" / name)
        path = root / "data" / "sources" / name
        text = path.read_text("utf-8")
        path.write_text(re.sub(r'title: "(.*?)\((P\d+)\)"', r'title: "\1(\2X)"', text, count=1), "utf-8")
    return change


PUBLISHED = """@prefix cg: <https://data.currigraph.org/ontology#> .
@prefix schema: <http://schema.org/> .
<https://data.currigraph.org/course/published-one> a cg:Course ; schema:name "A published course" ;
    schema:description "Published through the API." ; cg:credits 5 ;
    cg:courseOf <https://data.currigraph.org/programme/p00001> ; cg:pillar <https://data.currigraph.org/pillar/ai> .
<https://data.currigraph.org/pillar/ai> a cg:Pillar ; schema:name "AI" .
"""


def publish(text: str) -> Change:
    def change(root: Path) -> None:
        (root / "data" / "published").mkdir(parents=True, exist_ok=True)
        (root / "data" / "published" / "published-one.ttl").write_text(text, "utf-8")
    return change


def both(*changes: Change) -> Change:
    def change(root: Path) -> None:
        for one in changes:
            one(root)
    return change


def snapshot(root: Path) -> tuple[bytes, dict, list]:
    build = root / "build"
    manifest = json.loads((build / "manifest.json").read_text())
    manifest.pop("build")
    state = read_state(build)
    assert state is not None
    return (build / "dataset.nq").read_bytes(), manifest, listed(state.problems, root)


def listed(problems: list, root: Path) -> list:
    """Problems as comparable tuples, their files relative to the project (which the copies moved)."""
    return [(str(p.focus), str(p.path), str(p.value), p.message, p.severity,
             p.where and (str(Path(p.where[0]).relative_to(root)), p.where[1])) for p in problems]


def report_of(result: BuildResult, root: Path) -> list:
    return listed(result.report.problems, root)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built in full once; each test copies it (build/ included)."""
    root = project_with_corpus(tmp_path_factory.mktemp("base") / "p")
    assert run_build(Project(root)).written
    return root


def copy_built(built: Path, target: Path) -> Path:
    shutil.copytree(built, target, symlinks=True)
    return target


CHANGES = {
    "a course description edited": edit("programme-00001.txt", "Participants learn", "Participants study"),
    "a course added to a programme": edit("programme-00002.txt", "#### Elective Courses\n",
                                          "#### Elective Courses\n\n**Brand New Course** *(Data Science, 5 ECTS)*\nAbout it.\n"),
    "a pillar no programme had before": edit("programme-00003.txt", r"\*\(Data Science", "*(Quantum Studies"),
    "a course's pillar and credits": edit("course-00005.txt", r"pillar: .*\nstudycredits: \d+|studycredits: \d+",
                                          "studycredits: 9"),
    "a course page's programme changed": edit("course-00000.txt", "semester: ", "programme: P00004\nsemester: "),
    "a description taken out (a new warning)": edit("programme-00001.txt", r"(\*\*[^*]+\*\* \*\([^)]*\)\*)\nParticipants learn[^\n]*\n",
                                                    r"\1\n"),
    "lines moved by a new first paragraph": edit("programme-00004.txt", "A master's programme", "New intro.\n\nA master's programme"),
    "a document removed": remove("programme-00005.txt"),
    "a course page removed": remove("course-00010.txt"),
    "a document added": add("programme-00099.txt", "programme-00006.txt"),
    "a prose article edited": edit("002_fb1c08826e7fe348.txt", "Birmingham", "Tuscaloosa", 2),
    "a published course added": publish(PUBLISHED),
    "several at once": both(remove("programme-00007.txt"), add("programme-00098.txt", "programme-00008.txt"),
                            edit("programme-00009.txt", r"\*\(Domain Knowledge", "*(Data Science")),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_rebuild_writes_what_a_full_build_writes(built: Path, tmp_path: Path, name: str) -> None:
    changed = copy_built(built, tmp_path / "incremental")
    CHANGES[name](changed)
    delta = run_build(Project(changed))
    assert delta.written and delta.changed is not None and delta.changed >= 1, "the rebuild was not incremental"
    full_root = copy_built(changed, tmp_path / "full")
    full = run_build(Project(full_root), full=True)
    assert full.written and full.changed is None
    incremental, reference = snapshot(changed), snapshot(full_root)
    assert incremental[1] == reference[1], "manifests differ"
    assert incremental[2] == reference[2], "reports differ"
    assert report_of(delta, changed) == report_of(full, full_root)
    if incremental[0] != reference[0]:
        ours, theirs = set(incremental[0].splitlines()), set(reference[0].splitlines())
        pytest.fail(f"dataset files differ: only incremental {sorted(ours - theirs)[:5]}, only full {sorted(theirs - ours)[:5]}")
    store = ox.Store.read_only(str(changed / "build" / "oxigraph"))
    assert len(store) == len(ox.Store.read_only(str(full_root / "build" / "oxigraph")))
    assert set(store.quads_for_pattern(None, None, None, None)) == set(ox.parse(reference[0], format=ox.RdfFormat.N_QUADS))


def test_rebuilds_in_a_row_stay_equal_to_a_full_build(built: Path, tmp_path: Path) -> None:
    root = copy_built(built, tmp_path / "p")
    for name in ("a pillar no programme had before", "a document removed", "a document added", "a course added to a programme"):
        CHANGES[name](root)
        assert run_build(Project(root)).changed
    full_root = copy_built(root, tmp_path / "full")
    run_build(Project(full_root), full=True)
    assert snapshot(root) == snapshot(full_root)


def test_nothing_changed_means_nothing_written(built: Path, tmp_path: Path) -> None:
    root = copy_built(built, tmp_path / "p")
    before = (root / "build" / "manifest.json").read_bytes()
    result = run_build(Project(root))
    assert result.up_to_date and result.written and len(result.report.problems) > 5
    assert (root / "build" / "manifest.json").read_bytes() == before


def test_a_change_that_breaks_the_shapes_leaves_build_as_it_was(built: Path, tmp_path: Path) -> None:
    root = copy_built(built, tmp_path / "p")
    before = snapshot(root)
    edit("course-00005.txt", r"studycredits: \d+", "studycredits: -3")(root)
    result = run_build(Project(root))
    assert not result.written and result.changed == 1
    bad = [p for p in result.report.violations if "credits" in str(p.path)]
    assert bad and bad[0].where and Path(bad[0].where[0]).name == "course-00005.txt"
    assert snapshot(root) == before
    assert not (root / "build" / ".oxigraph.tmp").exists()


def test_a_new_shape_or_ontology_means_a_full_build(built: Path, tmp_path: Path) -> None:
    root = copy_built(built, tmp_path / "p")
    shapes = root / "shapes" / "course.ttl"
    shapes.write_text(shapes.read_text().replace('sh:message "The course has no description',
                                                 'sh:message "No description here'))
    result = run_build(Project(root))
    assert result.written and result.changed is None
    assert any("No description here" in p.message for p in result.report.problems)


def test_a_store_written_by_the_server_is_not_built_on(built: Path, tmp_path: Path) -> None:
    from currigraph.build.manifest import GraphEntry
    from currigraph.serving.embedded import EmbeddedBackend

    root = copy_built(built, tmp_path / "p")
    backend = EmbeddedBackend(root / "build", 1)
    try:
        backend.replace_graphs([(GraphEntry("https://example.org/g", "published", 1),
                                 [ox.Triple(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                                            ox.Literal("o"))])], 30)
    finally:
        backend.close()
    assert not (root / "build" / STATE_FILE).exists()
    CHANGES["a course description edited"](root)
    assert run_build(Project(root)).changed is None


def test_the_command_line_says_what_it_rebuilt(built: Path, tmp_path: Path) -> None:
    import subprocess

    root = copy_built(built, tmp_path / "p")
    CHANGES["a document removed"](root)
    done = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1 changed document(s) built again" in done.stdout
    again = subprocess.run([sys.executable, "-m", "currigraph", "--project", str(root), "build", "--full"], capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0 and "full build" in again.stdout


def test_data_sources_alone(tmp_path: Path) -> None:
    """The repository's own documents (prose among them), each removed in turn and put back."""
    root = copy_project(tmp_path / "p")
    assert run_build(Project(root)).written
    for path in sorted(SOURCES.iterdir())[:3]:
        target = root / "data" / "sources" / path.name
        target.unlink()
        assert run_build(Project(root)).changed == 1
        shutil.copy(path, target)
        assert run_build(Project(root)).changed == 1
    full_root = copy_built(root, tmp_path / "full")
    run_build(Project(full_root), full=True)
    assert snapshot(root) == snapshot(full_root)


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200])
def test_a_damaged_record_means_a_full_build(built: Path, tmp_path: Path, content: bytes) -> None:
    root = copy_built(built, tmp_path / "p")
    (root / "build" / STATE_FILE).write_bytes(content)
    CHANGES["a document removed"](root)
    result = run_build(Project(root))
    assert result.written and result.changed is None
    assert read_state(root / "build") is not None  # the full build wrote a good record again


def test_after_rebuilds_the_inferred_graph_is_owlrls_closure(built: Path, tmp_path: Path) -> None:
    """Against the reference itself: owlrl over the asserted graphs a few incremental rebuilds left."""
    from rdflib import Graph

    from currigraph.project import load_turtle_dir
    from currigraph.reasoning.reference import infer
    from currigraph.terms import to_rdflib_triple

    root = copy_built(built, tmp_path / "p")
    for name in ("a pillar no programme had before", "several at once", "a course page's programme changed"):
        CHANGES[name](root)
        assert run_build(Project(root)).changed
    inferred_graph = ox.NamedNode("https://data.currigraph.org/graph/inferred")
    ontology_graph = ox.NamedNode("https://data.currigraph.org/graph/ontology")
    asserted, ours = Graph(), set()
    for quad in ox.parse(path=str(root / "build" / "dataset.nq"), format=ox.RdfFormat.N_QUADS):
        if quad.graph_name == inferred_graph:
            ours.add(to_rdflib_triple(quad))
        elif quad.graph_name != ontology_graph:
            asserted.add(to_rdflib_triple(quad))
    reference = set(infer(load_turtle_dir(root / "ontology"), [asserted]))
    assert ours == reference and len(reference) > 1000


def test_a_dataset_file_replaced_after_the_record_means_a_full_build(built: Path, tmp_path: Path) -> None:
    """As if a build had stopped after swapping in its dataset file but before writing its record."""
    root = copy_built(built, tmp_path / "p")
    dataset = root / "build" / "dataset.nq"
    dataset.write_bytes(dataset.read_bytes())  # the same bytes, but another file
    CHANGES["a document removed"](root)
    assert run_build(Project(root)).changed is None
