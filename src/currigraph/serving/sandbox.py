"""A wall below the query checks: processes that run queries and updates give up network access when they start.

The SPARQL inspection refuses SERVICE and LOAD by parsing every request; should a parser ever disagree with the
engine's, the engine still cannot reach anything, because its process lives in a network namespace of its own
with no interface but a loopback that is down. This needs Linux and either root (CLONE_NEWNET) or unprivileged user
namespaces (CLONE_NEWUSER | CLONE_NEWNET); where neither is allowed, the process keeps the network and says so
(GET /health reports it, docs/endpoint.md says what holds then).
"""

import ctypes
import ctypes.util
import os
import socket

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def _unshare(flags: int) -> int:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return 0 if libc.unshare(flags) == 0 else ctypes.get_errno()


def leave_network() -> str:
    """Move this process into an empty network namespace: 'isolated', or why not (the process keeps its network)."""
    if not hasattr(os, "fork") or os.uname().sysname != "Linux":
        return "not isolated: network namespaces need Linux"
    error = _unshare(CLONE_NEWNET)
    if error:
        error = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if error:
        return f"not isolated: unshare refused ({os.strerror(error)})"
    return "isolated" if not _can_reach_anything() else "not isolated: an interface is still up"


def _can_reach_anything() -> bool:
    """True when any non-loopback route exists (checked by a UDP connect, which sends nothing)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed; connect() only asks for a route
        return True
    except OSError:
        return False
    finally:
        probe.close()
