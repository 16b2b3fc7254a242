"""Publishing a validated course: a durable file under data/published/, and the named graphs the store gets for it."""

import hashlib
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from currigraph.build.manifest import GraphEntry
from currigraph.files import atomic_file
from currigraph.iris import Minter, slugify
from currigraph.reasoning.worklist import infer_fast
from currigraph.terms import OxTerms
from currigraph.vocab import CG, RDF, SCHEMA, bind_prefixes

PUBLISHED_PREFIX = "published-"


def course_slug(course: URIRef, graph: Graph, minter: Minter) -> str:
    """The file-name slug of a course, one per course IRI: `<base>course/<slug>` gives <slug>, any other IRI a
    readable slug with a hash of the IRI, so that `course/demo/alpha` and `course/demo-alpha` never share a file."""
    text = str(course)
    prefix = minter.base + "course/"
    local = text[len(prefix):] if text.startswith(prefix) else ""
    if local and slugify(local) == local:
        return local
    readable = slugify(local or str(graph.value(course, SCHEMA.name) or text.rsplit("/", 1)[-1]))
    return f"{readable}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def published_course(folder: Path, slug: str) -> URIRef | None:
    """The course a published file describes (None when there is no such file, or it names no course)."""
    path = folder / f"{slug}.ttl"
    if not path.is_file():
        return None
    graph = Graph().parse(path, format="turtle")
    return next((c for c in graph.subjects(RDF.type, CG.Course) if isinstance(c, URIRef)), None)


def graph_names(minter: Minter, slug: str) -> tuple[URIRef, URIRef]:
    """The named graphs of one published course: its asserted triples and their inferences."""
    return minter.graph(PUBLISHED_PREFIX + slug), minter.graph(f"{PUBLISHED_PREFIX}{slug}-inferred")


def turtle_of(graph: Graph) -> bytes:
    """A published course's file content: its triples as Turtle with the project's prefixes."""
    return bind_prefixes(graph).serialize(format="turtle").encode("utf-8")


def write_published(folder: Path, slug: str, content: bytes) -> Path:
    """Write a published course's file atomically and fsynced: when this returns, the course is durable."""
    path = folder / f"{slug}.ttl"
    with atomic_file(path) as handle:
        handle.write(content)
    return path


def to_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph's triples as pyoxigraph triples (through N-Triples, which both read the same way)."""
    text = graph.serialize(format="nt")
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def course_graphs(minter: Minter, slug: str, graph: Graph, ontology: Graph, context: Graph) -> list[tuple[GraphEntry, list[ox.Triple]]]:
    """The named graphs a published course becomes: its asserted triples and their inferences (with the context)."""
    asserted, inferred_name = graph_names(minter, slug)
    with_context = Graph()
    for g in (graph, context):
        for triple in g:
            with_context.add(triple)
    inferred = infer_fast(ontology, [with_context])
    return [(GraphEntry(str(asserted), "published", len(graph)), to_triples(graph)),
            (GraphEntry(str(inferred_name), "inferred", len(inferred)), to_triples(inferred))]


def published_quads(path: Path, minter: Minter, terms: OxTerms) -> tuple[str, list[ox.Quad], list[ox.Quad]]:
    """A published course file read back for a build: its graph, its own quads and its statements about shared nodes.

    The triples come in N-Triples order, so that the same file gives the same quads, in the same order, every time.
    """
    from currigraph.sources.rdf import parse_rdf

    graph = parse_rdf(path.read_text("utf-8"), "turtle", str(path))
    name = terms.iri(str(minter.graph(PUBLISHED_PREFIX + path.stem)))
    shared = terms.iri(str(minter.graph("shared")))
    own: list[ox.Quad] = []
    common: list[ox.Quad] = []
    for s, p, o in sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())):
        quad = ox.Quad(terms.term(s), terms.term(p), terms.term(o), shared if minter.is_shared(s) else name)  # type: ignore[arg-type]
        (common if minter.is_shared(s) else own).append(quad)
    return name.value, own, common
