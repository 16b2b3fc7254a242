"""Mutation fuzz (seeded): queries built from fragments that hide or show SERVICE and FROM behind escapes, comments and
strings, plus random one-character mutations of them, checked against pyoxigraph.

Built queries know their truth by construction: each fragment says which endpoints and graphs it really adds. For
those, pyoxigraph's verdict, our parser's facts and the endpoints Oxigraph really calls (a recording server in the
oracle's own network namespace) must all agree with the truth. Randomly mutated queries have no known truth: there,
our parser must accept exactly what pyoxigraph accepts, and Oxigraph must call no endpoint our parser did not report.
"""

from __future__ import annotations

import json
import random
from urllib.parse import urlsplit

import pytest

from currigraph.sparql import SparqlRefused, inspect_query, inspect_update
from tests.sparql_oracle import Oracle, run_oracle

SEED = 20261202
BUILT = 1500
MUTATED = 1500
SVC = "http://127.0.0.1:{PORT}/svc/"
PROLOGUE = ("PREFIX ex: <http://example.org/> PREFIX s: <" + SVC + "> PREFIX : <" + SVC + "> "
            "PREFIX g: <http://g.test/> PREFIX named: <http://g.test/> ")

# Fragments of a group graph pattern. Each is a function of a unique number k giving (text, endpoints it calls).
LIVE = [
    lambda k: (f"SERVICE <{SVC}{k}> {{ ?a{k} ?b{k} ?c{k} }}", [f"{SVC}{k}"]),
    lambda k: (f"SERVICE SILENT <{SVC}{k}> {{ ?a{k} ?b{k} ?c{k} }}", [f"{SVC}{k}"]),
    lambda k: (f"service<{SVC}{k}>{{?a{k} ?b{k} ?c{k}}}", [f"{SVC}{k}"]),
    lambda k: (f"SERVICE # a comment with ' and \" and SERVICE <{SVC}x>\n <{SVC}{k}> {{ ?a{k} ?b{k} ?c{k} }}", [f"{SVC}{k}"]),
    lambda k: (f"SERVICE s:{k} {{ ?a{k} ?b{k} ?c{k} }}", [f"{SVC}{k}"]),
    lambda k: (f"SERVICE SILENT:{k} {{ ?a{k} ?b{k} ?c{k} }}", [f"{SVC}{k}"]),
    lambda k: (f"SERVICE:{k} {{ ?a{k} ?b{k} ?c{k} }}", [f"{SVC}{k}"]),
    lambda k: (f"SERVICESILENT s:{k}{{}}", [f"{SVC}{k}"]),
    lambda k: (f"SERVICE <http://127.0.0.1:{{PORT}}/svc/\\u0041{k}> {{ ?a{k} ?b{k} ?c{k} }}", [f"{SVC}A{k}"]),
    lambda k: (f"OPTIONAL {{ SERVICE <{SVC}{k}> {{ ?a{k} ?b{k} ?c{k} }} }}", [f"{SVC}{k}"]),
    lambda k: (f"{{ SELECT * WHERE {{ SERVICE <{SVC}{k}> {{ ?a{k} ?b{k} ?c{k} }} }} }}", [f"{SVC}{k}"]),
]
DEAD = [
    lambda k: (f"# SERVICE <{SVC}{k}> {{ ?a ?b ?c }}\n", []),
    lambda k: (f"BIND('SERVICE <{SVC}{k}> {{ }}' AS ?v{k})", []),
    lambda k: (f'BIND("SERVICE <{SVC}{k}> {{ }}" AS ?v{k})', []),
    lambda k: (f"BIND('''x\n}} SERVICE <{SVC}{k}> {{ ?a ?b ?c }}\n''' AS ?v{k})", []),
    lambda k: (f'BIND("""it\'s "}}" SERVICE <{SVC}{k}> {{}}""" AS ?v{k})', []),
    lambda k: (f"OPTIONAL {{ ?f{k} <http://x.test/SERVICE/{k}> ?o{k} }}", []),
    lambda k: (f"BIND('#' AS ?v{k}) # SERVICE <{SVC}{k}> {{}}\n", []),
    lambda k: (f"OPTIONAL {{ ?service{k} ?from{k} ?load{k} }}", []),
    lambda k: (f"BIND(ex:from AS ?v{k}) BIND(ex:service AS ?w{k})", []),
    lambda k: (f"BIND('\\u0027' AS ?v{k}) BIND('\\u0027' AS ?w{k})", []),
]
FILLER = [
    lambda k: (f"OPTIONAL {{ ?f{k} ex:a\\# ?o{k} }}", []),
    lambda k: (f"OPTIONAL {{ ?f{k} ex:a\\' ?o{k} }}", []),
    lambda k: (f"BIND('\\u0027' AS ?v{k})", []),
    lambda k: (f'BIND("\\u0022" AS ?v{k})', []),
    lambda k: ("# it's a comment\n", []),
    lambda k: (f"OPTIONAL {{ ?f{k} <http://x.test/a#b> ?o{k} }}", []),
    lambda k: (f"FILTER(true || ?o{k} != '}}')", []),
    lambda k: (f"OPTIONAL {{ ?f{k} ex:from ?o{k} }} .", []),
]
# Dataset clauses: (text, default graphs, named graphs).
DATASET = [
    lambda n: (f"FROM <http://g.test/{n}>", [n], []),
    lambda n: (f"FROM NAMED <http://g.test/{n}>", [], [n]),
    lambda n: (f"FROM g:{n}", [n], []),
    lambda n: (f"FROMNAMED g:{n}", [], [n]),
    lambda n: (f"FROM named:{n}", [n], []),
    lambda n: (f"FROM # FROM <http://g.test/{(n + 1) % 8}>\n <http://g.test/{n}>", [n], []),
    lambda n: (f"FROM <http://g.test/\\u003{n}>", [n], []),
    lambda n: (f"# FROM NAMED <http://g.test/{n}>\n", [], []),
]
SHAPE = "{prologue}SELECT ?s ?g {dataset} WHERE {{ {{ {{ ?s <http://g.test/in> ?x }} UNION {{ GRAPH ?g {{ ?s <http://g.test/in> ?y }} }} }} {body} }}"
INSERTS = ["\\", "'", '"', "#", "\n", "<", ">", "{", "}", "\\u0027", "\\u0022", "'''", '"""', ":", "?", ".", "\\#", "%"]


