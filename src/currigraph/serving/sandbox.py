"""A second wall behind the parser: take network access away from the calling process (Linux network namespaces).

A query worker calls `drop_network()` when it starts, before it runs any query. The process then lives in a new,
empty network namespace: its only interface is a loopback that is down, so no connection can be made, not even to
127.0.0.1 of the host. A SERVICE or LOAD that a parser mistake let through fails inside the engine instead of
reaching another machine. Already opened descriptors (the pipe to the server, files, the store) keep working.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from dataclasses import dataclass

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class Isolation:
    """Whether the network was taken away, and how or why not."""

    isolated: bool
    reason: str

    def __bool__(self) -> bool:
        return self.isolated


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _unshare(libc: ctypes.CDLL, flags: int) -> int:
    if libc.unshare(ctypes.c_int(flags)) == 0:
        return 0
    return ctypes.get_errno()


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def drop_network() -> Isolation:
    """Move the calling process into a new network namespace with no usable interface; say whether it worked."""
    if not sys.platform.startswith("linux"):
        return Isolation(False, f"network namespaces need Linux, this is {sys.platform}")
    # unshare() moves only the calling thread: threads started earlier would keep the network.
    threads = _thread_count()
    if threads > 1:
        return Isolation(False, f"the process already has {threads} threads; call drop_network() before starting any")
    try:
        libc = _libc()
    except OSError as err:
        return Isolation(False, f"libc not found: {err}")
    errno = _unshare(libc, CLONE_NEWNET)
    if errno == 0:
        return Isolation(True, "new network namespace (CLONE_NEWNET)")
    first = os.strerror(errno)
    # Without CAP_SYS_ADMIN a new user namespace grants it inside, where the network namespace can then be made.
    uid, gid = os.getuid(), os.getgid()
    errno = _unshare(libc, CLONE_NEWUSER | CLONE_NEWNET)
    if errno != 0:
        return Isolation(False, f"unshare(CLONE_NEWNET) failed ({first}) and so did unshare(CLONE_NEWUSER|CLONE_NEWNET) "
                                f"({os.strerror(errno)})")
    # Map our own ids so that files keep their owner; failure here leaves the process isolated all the same.
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError:
        pass
    return Isolation(True, f"new user and network namespaces (CLONE_NEWUSER|CLONE_NEWNET; CLONE_NEWNET alone: {first})")
