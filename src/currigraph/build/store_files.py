"""The built dataset on disk (build/dataset.nq plus build/manifest.json), written atomically and read back."""

import errno
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Dataset, URIRef

from currigraph.errors import InputError
from currigraph.vocab import bind_prefixes

DATASET_FILE = "dataset.nq"
MANIFEST_FILE = "manifest.json"
OXIGRAPH_DIR = "oxigraph"
STATE_FILE = "state.sqlite"  # the record a build leaves for the next one (build_state)


@dataclass(frozen=True)
class GraphEntry:
    """One named graph of the build: its IRI, its kind (source, ontology, inferred) and size."""

    iri: str
    kind: str
    triples: int
    source: str | None = None


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Write a file so that readers see the old or the new content, never a torn one, and it survives a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# pyoxigraph's bulk loader holds its whole input in memory until a call ends (2 GB more for a 10,000-programme build
# in one call); pieces of 16 MB of N-Quads (about 70,000 quads) keep it under 200 MB, and load faster (measured at
# 700,000 quads: one call 6.5 s / 800 MB, 16 MB pieces 4.3 s / 170 MB).
PIECE_BYTES = 16 * 1024 * 1024


def load_in_pieces(nquads: Path, store_dir: Path, piece: int = PIECE_BYTES) -> None:
    """Bulk-load an N-Quads file into an on-disk store, a piece at a time (cut at line ends) to bound memory."""
    import pyoxigraph as ox

    store = ox.Store(str(store_dir))
    with nquads.open("rb") as handle:
        rest = b""
        while block := handle.read(piece):
            block = rest + block
            end = block.rfind(b"\n") + 1
            rest = block[end:]
            if end:
                store.bulk_load(input=block[:end], format=ox.RdfFormat.N_QUADS, lenient=True)  # written by pyoxigraph
        if rest.strip():
            store.bulk_load(input=rest, format=ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()


def compact(store_dir: Path) -> None:
    """Compact an on-disk store after bulk loads, so that every lookup reads one sorted run instead of dozens."""
    import pyoxigraph as ox

    # Each bulk load adds files that overlap all the others; a query probing them one lookup at a time pays
    # for each (measured at 7 million quads: a named query 27 s before, 3 s after; compacting costs 10 CPU s).
    ox.Store(str(store_dir)).optimize()


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold build/.lock for the length of a build: a second build of the same project stops at once, and says why."""
    import fcntl

    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / ".lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise InputError(f"another build of this project is running (pid {holder}); wait for it to finish",
                             str(build_dir)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


Sections = dict[str, tuple[int, int]]  # graph IRI -> (offset, length) of its lines in build/dataset.nq


class SectionWriter:
    """Writes an N-Quads file graph by graph and remembers where each graph's lines are, for a later build to reuse."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sections: Sections = {}

    def write(self, graph: str, data: bytes) -> None:
        """Append one graph's N-Quads."""
        start = self.handle.tell()
        self.handle.write(data)
        self.sections[graph] = (start, len(data))

    def copy(self, graph: str, source: BinaryIO, offset: int, length: int) -> None:
        """Append one graph's lines from another file, copied by the kernel (a rebuild copies most of the old file)."""
        self.handle.flush()
        start = self.handle.tell()
        done = 0
        while done < length:
            try:
                copied = os.copy_file_range(source.fileno(), self.handle.fileno(), length - done, offset + done, start + done)
            except OSError as err:  # a file system or kernel that cannot copy in place: read and write
                if err.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                    raise
                copied = os.pwrite(self.handle.fileno(), os.pread(source.fileno(), min(length - done, 16 << 20), offset + done),
                                   start + done)
            if copied == 0:
                raise OSError(f"{source.name} ends before the section of {graph}")
            done += copied
        self.handle.seek(start + length)
        self.sections[graph] = (start, length)


    def splice(self, graph: str, source: BinaryIO, offset: int, length: int, blocks: dict[bytes, bytes]) -> int:
        """Append a graph whose lines are sorted, from another file, with the lines of some subjects replaced.

        blocks maps a subject as N-Quads writes it (`<iri>`) to its new lines (sorted; empty to drop the subject).
        The lines of one subject are next to each other in a sorted section, so each block is found by binary search
        and the rest is copied by the kernel: a rebuild does not read the whole graph. Returns the lines removed.
        """
        import mmap

        start = self.handle.tell()
        removed = 0
        with mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ) as data:
            at, end = offset, offset + length
            for subject in sorted(blocks, key=lambda s: s + b" "):
                first = _lower_bound(data, at, end, subject + b" ")
                after = _lower_bound(data, first, end, subject + b"!")  # '!' follows ' ': past this subject's lines
                removed += data[first:after].count(b"\n")
                self.copy(graph, source, at, first - at)
                self.handle.write(blocks[subject])
                at = after
            self.copy(graph, source, at, end - at)
        self.handle.flush()
        self.sections[graph] = (start, self.handle.tell() - start)
        return removed


