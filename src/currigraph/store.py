"""The built dataset on disk (build/dataset.nq plus build/manifest.json), written atomically and read back."""

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Dataset, URIRef

from currigraph.errors import InputError
from currigraph.namespaces import bind_prefixes

DATASET_FILE = "dataset.nq"
MANIFEST_FILE = "manifest.json"
OXIGRAPH_DIR = "oxigraph"


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


def write_build(build_dir: Path, dataset: Any, entries: list[GraphEntry], base: str, extra: dict[str, Any]) -> None:
    """Write the dataset (a pyoxigraph store whose named graphs are the entries) as N-Quads, then the manifest."""
    import pyoxigraph as ox

    with atomic_file(build_dir / DATASET_FILE) as handle:
        for entry in entries:  # graph by graph, in the manifest's order, so that the file reads in a stable order
            quads = dataset.quads_for_pattern(None, None, None, ox.NamedNode(entry.iri))
            ox.serialize(quads, handle, format=ox.RdfFormat.N_QUADS)
    manifest = {
        "base": base,
        "triples": sum(e.triples for e in entries),
        "graphs": [e.__dict__ for e in entries],
        **extra,
    }
    with atomic_file(build_dir / MANIFEST_FILE) as handle:
        handle.write(json.dumps(manifest, indent=2).encode("utf-8"))


def write_oxigraph(build_dir: Path) -> Path:
    """Load build/dataset.nq into an on-disk pyoxigraph store at build/oxigraph, replacing it whole."""
    import shutil

    import pyoxigraph as ox

    target = build_dir / OXIGRAPH_DIR
    tmp = build_dir / f".{OXIGRAPH_DIR}.tmp"
    old = build_dir / f".{OXIGRAPH_DIR}.old"
    for leftover in (tmp, old):
        shutil.rmtree(leftover, ignore_errors=True)
    store = ox.Store(str(tmp))
    store.bulk_load(path=str(build_dir / DATASET_FILE), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return target


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
