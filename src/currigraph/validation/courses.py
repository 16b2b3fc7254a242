"""Checking new data against the shapes in the context of the graph, without re-validating the whole graph.

Only the submission and a small context drawn from the graph are validated: the types of every node the
submission mentions (so `sh:class` checks see that a named programme exists), pillar schemes, and the
links that make a course belong to a programme. Problems are reported for the submission's own nodes.
"""

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from currigraph.convert.catalogue import catalogue_format, convert_catalogue
from currigraph.courses.submission import Submission, parse_submission
from currigraph.errors import InputError
from currigraph.iris import Minter
from currigraph.project import Project, load_turtle_dir
from currigraph.sources.document import MAX_DOCUMENT_BYTES
from currigraph.validation.compiled import validate_graphs
from currigraph.validation.report import Report
from currigraph.vocab import CG, sparql_prologue

# Context for the given nodes: types, pillar schemes, names, and the links into a course from a programme.
# Each part is a DISTINCT sub-select: the default graph is a multiset union, and nodes such as a pillar are
# stated in many source graphs, so plain joins would multiply rows by the number of graphs. The links into a
# course are a UNION of bound predicates, not `VALUES ?link`: pyoxigraph scans every triple for `?x ?link ?n`
# before joining the VALUES (370 ms at 7 million quads, against 0.3 ms).
CONTEXT_QUERY = sparql_prologue() + """
CONSTRUCT { ?n a ?type . ?n skos:inScheme ?scheme . ?scheme a ?schemeType . ?n schema:name ?name . ?x ?link ?n . ?x a ?xType }
WHERE {
  { SELECT DISTINCT ?n ?type WHERE { VALUES ?n { %(nodes)s } ?n a ?type } }
  UNION { SELECT DISTINCT ?n ?name WHERE { VALUES ?n { %(nodes)s } ?n schema:name ?name } }
  UNION { SELECT DISTINCT ?scheme ?schemeType WHERE {
            { SELECT DISTINCT ?scheme WHERE { VALUES ?n { %(nodes)s } ?n skos:inScheme ?scheme } } ?scheme a ?schemeType } }
  UNION { SELECT DISTINCT ?n ?scheme WHERE { VALUES ?n { %(nodes)s } ?n skos:inScheme ?scheme } }
  UNION { SELECT DISTINCT ?x ?link ?n ?xType WHERE {
            VALUES ?n { %(nodes)s }
            { ?x cg:hasCourse ?n BIND (cg:hasCourse AS ?link) }
            UNION { ?x cg:hasMandatoryCourse ?n BIND (cg:hasMandatoryCourse AS ?link) }
            UNION { ?x cg:hasElectiveCourse ?n BIND (cg:hasElectiveCourse AS ?link) }
            UNION { ?x cg:offeredCourse ?n BIND (cg:offeredCourse AS ?link) }
            OPTIONAL { ?x a ?xType } } }
}"""

ContextSource = Callable[[str], Graph]


def mentioned_iris(graph: Graph) -> list[URIRef]:
    """Every IRI the submission mentions as subject or non-class object (the nodes whose context matters)."""
    nodes = {n for s, p, o in graph for n in ((s, o) if p != RDF.type else (s,)) if isinstance(n, URIRef)}
    return sorted(n for n in nodes if not str(n).startswith(str(CG)))


def context_query(graph: Graph) -> str | None:
    """The CONSTRUCT that fetches the context of a submission, or None when it mentions no IRI."""
    nodes = mentioned_iris(graph)
    return CONTEXT_QUERY % {"nodes": " ".join(n.n3() for n in nodes)} if nodes else None


def attach_programme(submission: Submission, programme: URIRef) -> None:
    """Check the submission as courses of a programme: each of its courses becomes cg:courseOf it."""
    for course in submission.courses():
        submission.graph.add((course, CG.courseOf, programme))


def check(submission: Submission, context: Graph, ontology: Graph, shapes: Graph) -> Report:
    """Validate a submission with its context; report only problems of the submission's own nodes."""
    report = validate_graphs([context, ontology, submission.graph], shapes, submission.lines)
    own = set(submission.graph.subjects())
    report.problems = [p for p in report.problems if p.focus in own]
    report.conforms = not report.violations
    return report


def build_context(project: Project) -> ContextSource:
    """Context from the built graph on disk (for the CLI); an empty context when nothing is built yet."""
    from currigraph.build.layout import DamagedBuild
    from currigraph.serving.offline import open_store

    try:
        store = open_store(project.build_dir)
    except DamagedBuild:
        raise
    except InputError:
        return lambda _query: Graph()

    def fetch(query: str) -> Graph:
        triples = store.query(query, use_default_graph_as_union=True).serialize(format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=triples.decode("utf-8"), format="nt")

    return fetch


def check_files(project: Project, files: list[Path]) -> Report:
    """Validate files (RDF or source documents) together with the built graph."""
    minter = Minter(project.base)
    submission = Submission(Graph())
    for path in files:
        data = _read(path)
        one = _catalogue(path, data, minter) if catalogue_format(path, data) else parse_submission(data, None, str(path), minter)
        for triple in one.graph:
            submission.graph.add(triple)
        submission.lines.update(one.lines)
    query = context_query(submission.graph)
    context = build_context(project)(query) if query else Graph()
    return check(submission, context, load_turtle_dir(project.ontology_dir), load_turtle_dir(project.shapes_dir))


def _catalogue(path: Path, data: bytes, minter: Minter) -> Submission:
    """A structured catalogue read through its mapping (docs/catalogues.md), as a submission."""
    writer = convert_catalogue(path, data, minter)
    graph = Graph()
    for triple in writer.graph:
        graph.add(triple)
    return Submission(graph, {key: (str(path), line) for key, line in writer.lines.items()})


def _read(path: Path) -> bytes:
    if not path.exists():
        raise InputError("file not found", str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", str(path))
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise InputError(f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB", str(path))
    return path.read_bytes()