def _lower_bound(data: Any, lo: int, hi: int, key: bytes) -> int:
    """The offset of the first line in data[lo:hi] (sorted lines, each ending with a newline) that is >= key."""
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", lo, mid) + 1 or lo
        start = max(start, lo)
        end = data.find(b"\n", start, hi) + 1 or hi
        if data[start:end] < key:
            lo = end
        else:
            hi = start
    return lo


def graph_nquads(store: Any, graph: str, sort: bool = False) -> bytes:
    """One named graph of a pyoxigraph store as N-Quads; with sort, its lines in byte order (the same on every run)."""
    import pyoxigraph as ox

    data = ox.serialize(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), format=ox.RdfFormat.N_QUADS) or b""
    return b"".join(sorted(data.splitlines(keepends=True))) if sort else data


class BuildWriter:
    """Writes build/ while the build is still validating and reasoning, so that storing costs little at the end.

    The asserted graphs go to a hidden N-Quads file at once, and a thread bulk-loads them into a hidden on-disk
    store (pyoxigraph releases the GIL there) while the shapes and the rules run in memory; the inferred graph
    follows at the end. Nothing visible changes until finish() swaps the files in, the manifest last, so that
    readers see the old build or the new one; abandon() removes the hidden files when the data does not conform.
    Graphs that many documents make together (shared, inferred) are written with their lines sorted, so that a
    rebuild that changes some of their lines writes the same bytes a full build would.
    """

    def __init__(self, build_dir: Path) -> None:
        self.build_dir = build_dir
        self.dataset = build_dir / f".{DATASET_FILE}.tmp"
        self.oxigraph = build_dir / f".{OXIGRAPH_DIR}.tmp"
        self.sections: Sections = {}
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, store: Any, graphs: list[str], sort: frozenset[str] = frozenset()) -> None:
        """Write these graphs of the store, in this order, and start loading them into the on-disk store."""
        self.build_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.oxigraph, ignore_errors=True)
        with self.dataset.open("wb") as handle:
            sections = SectionWriter(handle)
            for graph in graphs:  # graph by graph, in the manifest's order, so that the file reads in a stable order
                sections.write(graph, graph_nquads(store, graph, graph in sort))
        self.sections = sections.sections
        self._thread = threading.Thread(target=self._load, args=(self.dataset,), name="build-store", daemon=True)
        self._thread.start()

    def _load(self, path: Path) -> None:
        try:
            load_in_pieces(path, self.oxigraph)
        except BaseException as err:  # reported by finish(), on the build's own thread
            self._error = err

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def finish(self, store: Any, graph: str, manifest: dict[str, Any], before_manifest: Callable[[Sections], None]) -> None:
        """Add one more graph of the store (the inferred one, sorted), then make the new build visible."""
        tail = self.build_dir / f".{DATASET_FILE}.tail.tmp"
        data = graph_nquads(store, graph, sort=True)
        tail.write_bytes(data)
        self._wait()
        load_in_pieces(tail, self.oxigraph)
        compact(self.oxigraph)
        self.sections[graph] = (self.dataset.stat().st_size, len(data))
        with self.dataset.open("ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tail.unlink()
        publish_build(self.build_dir, self.dataset, self.oxigraph, manifest, lambda: before_manifest(self.sections))

    def abandon(self) -> None:
        """Stop and remove what was written: the build is not published."""
        try:
            self._wait()
        except Exception:  # the load's failure does not matter to a build that is given up
            pass
        self.dataset.unlink(missing_ok=True)
        (self.build_dir / f".{DATASET_FILE}.tail.tmp").unlink(missing_ok=True)
        shutil.rmtree(self.oxigraph, ignore_errors=True)


def publish_build(build_dir: Path, dataset: Path, oxigraph: Path, manifest: dict[str, Any],
                  before_manifest: Callable[[], None] = lambda: None) -> None:
    """Swap a new dataset file and on-disk store into build/, then write the manifest, which readers look at first."""
    os.replace(dataset, build_dir / DATASET_FILE)
    _swap_dir(oxigraph, build_dir / OXIGRAPH_DIR)
    before_manifest()
    with atomic_file(build_dir / MANIFEST_FILE) as handle:
        handle.write(json.dumps(manifest, indent=2).encode("utf-8"))


def manifest_of(entries: list[GraphEntry], base: str, extra: dict[str, Any]) -> dict[str, Any]:
    """The manifest of a build: its base, its size, its graphs (in the dataset file's order) and what else it says."""
    return {"base": base, "triples": sum(e.triples for e in entries), "graphs": [e.__dict__ for e in entries], **extra}


def _swap_dir(new: Path, target: Path) -> None:
    """Put a directory in place of another with two renames; the old one is removed afterwards."""
    old = target.parent / f".{target.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def write_oxigraph(build_dir: Path) -> Path:
    """Load build/dataset.nq into an on-disk pyoxigraph store at build/oxigraph, replacing it whole."""

    target = build_dir / OXIGRAPH_DIR
    tmp = build_dir / f".{OXIGRAPH_DIR}.tmp"
    old = build_dir / f".{OXIGRAPH_DIR}.old"
    for leftover in (tmp, old):
        shutil.rmtree(leftover, ignore_errors=True)
    load_in_pieces(build_dir / DATASET_FILE, tmp)
    compact(tmp)
    _swap_dir(tmp, target)
    return target


def forget_state(build_dir: Path) -> None:
    """Drop the record of the last build: its store is about to change outside a build, so the next build is a full one."""
    (build_dir / STATE_FILE).unlink(missing_ok=True)


def read_manifest(build_dir: Path) -> dict[str, Any]:
    """The manifest of a build; InputError when there is no usable build."""
    path = build_dir / MANIFEST_FILE
    if not path.exists() or not (build_dir / DATASET_FILE).exists():
        raise InputError("no built graph here; run `currigraph build` first", str(build_dir))
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"unreadable build manifest: {err}", str(path)) from None


def graph_entries(build_dir: Path) -> list[GraphEntry]:
    """The named graphs listed in a build's manifest."""
    return [GraphEntry(**g) for g in read_manifest(build_dir)["graphs"]]


def load_dataset(build_dir: Path, kinds: set[str] | None = None) -> Dataset:
    """The built dataset as an rdflib Dataset, optionally only the graphs of some kinds."""
    manifest = read_manifest(build_dir)
    full = Dataset()
    full.parse(build_dir / DATASET_FILE, format="nquads")
    if kinds is None:
        return bind_prefixes(full, manifest["base"])
    wanted = {URIRef(e.iri) for e in graph_entries(build_dir) if e.kind in kinds}
    result = bind_prefixes(Dataset(), manifest["base"])
    for s, p, o, g in full.quads():
        if g in wanted:
            result.graph(g).add((s, p, o))
    return result


def is_stale(build_dir: Path, inputs: list[Path]) -> bool:
    """True when the build is missing or older than any of its inputs."""
    manifest = build_dir / MANIFEST_FILE
    if not manifest.exists() or not (build_dir / DATASET_FILE).exists():
        return True
    built = manifest.stat().st_mtime
    return any(p.stat().st_mtime > built for p in inputs)
