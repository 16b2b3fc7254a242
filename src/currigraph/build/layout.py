"""The files a build leaves in build/, by name, and whether they are older than the project's inputs."""

from pathlib import Path

from currigraph.errors import InputError

DATASET_FILE = "dataset.nq"  # every graph, as N-Quads: what exports and rebuilds read
MANIFEST_FILE = "manifest.json"  # which graphs there are (written last: readers look at it first)
OXIGRAPH_DIR = "oxigraph"  # the on-disk store `serve` opens
STATE_FILE = "state.sqlite"  # the record a build leaves for the next one (build.state)
LOCK_FILE = ".lock"


def store_present(build_dir: Path) -> bool:
    """True when build/oxigraph holds a store (RocksDB's CURRENT file is there), not just an empty or gutted folder."""
    return (build_dir / OXIGRAPH_DIR / "CURRENT").is_file()


def is_stale(build_dir: Path, inputs: list[Path]) -> bool:
    """True when the build is missing or older than any of its inputs."""
    manifest = build_dir / MANIFEST_FILE
    if not manifest.exists() or not (build_dir / DATASET_FILE).exists():
        return True
    built = manifest.stat().st_mtime
    return any(p.stat().st_mtime > built for p in inputs)


class DamagedBuild(InputError):
    """A file or store of build/ that exists but cannot be read (unlike a missing build, never taken for 'nothing built')."""


def damaged(path: Path, err: BaseException, what: str = "the build is damaged and cannot be read") -> DamagedBuild:
    """The error for a file or store of build/ that cannot be read: what failed, and how to make it again."""
    reason = " ".join(str(err).split())[:300] or type(err).__name__
    return DamagedBuild(f"{what} ({reason}); build it again with `currigraph build --full`", str(path))
