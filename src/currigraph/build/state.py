"""What a build remembers for the next one, so that a rebuild redoes only what changed (build_delta).

A build records the digest of every input document, each document's statements about shared nodes (the shared
graph is their union, so a document's share can only be taken out again if it is known), where each graph sits
in build/dataset.nq, and the validation report. A fingerprint of everything else the output depends on (the
ontology, the shapes, the prose lexicon, the base IRI, currigraph's own code and the RDF libraries) decides
whether the record applies at all: when any of it differs, the next build is a full one. So does any doubt:
a missing, unreadable or foreign state file, or a manifest written by another build (`serve` writing to the
store forgets the state: forget_state).
"""

import hashlib
import json
import os
import sqlite3
import uuid
import zlib
from contextlib import closing
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from currigraph.build.layout import DATASET_FILE, STATE_FILE
from currigraph.validation.report import Problem

STATE_VERSION = 3
_PACKAGE = Path(__file__).resolve().parents[1]  # the currigraph package: its code decides what a build makes


@dataclass(frozen=True)
class Unit:
    """One input document of a build: a source document or a published course, and the digest of its bytes."""

    key: str  # its path, relative to the project when inside it: the same document on every machine
    path: Path
    kind: str  # "source" or "published"
    sha256: str


@dataclass
class UnitRecord:
    """What the last build made of one input: its digest, its graph and size, and its statements in the shared graph."""

    sha256: str
    graph: str
    kind: str
    triples: int
    shared: bytes = b""  # zlib-compressed N-Quads lines, sorted, each once

    def shared_lines(self) -> list[bytes]:
        """The document's lines of the shared graph."""
        return zlib.decompress(self.shared).splitlines(keepends=True) if self.shared else []


@dataclass
class BuildState:
    """The record of one build: the fingerprint it was made under, its inputs, graph sections and report."""

    fingerprint: str
    build_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    units: dict[str, UnitRecord] = field(default_factory=dict)
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # graph IRI -> (offset, length) in dataset.nq
    problems: list[Problem] = field(default_factory=list)
    names: dict[Node, str] = field(default_factory=dict)
    shared_counts: dict[bytes, int] = field(default_factory=dict)  # line of the shared graph -> inputs that state it
    root: str = ""  # the project directory the build was made in (problems name files under it)
    dataset: str = ""  # stamp of the build/dataset.nq the sections are in (dataset_stamp)
    version: int = STATE_VERSION

    def moved_problems(self, root: Path) -> list[Problem]:
        """The report's problems, their files under `root` when the project has moved since the build."""
        old, new = self.root, str(root)
        if not old or old == new:
            return self.problems
        return [replace(p, where=(new + p.where[0][len(old):], p.where[1])) if p.where and p.where[0].startswith(old + os.sep)
                else p for p in self.problems]


def pack_lines(lines: bytes) -> bytes:
    """N-Quads lines, sorted and each once, compressed for the state file."""
    unique = sorted({line for line in lines.splitlines(keepends=True) if line.strip()})
    return zlib.compress(b"".join(unique), 1) if unique else b""


def unit_key(path: Path, root: Path) -> str:
    """The key of a document: its path under the project root, or its absolute path when it lies elsewhere."""
    absolute = os.path.abspath(path)  # not resolve(): following links costs a system call per path part
    relative = os.path.relpath(absolute, os.path.abspath(root))
    return absolute if relative.startswith(os.pardir) else relative


def scan_units(root: Path, sources: list[Path], published: list[Path]) -> list[Unit]:
    """The inputs of a build with the SHA-256 of their bytes (an unreadable file gets no digest: it always counts as changed)."""
    units = []
    for kind, paths in (("source", sources), ("published", published)):
        for path in paths:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                digest = ""  # the converter reports what is wrong with it
            units.append(Unit(unit_key(path, root), path, kind, digest))
    return units


def fingerprint(base: str, ontology: list[Path], shapes: list[Path], lexicon: Path | list[Path], mappings: list[Path] | None = None) -> str:
    """A digest of everything besides the documents that a build's output depends on."""
    digest = hashlib.sha256(f"state {STATE_VERSION}\nbase {base}\n".encode())
    for name in ("rdflib", "pyoxigraph", "owlrl", "pyshacl", "markdown-it-py", "PyYAML", "langcodes"):
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):  # currigraph's own code: a new converter makes new triples
        digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    # The lexicon: the prose words of every language, and the link table (both change what documents convert to).
    reading = lexicon if isinstance(lexicon, list) else [lexicon]
    for label, paths in (("ontology", ontology), ("shapes", shapes), ("lexicon", reading), ("mapping", mappings or [])):
        for path in sorted(paths):
            data = path.read_bytes() if path.is_file() else b""
            digest.update(f"{label} {path.name} {len(data)}\n".encode() + data)
    return digest.hexdigest()


