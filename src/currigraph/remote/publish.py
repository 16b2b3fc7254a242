"""Pushing a build to a remote store through the Graph Store Protocol: one PUT per named graph, so that publishing
again replaces and never duplicates.

Order matters for readers of the store: the data graphs first, then the default graph, then the removal of
graphs the build no longer has, and the manifest last, so that a server reading the manifest finds every graph
it lists.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from currigraph.build.layout import OXIGRAPH_DIR, store_present
from currigraph.build.loading import write_oxigraph
from currigraph.build.manifest import Manifest, read_manifest
from currigraph.remote.client import GraphStoreClient
from currigraph.remote.manifest import API_ORIGIN, from_triples, manifest_iri, to_triples

Progress = Callable[[str, int], None]


@dataclass
class PublishResult:
    """What a publish did: graphs written, triples sent, graphs removed, graphs kept (written by a server)."""

    graphs: int
    triples: int
    removed: int
    kept: int
    union_triples: int


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def previous_manifest(gsp: GraphStoreClient, base: str) -> Manifest | None:
    """The manifest a former publish left in the store, or None."""
    body = gsp.get(manifest_iri(base))
    if not body:
        return None
    found = from_triples(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)), base)
    return found[0] if found else None


def publish_to_store(build_dir: Path, gsp: GraphStoreClient, union_default: bool = True, progress: Progress | None = None) -> PublishResult:
    """Push every named graph of the build (and, with union_default, their set union as the default graph)."""
    step = progress or (lambda _msg, _n: None)
    manifest = read_manifest(build_dir)
    if not store_present(build_dir):
        write_oxigraph(build_dir)
    local = ox.Store.read_only(str(build_dir / OXIGRAPH_DIR))
    before = previous_manifest(gsp, manifest.base)
    ours = {g.iri for g in manifest.graphs}
    earlier = before.graphs if before else []
    kept = [g for g in earlier if g.origin == API_ORIGIN and g.iri not in ours]
    sent = 0
    for entry in manifest.graphs:
        triples = [q.triple for q in local.quads_for_pattern(None, None, None, ox.NamedNode(entry.iri))]
        body = _ntriples(triples)
        gsp.put(entry.iri, body, len(body))
        sent += len(triples)
        step(f"sent {entry.iri.rsplit('/', 1)[-1]}", 1)
    union_size = 0
    if union_default:
        union_size = _put_union(local, gsp, [g.iri for g in kept])
    step("default graph", 1)
    stale = [g.iri for g in earlier if g.iri not in ours and g not in kept]
    for iri in stale:
        gsp.delete(iri)
    body = _ntriples(to_triples(manifest.replaced(kept), union_default))
    gsp.put(manifest_iri(manifest.base), body, len(body))
    step("manifest", 1)
    return PublishResult(len(manifest.graphs), sent, len(stale), len(kept), union_size)


def _put_union(local: ox.Store, gsp: GraphStoreClient, remote_graphs: list[str]) -> int:
    """PUT the set union of all graphs as the default graph, streamed through a temporary file (it can be large)."""
    extra = ox.Store()  # graphs only the remote store has (courses published through a server)
    for iri in remote_graphs:
        body = gsp.get(iri)
        if body:
            extra.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                         for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    union = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    triples = (ox.Triple(row["s"], row["p"], row["o"]) for row in local.query(union))  # type: ignore[union-attr]
    with tempfile.TemporaryFile() as handle:
        count = 0

        def counted(items):  # noqa: ANN001, ANN202 - a generator over pyoxigraph terms
            nonlocal count
            for item in items:
                count += 1
                yield item

        ox.serialize(counted(triples), handle, format=ox.RdfFormat.N_TRIPLES)
        # Triples of server-published graphs that the build does not state too (the build's own are written above).
        for quad in extra:
            if not _stated(local, quad):
                handle.write(_ntriples([quad.triple]))
                count += 1
        length = handle.tell()
        handle.seek(0)
        gsp.put(None, handle, length)  # type: ignore[arg-type]
    return count


def _stated(local: ox.Store, quad: ox.Quad) -> bool:
    return next(iter(local.quads_for_pattern(quad.subject, quad.predicate, quad.object)), None) is not None
