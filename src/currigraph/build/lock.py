"""One build at a time per project: build/.lock, held with flock for the length of a build."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from currigraph.build.layout import LOCK_FILE
from currigraph.errors import InputError


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold build/.lock for the length of a build: a second build of the same project stops at once, and says why."""
    import fcntl

    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_FILE
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
