"""The files a build leaves in build/, by name, and whether they are older than the project's inputs."""

from pathlib import Path

DATASET_FILE = "dataset.nq"  # every graph, as N-Quads: what exports and rebuilds read
MANIFEST_FILE = "manifest.json"  # which graphs there are (written last: readers look at it first)
OXIGRAPH_DIR = "oxigraph"  # the on-disk store `serve` opens
STATE_FILE = "state.sqlite"  # the record a build leaves for the next one (build.state)
LOCK_FILE = ".lock"


def is_stale(build_dir: Path, inputs: list[Path]) -> bool:
    """True when the build is missing or older than any of its inputs."""
    manifest = build_dir / MANIFEST_FILE
    if not manifest.exists() or not (build_dir / DATASET_FILE).exists():
        return True
    built = manifest.stat().st_mtime
    return any(p.stat().st_mtime > built for p in inputs)
