"""Converting a whole corpus at once: documents in worker processes, each document returned as N-Quads.

A build converts thousands of documents that do not depend on each other. Workers run the same converters
as convert_document, but hand back N-Quads text (serialised by pyoxigraph) rather than rdflib graphs, so the
parent only bulk-loads bytes into its store: no rdflib object outlives its document. Statements about
shared nodes (Minter.is_shared) go to the shared graph here, as they do for published courses in build.py;
each document's share is kept apart, so that a later build can take it out again (build_state).
Given an Entailer (the build passes the ontology's per-triple rules, reason_rules.Rules), a worker also
derives what its documents entail, so reasoning runs on every core alongside conversion.
"""

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib.term import Node

from currigraph.convert import write_source
from currigraph.convert.catalogue import catalogue_mappings_path, use_catalogue_mappings
from currigraph.errors import InputError
from currigraph.iris import Minter
from currigraph.sources.lexicon import prose_lexicon_path, use_prose_lexicon
from currigraph.sources.links import link_table_path, use_link_table
from currigraph.terms import OxTerm, OxTerms

Lines = dict[tuple[Node, Node], tuple[str, int]]
# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 200
CHUNK = 64


class Entailer(Protocol):
    """What a worker derives from a chunk's triples: N-Triples of what they entail, and whether they state schema."""

    def entailments(self, triples: list[tuple[OxTerm, ox.NamedNode, OxTerm]]) -> tuple[bytes, bool]:
        """Entailed triples the chunk does not state (N-Triples), and True when the triples state schema."""
        ...


@dataclass
class DocumentQuads:
    """One converted document: its own graph's quads in the order written, and its statements about shared nodes."""

    graph: str
    path: str
    own: bytes  # N-Quads of the document's named graph: the bytes a build writes for that graph
    shared: bytes  # N-Quads of its statements in the shared graph
    triples: int
    lines: Lines = field(default_factory=dict)  # (subject, predicate) -> (file, line) of each value


@dataclass
class Chunk:
    """Converted documents: each one's quads, the line of each value, and what they entail together."""

    documents: list[DocumentQuads] = field(default_factory=list)
    derived: bytes = b""  # N-Triples: what the documents entail under the rules, less what the chunk states
    states_schema: bool = False  # some document states schema: the rules alone are not the closure
    error: tuple[str, str | None, int | None, str | None] | None = None

    @property
    def lines(self) -> Lines:
        """The line of each value, over the chunk's documents in order (a later document's line wins)."""
        merged: Lines = {}
        for document in self.documents:
            merged.update(document.lines)
        return merged

    @property
    def nquads(self) -> bytes:
        """Every quad of the chunk as N-Quads, each document's own graph before its shared statements."""
        return b"".join(part for d in self.documents for part in (d.own, d.shared))


def convert_chunk(paths: list[str], base: str, lexicon: str | None = None, rules: Entailer | None = None,
                  mappings: str | None = None, links: str | None = None) -> Chunk:
    """Convert some documents into one chunk (and what they entail, given rules); the first bad document stops it.

    A worker process reads prose with the parent's lexicon, catalogues with its mappings, and applies its link table
    (passed as paths: a spawned worker starts with the repository's own).
    """
    if lexicon:
        use_prose_lexicon(Path(lexicon))
    if mappings:
        use_catalogue_mappings(Path(mappings))
    use_link_table(Path(links) if links else None)
    minter = Minter(base)
    terms = OxTerms()
    shared = terms.iri(str(minter.graph("shared")))
    chunk = Chunk()
    stated: list[tuple[OxTerm, ox.NamedNode, OxTerm]] = []
    for path in paths:
        try:
            writer = write_source(Path(path), minter)
        except InputError as err:
            chunk.error = (err.message, err.file, err.line, err.field)
            break
        own_graph = terms.iri(str(writer.graph_iri))
        own: list[ox.Quad] = []
        common: list[ox.Quad] = []
        for s, p, o in writer.graph:
            triple = (terms.term(s), terms.iri(str(p)), terms.term(o))
            if rules is not None:
                stated.append(triple)
            if minter.is_shared(s):
                common.append(ox.Quad(*triple, shared))  # type: ignore[misc]
            else:
                own.append(ox.Quad(*triple, own_graph))  # type: ignore[misc]
        lines = {key: (path, line) for key, line in writer.lines.items()}
        chunk.documents.append(DocumentQuads(str(writer.graph_iri), path, _nquads(own), _nquads(common), len(own), lines))
    if rules is not None:
        chunk.derived, chunk.states_schema = rules.entailments(stated)
    return chunk


def _nquads(quads: list[ox.Quad]) -> bytes:
    return (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"") if quads else b""


def _chunks(paths: list[Path], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield [str(p) for p in paths[start : start + size]]


def convert_corpus(paths: list[Path], base: str, jobs: int | None = None, rules: Entailer | None = None) -> Iterator[Chunk]:
    """Convert documents in order, on `jobs` processes (by default one per core when there are many); InputError for the first bad one."""
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(paths) >= PARALLEL_FROM else 1
    lexicon = str(prose_lexicon_path())
    mappings = str(catalogue_mappings_path())
    table = link_table_path()
    links = str(table) if table is not None else None
    if jobs <= 1:
        results: Iterator[Chunk] = (convert_chunk(c, base, lexicon, rules, mappings, links) for c in _chunks(paths, CHUNK))
        yield from _checked(results)
        return
    # fork starts workers at once with everything imported; a threaded process (a server, a test) must not
    # fork (a lock held by another thread would stay held in the child), so it spawns fresh interpreters.
    method = "fork" if threading.active_count() == 1 else "spawn"
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context(method)) as pool:
        chunks = list(_chunks(paths, CHUNK))
        results = pool.map(convert_chunk, chunks, [base] * len(chunks), [lexicon] * len(chunks), [rules] * len(chunks),
                           [mappings] * len(chunks), [links] * len(chunks))
        yield from _checked(results)


def _checked(results: Iterator[Chunk]) -> Iterator[Chunk]:
    for chunk in results:
        if chunk.error is not None:
            message, file, line, field_name = chunk.error
            raise InputError(message, file, line, field_name)
        yield chunk
