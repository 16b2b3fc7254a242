"""Publishing a validated course: a durable file under data/published/, and the live store updated at once."""

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from currigraph.iris import Minter, slugify
from currigraph.namespaces import SCHEMA, bind_prefixes
from currigraph.reason_fast import infer_fast
from currigraph.store import MANIFEST_FILE, atomic_file, read_manifest

PUBLISHED_PREFIX = "published-"


def course_slug(course: URIRef, graph: Graph, minter: Minter) -> str:
    """The file-name slug of a course: its IRI's path under <base>course/, else its name."""
    text = str(course)
    prefix = minter.base + "course/"
    if text.startswith(prefix) and text != prefix:
        return slugify(text[len(prefix):])
    return slugify(str(graph.value(course, SCHEMA.name) or text.rsplit("/", 1)[-1]))


def graph_names(minter: Minter, slug: str) -> tuple[URIRef, URIRef]:
    """The named graphs of one published course: its asserted triples and their inferences."""
    return minter.graph(PUBLISHED_PREFIX + slug), minter.graph(f"{PUBLISHED_PREFIX}{slug}-inferred")


def write_published(folder: Path, slug: str, graph: Graph) -> Path:
    """Write the course's triples as Turtle, atomically and fsynced: when this returns, the course is durable."""
    path = folder / f"{slug}.ttl"
    with atomic_file(path) as handle:
        handle.write(bind_prefixes(graph).serialize(format="turtle").encode("utf-8"))
    return path


def _quads(graph: Graph, name: URIRef) -> list[ox.Quad]:
    text = graph.serialize(format="nt")
    return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(name)))
            for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


def apply_to_store(store_path: Path, build_dir: Path, minter: Minter, slug: str, graph: Graph,
                   ontology: Graph, context: Graph) -> int:
    """Replace the course's graphs in the on-disk store with its triples and inferences; return the store size.

    The caller holds the write lock and has stopped the query workers (the store is opened read-write).
    """
    asserted, inferred_name = graph_names(minter, slug)
    with_context = Graph()
    for g in (graph, context):
        for triple in g:
            with_context.add(triple)
    inferred = infer_fast(ontology, [with_context])
    store = ox.Store(str(store_path))
    for name in (asserted, inferred_name):
        if store.contains_named_graph(ox.NamedNode(str(name))):
            store.remove_graph(ox.NamedNode(str(name)))
    store.extend(_quads(graph, asserted))
    store.extend(_quads(inferred, inferred_name))
    store.flush()
    size = len(store)
    del store
    _record_in_manifest(build_dir, [(asserted, "published", len(graph)), (inferred_name, "inferred", len(inferred))], size)
    return size


def _record_in_manifest(build_dir: Path, graphs: list[tuple[URIRef, str, int]], size: int) -> None:
    manifest = read_manifest(build_dir)
    names = {str(name) for name, _, _ in graphs}
    manifest["graphs"] = [g for g in manifest["graphs"] if g["iri"] not in names]
    manifest["graphs"] += [{"iri": str(n), "kind": k, "triples": c, "source": None} for n, k, c in graphs]
    manifest["triples"] = size
    with atomic_file(build_dir / MANIFEST_FILE) as handle:
        handle.write(json.dumps(manifest, indent=2).encode("utf-8"))