def build(rng: random.Random) -> tuple[str, list[str], list[int], list[int]]:
    """A query, the endpoints it calls, and the graphs of its default and named datasets, by construction."""
    endpoints: list[str] = []
    parts = []
    for k in range(rng.randint(1, 5)):
        pool = rng.choice([LIVE, DEAD, FILLER])
        text, called = rng.choice(pool)(k)
        parts.append(text)
        endpoints += called
    default: list[int] = []
    named: list[int] = []
    clauses = []
    for n in rng.sample(range(8), rng.randint(0, 3)):
        text, d, nm = rng.choice(DATASET)(n)
        clauses.append(text)
        default += d
        named += nm
    query = SHAPE.format(prologue=PROLOGUE, dataset=" ".join(clauses), body=" ".join(parts))
    return query, endpoints, default, named


def mutate(rng: random.Random, text: str) -> str:
    position = rng.randrange(len(text))
    if rng.random() < 0.2:
        return text[:position] + text[position + 1:]
    return text[:position] + rng.choice(INSERTS) + text[position:]


@pytest.fixture(scope="module")
def corpus() -> tuple[list[tuple[str, list[str], list[int], list[int]]], list[str]]:
    rng = random.Random(SEED)
    built = [build(rng) for _ in range(BUILT)]
    mutated = [mutate(rng, rng.choice(built)[0]) for _ in range(MUTATED)]
    return built, mutated


@pytest.fixture(scope="module")
def oracle(corpus: tuple[list[tuple[str, list[str], list[int], list[int]]], list[str]]) -> Oracle:
    built, mutated = corpus
    return run_oracle([("eval-query", text, None) for text, *_ in built] + [("eval-query", text, None) for text in mutated])


def test_built_queries_agree_with_their_construction(corpus, oracle: Oracle) -> None:  # type: ignore[no-untyped-def]
    built, _ = corpus
    port = str(oracle.port)
    with_service = 0
    for (text, endpoints, default, named), verdict in zip(built, oracle.verdicts, strict=False):
        text = text.replace("{PORT}", port)
        truth = sorted(e.replace("{PORT}", port) for e in endpoints)
        assert verdict[0] == "ok", (text, verdict)
        facts = inspect_query(text)
        assert sorted(s.endpoint for s in facts.services) == truth, text
        assert sorted(f"http://127.0.0.1:{port}{request}" for request in verdict[2]) == truth, text
        assert sorted(facts.from_graphs) == sorted(f"http://g.test/{n}" for n in default), text
        assert sorted(facts.from_named_graphs) == sorted(f"http://g.test/{n}" for n in named), text
        if default or named:  # the dataset Oxigraph built, seen in the solutions
            rows = [json.loads(row) for row in verdict[3]]
            assert {row["s"] for row in rows if "g" not in row} == {f"<http://g.test/{n}>" for n in default}, text
            assert {row["g"] for row in rows if "g" in row} == {f"<http://g.test/{n}>" for n in named}, text
        with_service += bool(truth)
    assert with_service > BUILT // 3


