"""What submitted course data goes through, as steps a task worker runs with a time limit (serving.tasks).

1. parse: the submitted bytes (a Markdown course page or RDF) become triples, with the line of every front-matter
   value; for a publication, the course's published name and any refusal (schema changes, other resources).
2. check: the shapes, in the context the graph gives (fetched by the web layer with a query in between).
3. for a publication that conforms: the Turtle file it is kept as, and the named graphs the store gets.

Every step takes and returns plain, picklable values, so that the web process does I/O only and nothing a client
sends is parsed or reasoned over there.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

from currigraph.build.manifest import GraphEntry
from currigraph.courses.storage import course_graphs, course_slug, turtle_of
from currigraph.courses.submission import Submission, foreign_subjects, parse_submission, schema_changes
from currigraph.iris import Minter
from currigraph.project import Project, load_turtle_dir
from currigraph.validation.courses import attach_programme, check, context_query
from currigraph.validation.report import Lines, Report

NT = "nt"


@dataclass
class Parsed:
    """A parsed submission: its triples (N-Triples), value lines, and what the next steps need."""

    ntriples: bytes
    lines: Lines
    markdown: bool
    courses: list[str]
    context_query: str | None
    slug: str | None = None  # the published name (publications only)
    refusals: list[str] = field(default_factory=list)

    def submission(self) -> Submission:
        """The submission as a graph again."""
        return Submission(Graph().parse(data=self.ntriples.decode("utf-8"), format=NT), self.lines, self.markdown)


@dataclass
class Checked:
    """A checked submission: its report and, for a publication that conforms, its file and graphs."""

    report: Report
    turtle: bytes | None = None
    graphs: list[tuple[GraphEntry, bytes]] = field(default_factory=list)  # entry, N-Triples


def parse(data: bytes, media_type: str | None, name: str, base: str, programme: str | None, publication: bool) -> Parsed:
    """Step 1: parse submitted bytes (InputError says what is wrong and where)."""
    minter = Minter(base)
    submission = parse_submission(data, media_type, name, minter)
    slug: str | None = None
    refusals: list[str] = []
    courses = submission.courses()
    if publication and len(courses) == 1:
        slug = course_slug(courses[0], submission.graph, minter)
        if submission.markdown:
            # Converted again under its published name, so its provenance IRIs belong to this course alone.
            submission = parse_submission(data, media_type, f"published-{slug}.md", minter)
            courses = submission.courses()
        refusals = schema_changes(submission.graph) + [
            f"{s} is not part of this course; a publication may only describe the course itself"
            for s in foreign_subjects(submission.graph, courses[0], minter.base)]
    if programme is not None:
        attach_programme(submission, URIRef(programme))
    return Parsed(submission.graph.serialize(format=NT, encoding="utf-8"), submission.lines, submission.markdown,
                  [str(c) for c in courses], context_query(submission.graph), slug, refusals)


def check_parsed(parsed: Parsed, context: bytes, project_root: str | None) -> Checked:
    """Step 2: the shapes over the submission in its context (only the submission's own problems are reported)."""
    ontology, shapes = _schema(project_root)
    return Checked(check(parsed.submission(), _graph(context), ontology, shapes))


def check_publication(parsed: Parsed, context: bytes, current: bytes, project_root: str | None, base: str) -> Checked:
    """Steps 2 and 3 for a publication: the report, and when it conforms, the Turtle file and the named graphs."""
    ontology, shapes = _schema(project_root)
    submission = parsed.submission()
    checked = Checked(check(submission, _graph(context), ontology, shapes))
    if checked.report.conforms and parsed.slug is not None:
        # What an earlier version of this course put in the store is about to be replaced: reasoning must not treat
        # it as known context, or the new inferences would leave out what the old ones already said.
        graphs = course_graphs(Minter(base), parsed.slug, submission.graph, ontology, _graph(context) - _graph(current))
        checked.turtle = turtle_of(submission.graph)
        checked.graphs = [(entry, _ntriples(triples)) for entry, triples in graphs]
    return checked


def _graph(ntriples: bytes) -> Graph:
    return Graph().parse(data=ntriples.decode("utf-8"), format=NT) if ntriples.strip() else Graph()


def _ntriples(triples: list) -> bytes:
    import pyoxigraph as ox

    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


@lru_cache(maxsize=4)
def _schema(project_root: str | None) -> tuple[Graph, Graph]:
    """The project's ontology and shapes, read once per worker (empty without a project)."""
    if project_root is None:
        return Graph(), Graph()
    project = Project(Path(project_root))
    return load_turtle_dir(project.ontology_dir), load_turtle_dir(project.shapes_dir)
