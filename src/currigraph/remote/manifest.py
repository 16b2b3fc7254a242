"""The build's manifest kept in the store as one named graph, so that stateless servers read it from there.

The manifest says which named graphs make up the dataset and of which kind each is (source, shared, published,
ontology, inferred), in VoID and Dublin Core terms. sd:feature sd:UnionDefaultGraph records that the store's
default graph holds the set union of the named graphs, so that writes through a server keep it so.
"""

import pyoxigraph as ox

from currigraph.build.manifest import GraphEntry, Manifest
from currigraph.iris import Minter
from currigraph.vocab import DCTERMS_NS as DCTERMS
from currigraph.vocab import RDF_TYPE, XSD_INTEGER
from currigraph.vocab import SD_NS as SD
from currigraph.vocab import VOID_NS as VOID

_XSD_INTEGER = ox.NamedNode(XSD_INTEGER)
_TYPE = ox.NamedNode(RDF_TYPE)
# Graphs written by a server (a course published through the web API) rather than by `currigraph publish`:
# a later publish of a build keeps them.
API_ORIGIN = "api"


def _node(local: str, ns: str) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


def manifest_iri(base: str) -> str:
    """The IRI of the manifest graph for a dataset base."""
    return str(Minter(base).graph("manifest"))


def to_triples(manifest: Manifest, union_default: bool) -> list[ox.Triple]:
    """The manifest as RDF triples (subject: the manifest graph's own IRI)."""
    me = ox.NamedNode(manifest_iri(manifest.base))
    triples = [ox.Triple(me, _TYPE, _node("Dataset", VOID)),
               ox.Triple(me, _node("uriSpace", VOID), ox.Literal(manifest.base)),
               ox.Triple(me, _node("triples", VOID), ox.Literal(str(manifest.triples), datatype=_XSD_INTEGER))]
    if manifest.generator:
        triples.append(ox.Triple(me, _node("creator", DCTERMS), ox.Literal(manifest.generator)))
    if union_default:
        triples.append(ox.Triple(me, _node("feature", SD), _node("UnionDefaultGraph", SD)))
    for entry in manifest.graphs:
        triples += entry_triples(me, entry)
    return triples


def entry_triples(me: ox.NamedNode, entry: GraphEntry) -> list[ox.Triple]:
    """The triples that describe one named graph of the dataset."""
    graph = ox.NamedNode(entry.iri)
    triples = [ox.Triple(me, _node("subset", VOID), graph),
               ox.Triple(graph, _node("type", DCTERMS), ox.Literal(entry.kind)),
               ox.Triple(graph, _node("triples", VOID), ox.Literal(str(entry.triples), datatype=_XSD_INTEGER))]
    if entry.source:
        triples.append(ox.Triple(graph, _node("source", DCTERMS), ox.Literal(entry.source)))
    if entry.origin:
        triples.append(ox.Triple(graph, _node("provenance", DCTERMS), ox.Literal(entry.origin)))
    return triples


def from_triples(triples: list[ox.Triple], base: str) -> tuple[Manifest, bool] | None:
    """(manifest, union default graph?) read back from the manifest graph; None when it holds no manifest."""
    me = ox.NamedNode(manifest_iri(base))
    about: dict[ox.NamedNode | ox.BlankNode, dict[str, str]] = {}
    subsets: list[ox.NamedNode] = []
    union_default = False
    for t in triples:
        key = t.predicate.value
        if t.subject == me and key == VOID + "subset" and isinstance(t.object, ox.NamedNode):
            subsets.append(t.object)
        elif t.subject == me and key == SD + "feature" and t.object == _node("UnionDefaultGraph", SD):
            union_default = True
        else:
            about.setdefault(t.subject, {})[key] = t.object.value
    if me not in about or VOID + "uriSpace" not in about[me]:
        return None
    graphs = []
    for graph in sorted(subsets, key=lambda g: g.value):
        facts = about.get(graph, {})
        graphs.append(GraphEntry(graph.value, facts.get(DCTERMS + "type", "graph"), int(facts.get(VOID + "triples", "0")),
                                 facts.get(DCTERMS + "source"), facts.get(DCTERMS + "provenance")))
    return Manifest(about[me][VOID + "uriSpace"], graphs, about[me].get(DCTERMS + "creator")), union_default
