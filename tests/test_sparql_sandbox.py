"""The network wall for query workers: after drop_network() a process cannot connect even to the host's 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

CHILD = r"""
import json, socket, sys, threading
from currigraph.serving.sandbox import drop_network

port = int(sys.argv[1])
report = {}

def connect():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as conn:
            conn.sendall(b"hello")
        return "connected"
    except OSError as err:
        return f"{type(err).__name__}: {err}"

if sys.argv[2] == "thread-first":
    threading.Thread(target=lambda: __import__("time").sleep(2), daemon=True).start()
report["before"] = connect()
isolation = drop_network()
report["isolated"], report["reason"] = isolation.isolated, isolation.reason
report["after"] = connect()
print(json.dumps(report))
"""


@pytest.fixture()
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the host's 127.0.0.1 that records what each connection sends."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    received.append(conn.recv(64))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=2)
    server.close()


def settle(received: list[bytes]) -> list[bytes]:
    """What the listener received, once its thread has handled the connection made before the drop."""
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # and a moment for any later connection to show up, were there one
    return received


def run_child(port: int, mode: str, prefix: list[str] | None = None) -> dict[str, object]:
    proc = subprocess.run([*(prefix or []), sys.executable, "-c", CHILD, str(port), mode], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_after_dropping_the_network_the_hosts_loopback_is_unreachable(listener: tuple[int, list[bytes]]) -> None:
    port, received = listener
    report = run_child(port, "plain")
    assert report["before"] == "connected"  # the listener is reachable from the host's namespace
    assert report["isolated"] is True and "network namespace" in str(report["reason"])
    assert report["after"] != "connected" and "Error" in str(report["after"])
    assert settle(received) == [b"hello"]  # only the connection made before the drop arrived


def test_without_cap_sys_admin_a_user_namespace_is_made_first(listener: tuple[int, list[bytes]]) -> None:
    # setpriv (util-linux) runs the child without CAP_SYS_ADMIN, as a non-root worker would be.
    setpriv = shutil.which("setpriv")
    assert setpriv, "util-linux's setpriv is part of every Debian system"
    port, received = listener
    report = run_child(port, "plain", [setpriv, "--bounding-set=-sys_admin"])
    assert report["before"] == "connected"
    if report["isolated"]:
        assert "CLONE_NEWUSER" in str(report["reason"]) and "Operation not permitted" in str(report["reason"])
        assert report["after"] != "connected"
        assert settle(received) == [b"hello"]
    else:  # a kernel that forbids unprivileged user namespaces: the failure is said, and the network is still there
        assert "CLONE_NEWUSER" in str(report["reason"])
        assert report["after"] == "connected"


def test_a_process_with_threads_is_told_why_not(listener: tuple[int, list[bytes]]) -> None:
    port, _ = listener
    report = run_child(port, "thread-first")
    assert report["isolated"] is False
    assert "threads" in str(report["reason"])
    assert report["after"] == "connected"  # nothing was changed
