"""What pyoxigraph says of SPARQL texts, asked in a child process that has no network (the differential tests' oracle).

The child first calls currigraph.serving.sandbox.drop_network() and stops unless it worked, so a SERVICE or LOAD in
a test text can reach nothing outside: the child lives in its own network namespace. There it brings its own
loopback up and serves HTTP on its own 127.0.0.1, recording every request: a query that calls
SERVICE <http://127.0.0.1:PORT/...> or an update that LOADs such an IRI shows which endpoints Oxigraph really called.

Requests are JSON lines: [command, text, base IRI or None]; commands:
* "query", "update": does pyoxigraph accept the text? Verdicts: "ok" (evaluation errors count as accepted),
  "syntax" (SyntaxError), "error" (ValueError: a bad argument such as the base IRI, so no verdict on the text).
* "eval-query", "eval-update": run it for real (on a store whose default graph has one triple and whose graphs
  <http://g.test/N> each have <http://g.test/N> <http://g.test/in> <http://g.test/N>), and say which paths of the
  local server were requested and, for a SELECT, the solutions as strings.
"""

from __future__ import annotations

import json
import subprocess
import sys

_CHILD = r"""
import fcntl, json, socket, struct, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from currigraph.serving.sandbox import drop_network

isolation = drop_network()
if isolation.isolated:
    # Our own namespace's loopback, down when the namespace is new: bring it up for the recording server.
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    request = struct.pack("16sH14s", b"lo", 0, b"\0" * 14)
    flags = struct.unpack("16sH14s", fcntl.ioctl(sock, 0x8913, request))[1]
    fcntl.ioctl(sock, 0x8914, struct.pack("16sH14s", b"lo", flags | 1, b"\0" * 14))
    sock.close()

requests = []


class Recorder(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        # http.server decodes the request line as Latin-1; Oxigraph sends IRIs' non-ASCII characters as UTF-8.
        requests.append(self.path.split("?")[0].encode("latin-1").decode("utf-8", "replace"))
        if self.path.startswith("/load"):
            body, kind = b"<http://l.test/s> <http://l.test/p> <http://l.test/o> .\n", "application/n-triples"
        else:
            body = json.dumps({"head": {"vars": []}, "results": {"bindings": [{}]}}).encode()
            kind = "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


port = 0
if isolation.isolated:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
print(json.dumps({"isolated": isolation.isolated, "reason": isolation.reason, "port": port}), flush=True)
if not isolation.isolated:
    sys.exit(2)

import pyoxigraph as ox


def fresh_store():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://d.test/s"), ox.NamedNode("http://d.test/p"), ox.NamedNode("http://d.test/o")))
    for n in range(8):
        g = ox.NamedNode(f"http://g.test/{n}")
        store.add(ox.Quad(g, ox.NamedNode("http://g.test/in"), g, g))
    return store


for line in sys.stdin:
    command, text, base = json.loads(line)
    del requests[:]
    rows = None
    try:
        if command == "query":
            ox.Store().query(text, base_iri=base)
        elif command == "update":
            ox.Store().update(text, base_iri=base)
        elif command == "eval-query":
            result = fresh_store().query(text, base_iri=base)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = sorted(json.dumps({n: str(s[n]) for n in names if s[n] is not None}, sort_keys=True) for s in result)
            elif not isinstance(result, ox.QueryBoolean):
                rows = sorted(str(t) for t in result)
        else:
            fresh_store().update(text, base_iri=base)
        verdict = ["ok", ""]
    except SyntaxError as err:
        verdict = ["syntax", str(err)]
    except ValueError as err:  # a bad argument (base IRI...): no verdict on the text
        verdict = ["error", str(err)]
    except Exception as err:  # an evaluation error: the text itself was accepted
        verdict = ["ok", f"{type(err).__name__}: {err}"]
    print(json.dumps(verdict + [list(requests), rows]), flush=True)
"""


class Oracle:
    """Verdicts of pyoxigraph, from a network-less child process."""

    def __init__(self, isolation: str, port: int, verdicts: list[tuple[str, str, list[str], list[str] | None]]) -> None:
        self.isolation = isolation
        self.port = port
        self.verdicts = verdicts


def run_oracle(cases: list[tuple[str, str, str | None]], timeout: float = 600.0) -> Oracle:
    """Ask pyoxigraph about each (command, text, base IRI); texts may use {PORT} for the child's recording server."""
    proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    header = json.loads(proc.stdout.readline() or json.dumps({"isolated": False, "reason": "no answer", "port": 0}))
    if not header["isolated"]:
        proc.kill()
        raise RuntimeError(f"the oracle could not drop the network: {header['reason']}")
    port = header["port"]
    payload = "".join(json.dumps([c, t.replace("{PORT}", str(port)), b and b.replace("{PORT}", str(port))]) + "\n"
                      for c, t, b in cases)
    out, err = proc.communicate(payload, timeout=timeout)
    verdicts = [tuple(json.loads(line)) for line in out.splitlines()]
    if len(verdicts) != len(cases):
        raise RuntimeError(f"the oracle answered {len(verdicts)} of {len(cases)} cases: {err[-2000:]}")
    return Oracle(header["reason"], port, verdicts)  # type: ignore[arg-type]
