"""Getting N-Quads into stores: the on-disk pyoxigraph store `serve` opens, and rdflib datasets for exports."""

import shutil
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.exceptions import ParserError

from currigraph.build.layout import DATASET_FILE, OXIGRAPH_DIR, damaged
from currigraph.build.manifest import read_manifest
from currigraph.vocab import bind_prefixes

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


def swap_dir(new: Path, target: Path) -> None:
    """Put a directory in place of another with two renames; the old one is removed afterwards."""
    old = target.parent / f".{target.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.replace(old)
    new.replace(target)
    shutil.rmtree(old, ignore_errors=True)


def write_oxigraph(build_dir: Path) -> Path:
    """Load build/dataset.nq into an on-disk pyoxigraph store at build/oxigraph, replacing it whole."""
    target = build_dir / OXIGRAPH_DIR
    tmp = build_dir / f".{OXIGRAPH_DIR}.tmp"
    old = build_dir / f".{OXIGRAPH_DIR}.old"
    for leftover in (tmp, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        load_in_pieces(build_dir / DATASET_FILE, tmp)
    except (SyntaxError, ValueError, UnicodeDecodeError) as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise damaged(build_dir / DATASET_FILE, err) from None
    compact(tmp)
    swap_dir(tmp, target)
    return target


def load_dataset(build_dir: Path, kinds: frozenset[str] | None = None) -> Dataset:
    """The built dataset as an rdflib Dataset, optionally only the graphs of some kinds."""
    manifest = read_manifest(build_dir)
    full = Dataset()
    try:
        full.parse(build_dir / DATASET_FILE, format="nquads")
    except (ParserError, SyntaxError, ValueError, UnicodeDecodeError) as err:
        raise damaged(build_dir / DATASET_FILE, err) from None
    if kinds is None:
        return bind_prefixes(full, manifest.base)
    wanted = {URIRef(iri) for iri in manifest.iris(kinds)}
    result = bind_prefixes(Dataset(), manifest.base)
    for s, p, o, g in full.quads():
        if g in wanted:
            result.graph(g).add((s, p, o))
    return result
