"""Writing build/: the dataset file graph by graph (with where each graph's lines are), the on-disk store beside it.

Readers of build/ see the old build or the new one, never a mix: everything is written under hidden names and
installed by renames, the manifest last.
"""

import errno
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from currigraph.build.layout import DATASET_FILE, OXIGRAPH_DIR
from currigraph.build.loading import compact, load_in_pieces, swap_dir
from currigraph.build.manifest import Manifest, write_manifest

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

    def finish(self, store: Any, graph: str, manifest: Manifest, before_manifest: Callable[[Sections], None]) -> None:
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
        install(self.build_dir, self.dataset, self.oxigraph, manifest, lambda: before_manifest(self.sections))

    def abandon(self) -> None:
        """Stop and remove what was written: the build is not published."""
        try:
            self._wait()
        except Exception:  # the load's failure does not matter to a build that is given up
            pass
        self.dataset.unlink(missing_ok=True)
        (self.build_dir / f".{DATASET_FILE}.tail.tmp").unlink(missing_ok=True)
        shutil.rmtree(self.oxigraph, ignore_errors=True)


def install(build_dir: Path, dataset: Path, oxigraph: Path, manifest: Manifest,
            before_manifest: Callable[[], None] = lambda: None) -> None:
    """Swap a new dataset file and on-disk store into build/, then write the manifest, which readers look at first."""
    os.replace(dataset, build_dir / DATASET_FILE)
    swap_dir(oxigraph, build_dir / OXIGRAPH_DIR)
    before_manifest()
    write_manifest(build_dir, manifest)