# The record is an SQLite database: a format that only ever holds data (a pickle found in a build/ directory
# someone else made could run code when read), written whole to a new file and swapped in.
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE units (key TEXT PRIMARY KEY, sha256 TEXT, graph TEXT, kind TEXT, triples INTEGER, shared BLOB);
CREATE TABLE sections (graph TEXT PRIMARY KEY, offset INTEGER, length INTEGER);
CREATE TABLE blobs (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""


def dataset_stamp(path: Path) -> str:
    """Size and modification time of a file: a dataset file written since the record was differs (a copy keeps both)."""
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


def load_state(build_dir: Path, expected_fingerprint: str, manifest_build_id: str | None) -> BuildState | None:
    """The last build's record, if it applies to a build under this fingerprint; None whenever in doubt."""
    path = build_dir / STATE_FILE
    if manifest_build_id is None or not path.is_file():
        return None
    try:
        state = _read(path, expected_fingerprint, manifest_build_id)
        # A build stopped between swapping in its dataset file and writing its record leaves an older record.
        if state is None or state.dataset != dataset_stamp(build_dir / DATASET_FILE):
            return None
        return state
    except (OSError, sqlite3.Error, ValueError, TypeError, KeyError, IndexError):  # missing, damaged, foreign: build in full
        return None


def read_state(build_dir: Path) -> BuildState | None:
    """The record build/ holds, whatever it was made under (None when there is none)."""
    path = build_dir / STATE_FILE
    return _read(path, None, None) if path.is_file() else None


def _read(path: Path, fingerprint: str | None, build_id: str | None) -> BuildState | None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if int(meta["version"]) != STATE_VERSION or fingerprint not in (None, meta["fingerprint"]) or build_id not in (
                None, meta["build_id"]):
            return None
        state = BuildState(meta["fingerprint"], meta["build_id"], root=meta["root"], dataset=meta["dataset"])
        state.units = {key: UnitRecord(sha, graph, kind, triples, shared or b"")
                       for key, sha, graph, kind, triples, shared in db.execute("SELECT * FROM units")}
        state.sections = {graph: (offset, length) for graph, offset, length in db.execute("SELECT * FROM sections")}
        blobs = {key: zlib.decompress(value) for key, value in db.execute("SELECT key, value FROM blobs")}
    for row in blobs["shared"].split(b"\n")[:-1]:
        count, line = row.split(b" ", 1)
        state.shared_counts[line + b"\n"] = int(count)
    state.problems = [_problem(row) for row in json.loads(blobs["problems"])]
    state.names = {_term(node): name for node, name in json.loads(blobs["names"])}
    return state


def save_state(build_dir: Path, state: BuildState) -> None:
    """Write the record of a build to a new file, durably, then swap it in (before the manifest that names its id)."""
    path = build_dir / STATE_FILE
    tmp = build_dir / f".{STATE_FILE}.tmp"
    tmp.unlink(missing_ok=True)
    state.dataset = dataset_stamp(build_dir / DATASET_FILE)  # called once the new dataset file is in place
    meta = {"version": str(STATE_VERSION), "fingerprint": state.fingerprint, "build_id": state.build_id, "root": state.root,
            "dataset": state.dataset}
    # Large parts as one compressed value each: a row per line of the shared graph costs seconds to write at scale.
    blobs = {"problems": json.dumps([_problem_row(p) for p in state.problems]).encode(),
             "names": json.dumps([[_term_row(node), name] for node, name in state.names.items()]).encode(),
             "shared": b"".join(b"%d %s" % (n, line) for line, n in state.shared_counts.items())}
    try:
        with closing(sqlite3.connect(tmp)) as db, db:
            db.executescript(_TABLES)
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)",
                           ((k, r.sha256, r.graph, r.kind, r.triples, r.shared) for k, r in state.units.items()))
            db.executemany("INSERT INTO sections VALUES (?, ?, ?)", ((g, o, n) for g, (o, n) in state.sections.items()))
            db.executemany("INSERT INTO blobs VALUES (?, ?)", ((k, zlib.compress(v, 1)) for k, v in blobs.items()))
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _term_row(node: Node | None) -> list | None:
    """An RDF term as JSON: ["u", iri], ["b", id] or ["l", lexical form, datatype, language]."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return ["u", str(node)]
    if isinstance(node, BNode):
        return ["b", str(node)]
    if isinstance(node, Literal):
        return ["l", str(node), str(node.datatype) if node.datatype else None, node.language]
    raise TypeError(f"not an RDF term: {node!r}")


def _term(row: list | None) -> Node | None:
    if row is None:
        return None
    kind = row[0]
    if kind == "u":
        return URIRef(row[1])
    if kind == "b":
        return BNode(row[1])
    if kind == "l":
        return Literal(row[1], datatype=URIRef(row[2]) if row[2] else None, lang=row[3])
    raise ValueError(f"unknown term kind {kind!r}")


def _problem_row(p: Problem) -> list:
    return [_term_row(p.focus), _term_row(p.path), _term_row(p.value), p.message, p.severity, list(p.where) if p.where else None,
            _term_row(p.shape), p.component]


def _problem(row: list) -> Problem:
    focus, path, value, message, severity, where, shape, component = row
    return Problem(_term(focus), _term(path), _term(value), message, severity,  # type: ignore[arg-type]
                   (where[0], int(where[1])) if where else None, _term(shape), component)


def forget_state(build_dir: Path) -> None:
    """Drop the record of the last build: its store is about to change outside a build, so the next build is a full one."""
    (build_dir / STATE_FILE).unlink(missing_ok=True)


__all__ = ["STATE_FILE", "BuildState", "Unit", "UnitRecord", "fingerprint", "forget_state", "load_state", "pack_lines", "read_state",
           "save_state", "scan_units", "unit_key"]