def test_mutants_are_accepted_exactly_when_pyoxigraph_accepts_and_hide_no_service(corpus, oracle: Oracle) -> None:  # type: ignore[no-untyped-def]
    _, mutated = corpus
    port = str(oracle.port)
    accepted = 0
    for text, verdict in zip(mutated, oracle.verdicts[BUILT:], strict=True):
        text = text.replace("{PORT}", port)
        try:
            facts = inspect_query(text)
        except SparqlRefused as err:
            assert verdict[0] != "ok", (text, err)
            continue
        assert verdict[0] == "ok", (text, verdict)
        accepted += 1
        # Compare paths: a mutated host can still reach the recorder (http://127.0.01:... is 127.0.0.1 too).
        reported = {urlsplit(s.endpoint).path or "/" for s in facts.services}
        assert set(verdict[2]) <= reported, text
    assert accepted > MUTATED // 4  # many mutants stay valid (in comments, strings...), so the check has teeth


W3C_MUTATIONS = 2500
TOKENS = ["\\", "'", '"', "#", "\n", "<", ">", "{", "}", "(", ")", "[", "]", ";", ",", ".", ":", "?", "$", "_:", "a", "^",
          "|", "/", "*", "+", "-", "!", "=", " ", "1", "e", "@", "SELECT", "WHERE", "UNION", "GRAPH", "FILTER", "NOT", "IN",
          "AS", "BIND", "VALUES", "UNDEF", "true", "OPTIONAL", "SERVICE", "SILENT", "DISTINCT", "COUNT", "STR", "EXISTS",
          "GROUP BY", "ORDER BY", "LIMIT", "INSERT", "DELETE", "DATA", "WITH", "USING", "NAMED", "DEFAULT", "ALL", "TO",
          "\\u0027", "'''", "FROM"]


def test_mutated_w3c_texts_are_accepted_exactly_when_pyoxigraph_accepts() -> None:
    from tests.test_sparql_differential import CORPUS

    rng = random.Random(SEED + 1)
    cases: list[tuple[str, str, str | None]] = []
    for _ in range(W3C_MUTATIONS):
        path = rng.choice(CORPUS)
        text = path.read_text(encoding="utf-8")
        for _ in range(rng.randint(1, 2)):
            position = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.25:
                text = text[:position] + text[position + 1:]
            elif roll < 0.35:  # a piece of the text, copied elsewhere
                start = rng.randrange(len(text) + 1)
                text = text[:position] + text[start:start + rng.randint(1, 12)] + text[position:]
            else:
                text = text[:position] + rng.choice(TOKENS) + text[position:]
        cases.append(("update" if path.suffix == ".ru" else "query", text, "http://example.org/base/"))
    oracle = run_oracle(cases)
    accepted = 0
    for (kind, text, base), verdict in zip(cases, oracle.verdicts, strict=True):
        try:
            if kind == "query":
                inspect_query(text, base_iri=base)
            else:
                inspect_update(text, base_iri=base)
            ours = True
        except SparqlRefused:
            ours = False
        assert ours == (verdict[0] == "ok"), (kind, text, verdict)
        accepted += ours
    assert accepted > W3C_MUTATIONS // 10


def test_built_in_calls_of_every_arity_are_accepted_exactly_when_pyoxigraph_accepts() -> None:
    from currigraph.sparql.parser import _AGGREGATES, _BUILTINS

    rng = random.Random(SEED + 2)
    names = [*_BUILTINS, *_AGGREGATES, "NOT EXISTS", "EXISTS", "FOO", "Str", "sameterm", "iri", "bnode"]

    def expression(depth: int) -> str:
        if depth > 2 or rng.random() < 0.4:
            return rng.choice(["?x", "1", "'a'", "<http://a.test/>", "()", "?y", "true", "*", "DISTINCT ?x"])
        name = rng.choice(names)
        space = rng.choice(["", " "])
        if name.endswith("EXISTS"):
            return name + space + "{ ?s ?p ?o }"
        args = ", ".join(expression(depth + 1) for _ in range(rng.randint(0, 4)))
        if name == "GROUP_CONCAT" and rng.random() < 0.5:
            args += rng.choice(["; SEPARATOR=','", ";separator = 'x'", "; SEPARATOR ','"])
        return name + space + "(" + args + ")"

    texts = []
    for _ in range(1500):
        call = expression(0)
        if rng.random() < 0.5:
            texts.append(f"SELECT * WHERE {{ ?s ?p ?o FILTER({call}) }}")
        else:
            texts.append(f"SELECT ({call} AS ?z) WHERE {{ ?s ?p ?o }} GROUP BY ?s")
    oracle = run_oracle([("query", text, None) for text in texts])
    accepted = 0
    for text, verdict in zip(texts, oracle.verdicts, strict=True):
        try:
            inspect_query(text)
            ours = True
        except SparqlRefused:
            ours = False
        assert ours == (verdict[0] == "ok"), (text, verdict)
        accepted += ours
    assert 0 < accepted < len(texts)
