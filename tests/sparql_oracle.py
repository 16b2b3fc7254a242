"""What pyoxigraph says of SPARQL texts, asked in a child process that has no network (the differential tests' oracle).

The child first calls currigraph.sparql.sandbox.drop_network() and stops unless it worked, so a SERVICE or LOAD
in a test text can reach nothing, not even 127.0.0.1. Texts go in and verdicts come out as JSON lines.
"""

from __future__ import annotations

import json
import subprocess
import sys

_CHILD = r"""
import json, sys
from currigraph.sparql.sandbox import drop_network
isolation = drop_network()
print(json.dumps({"isolated": isolation.isolated, "reason": isolation.reason}), flush=True)
if not isolation.isolated:
    sys.exit(2)
import pyoxigraph as ox
for line in sys.stdin:
    kind, text, base = json.loads(line)
    try:
        if kind == "query":
            ox.Store().query(text, base_iri=base)
        else:
            ox.Store().update(text, base_iri=base)
        verdict = ["ok", ""]
    except SyntaxError as err:
        verdict = ["syntax", str(err)]
    except Exception as err:  # an evaluation error: the text itself was accepted
        verdict = ["ok", f"{type(err).__name__}: {err}"]
    print(json.dumps(verdict), flush=True)
"""


def oxigraph_verdicts(cases: list[tuple[str, str, str | None]], timeout: float = 300.0) -> tuple[str, list[tuple[str, str]]]:
    """For each (kind, text, base IRI or None), kind 'query' or 'update': ('ok' or 'syntax', detail); and the isolation."""
    payload = "".join(json.dumps(list(case)) + "\n" for case in cases)
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=payload, capture_output=True, text=True, timeout=timeout)
    lines = proc.stdout.splitlines()
    header = json.loads(lines[0]) if lines else {"isolated": False, "reason": proc.stderr[-500:]}
    if not header["isolated"]:
        raise RuntimeError(f"the oracle could not drop the network: {header['reason']}")
    verdicts = [tuple(json.loads(line)) for line in lines[1:]]
    if len(verdicts) != len(cases):
        raise RuntimeError(f"the oracle answered {len(verdicts)} of {len(cases)} cases: {proc.stderr[-2000:]}")
    return header["reason"], verdicts
