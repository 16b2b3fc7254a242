"""Child processes the server runs work in (query workers, task workers, the writer), and the pipe to each.

All are started with the 'spawn' method: forking a multi-threaded WSGI server is unsafe. Each gets its end of a
pipe as its last argument, and is killed at once when asked (SIGKILL: the only way to stop pyoxigraph mid-query).
"""

import multiprocessing as mp
from collections.abc import Callable
from typing import Any

_CTX = mp.get_context("spawn")


class Child:
    """A spawned process running target(*args, pipe) and the server's end of the pipe."""

    def __init__(self, target: Callable[..., None], *args: Any) -> None:
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=target, args=(*args, child), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        """Stop the process at once, whatever it is doing, and close the pipe."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
