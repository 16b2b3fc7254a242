"""The limits: every recursive construct is accepted at the depth limit and refused one level past it, in queries and
updates; huge inputs are refused fast with the limit's name; the parser never meets Python's recursion limit."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import pytest

from currigraph.sparql import DEFAULT_LIMITS, Limits, SparqlRefused, inspect_query, inspect_update
from tests.sparql_oracle import run_oracle

T = "?s <http://example.org/p> ?o"


def nest(open_: str, inner: str, close: str, n: int) -> str:
    return open_ * n + inner + close * n


# name -> (kind, builder of a text whose nesting grows with n)
NESTED: dict[str, tuple[str, Callable[[int], str]]] = {
    "{ }": ("query", lambda n: "SELECT * WHERE " + nest("{ ", T, " }", n)),
    "( ) in expressions": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + nest("(", "?o", ")", n) + ") }"),
    "OPTIONAL": ("query", lambda n: "SELECT * WHERE { " + nest(T + " OPTIONAL { ", T, " }", n) + " }"),
    "UNION": ("query", lambda n: "SELECT * WHERE { " + nest("{ ", T, " } UNION { " + T + " }", n) + " }"),
    "sub-SELECT": ("query", lambda n: "SELECT * WHERE { " + nest("{ SELECT * WHERE { ", T, " } }", n) + " }"),
    "FILTER EXISTS": ("query", lambda n: "SELECT * WHERE { " + nest(T + " FILTER EXISTS { ", T, " }", n) + " }"),
    "MINUS": ("query", lambda n: "SELECT * WHERE { " + nest(T + " MINUS { ", T, " }", n) + " }"),
    "GRAPH": ("query", lambda n: "SELECT * WHERE { " + nest("GRAPH ?g { ", T, " }", n) + " }"),
    "SERVICE": ("query", lambda n: "SELECT * WHERE { " + nest("SERVICE SILENT <http://127.0.0.1:9/> { ", T, " }", n) + " }"),
    "( ) in paths": ("query", lambda n: "SELECT * WHERE { ?s " + nest("(", "<http://example.org/p>", ")", n) + " ?o }"),
    "collections": ("query", lambda n: "SELECT * WHERE { ?s <http://example.org/p> " + nest("(", "1", ")", n) + " }"),
    "[ ] property lists": ("query", lambda n: "SELECT * WHERE { ?s <http://example.org/p> " + nest("[ <http://example.org/p> ", "1", " ]", n)
                           + " }"),
    "function calls": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + nest("STR(", "?o", ")", n) + ") }"),
    "IRI function calls": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + nest("<http://example.org/f>(", "?o", ")", n) + ") }"),
    "aggregates": ("query", lambda n: "SELECT (" + nest("SUM(", "?o", ")", n) + " AS ?x) WHERE { " + T + " }"),
    "SUBSTR": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + nest("SUBSTR(", "?o", ", 1)", n) + ") }"),
    "REGEX": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + nest("REGEX(", "?o", ", 'a')", n) + ") }"),
    "REPLACE": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + nest("REPLACE(", "?o", ", 'a', 'b')", n) + ") }"),
    "COUNT(DISTINCT": ("query", lambda n: "SELECT (" + nest("COUNT(DISTINCT ", "?o", ")", n) + " AS ?x) WHERE { " + T + " }"),
    "GROUP_CONCAT": ("query", lambda n: "SELECT (" + nest("GROUP_CONCAT(", "?o", ")", n) + " AS ?x) WHERE { " + T + " }"),
    "unary minus and brackets": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + nest("-(", "?o", ")", n) + ") }"),
    "NOT EXISTS": ("query", lambda n: "SELECT * WHERE { " + nest(T + " FILTER NOT EXISTS { ", T, " }", n) + " }"),
    "BIND expressions": ("query", lambda n: "SELECT * WHERE { " + T + " BIND(" + nest("(", "1", " + 1)", n) + " AS ?x) }"),
    "update: WHERE { }": ("update", lambda n: "DELETE { ?s ?p ?o } WHERE " + nest("{ ", "?s ?p ?o", " }", n)),
    "update: FILTER EXISTS": ("update", lambda n: "DELETE { ?s ?p ?o } WHERE { " + nest(T + " FILTER EXISTS { ", T, " }", n) + " }"),
    "update: INSERT DATA collection": ("update", lambda n: "INSERT DATA { <http://example.org/s> <http://example.org/p> "
                                       + nest("(", "1", ")", n) + " }"),
    "update: DELETE template [ ]": ("update", lambda n: "INSERT { ?s <http://example.org/p> " + nest("[ <http://example.org/p> ", "1", " ]", n)
                                    + " } WHERE { ?s ?p ?o }"),
}


# The depth tests relax the size limits, so that depth is what each of them measures.
DEPTH_ONLY = Limits(max_optionals=10**6, max_triple_patterns=10**6, max_union_branches=10**6, max_pattern_elements=10**6,
                    max_reparsed_nesting=10**6)
# Oxigraph parses these in time exponential in their nesting (see test_reparsed_nesting_limit): not for the oracle.
REPARSED = ("SUBSTR", "REGEX", "REPLACE", "GROUP_CONCAT")


def inspect(kind: str, text: str, limits: Limits = DEPTH_ONLY) -> int:
    facts = inspect_query(text, limits) if kind == "query" else inspect_update(text, limits)
    return facts.measures.depth


def deepest_accepted(kind: str, build: Callable[[int], str]) -> int:
    n = 0
    while True:
        try:
            inspect(kind, build(n + 1))
        except SparqlRefused as err:
            assert err.limit == "max_depth", err
            return n
        n += 1


@pytest.fixture(scope="module")
def at_limit() -> dict[str, tuple[str, str, str]]:
    """For each construct: (kind, the text nested exactly to the limit, the text one level deeper)."""
    cases = {}
    for name, (kind, build) in NESTED.items():
        n = deepest_accepted(kind, build)
        cases[name] = (kind, build(n), build(n + 1))
    return cases


@pytest.mark.parametrize("name", list(NESTED))
def test_each_construct_is_accepted_at_the_limit_and_refused_past_it(name: str, at_limit: dict[str, tuple[str, str, str]]) -> None:
    kind, accepted, refused = at_limit[name]
    # One more level of a construct adds one or two levels of depth ({ SELECT ... { is two).
    assert DEFAULT_LIMITS.max_depth - 2 < inspect(kind, accepted) <= DEFAULT_LIMITS.max_depth
    with pytest.raises(SparqlRefused) as err:
        inspect(kind, refused)
    assert err.value.limit == "max_depth"
    assert f"nested deeper than {DEFAULT_LIMITS.max_depth} levels" in str(err.value)
    assert str(err.value).startswith("line 1, column ")


def test_texts_at_the_limit_are_accepted_by_pyoxigraph_too(at_limit: dict[str, tuple[str, str, str]]) -> None:
    # Accepted by the parser means safe for the engine: pyoxigraph parses (and plans) each of them without dying.
    cases = [(kind, text, None) for name, (kind, text, _) in at_limit.items() if name not in REPARSED]
    oracle = run_oracle(cases)
    assert [verdict[0] for verdict in oracle.verdicts] == ["ok"] * len(cases), [v[1] for v in oracle.verdicts]


@pytest.mark.parametrize("name", list(NESTED))
def test_no_construct_makes_the_parser_backtrack_exponentially(name: str, at_limit: dict[str, tuple[str, str, str]]) -> None:
    # An error at the innermost level makes every level fail and try its other alternatives: this must stay linear.
    kind, accepted, _ = at_limit[name]
    middle = len(accepted) // 2
    for broken in (accepted[:middle] + " ,, " + accepted[middle:], accepted[:middle] + " ( " + accepted[middle:]):
        start = time.perf_counter()
        with pytest.raises(SparqlRefused):
            inspect(kind, broken)
        assert time.perf_counter() - start < 0.25, broken[:200]
    start = time.perf_counter()
    inspect(kind, accepted)
    assert time.perf_counter() - start < 0.25


@pytest.mark.parametrize("name", list(NESTED))
def test_100000_levels_are_refused_fast(name: str) -> None:
    kind, build = NESTED[name]
    text = build(100_000)
    limits = Limits(max_length=10 * len(text), max_tokens=10 * len(text), max_reparsed_nesting=10**6)  # depth is what trips
    start = time.perf_counter()
    with pytest.raises(SparqlRefused) as err:
        inspect(kind, text, limits)
    assert time.perf_counter() - start < 1.0
    assert err.value.limit == "max_depth"


def test_default_length_and_token_limits_trip_first_on_huge_texts() -> None:
    start = time.perf_counter()
    with pytest.raises(SparqlRefused) as err:
        inspect_query("SELECT * WHERE " + nest("{ ", T, " }", 100_000))
    assert err.value.limit == "max_length" and time.perf_counter() - start < 0.1
    with pytest.raises(SparqlRefused) as err:
        inspect_query("SELECT * WHERE { VALUES ?x { " + "1 " * 60_000 + "} }")
    assert err.value.limit == "max_tokens"
    with pytest.raises(SparqlRefused) as err:  # counts are checked while parsing too, not only at the end
        inspect_query("SELECT * WHERE { " + " UNION ".join(["{ }"] * 8_000) + " }")
    assert err.value.limit == "max_union_branches" and err.value.column < 25_000  # near branch 2,016, not at the end


@pytest.mark.parametrize("name", REPARSED)
def test_reparsed_nesting_limit(name: str) -> None:
    kind, build = NESTED[name]
    limit = DEFAULT_LIMITS.max_reparsed_nesting
    assert inspect(kind, build(limit), DEFAULT_LIMITS) > limit
    with pytest.raises(SparqlRefused) as err:
        inspect(kind, build(limit + 1), DEFAULT_LIMITS)
    assert err.value.limit == "max_reparsed_nesting"
    # At the limit, Oxigraph's exponential parse is still quick (2^10 re-reads of small arguments).
    start = time.perf_counter()
    oracle = run_oracle([(kind, build(limit), None)])
    assert oracle.verdicts[0][0] == "ok" and time.perf_counter() - start < 5.0


def call_at_depth(frames: int, function: Callable[[], object]) -> object:
    if frames:
        return call_at_depth(frames - 1, function)
    return function()


def test_deepest_texts_leave_room_on_the_python_stack(at_limit: dict[str, tuple[str, str, str]]) -> None:
    # A web request reaches the parser through a few hundred frames at most; the deepest accepted text must still
    # parse from there with Python's default recursion limit.
    assert sys.getrecursionlimit() >= 1000
    for name, (kind, text, _) in at_limit.items():
        assert call_at_depth(250, lambda k=kind, t=text: inspect(k, t)) > DEFAULT_LIMITS.max_depth - 2, name


# Flat sizes: a text at the limit is accepted, one more is refused, naming the limit.
FLAT: dict[str, tuple[str, Callable[[int], str], int]] = {
    "max_union_branches": ("query", lambda n: "SELECT * WHERE { " + " UNION ".join(["{ }"] * n) + " }",
                           DEFAULT_LIMITS.max_union_branches),
    "max_pattern_elements": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(?o)" * n + " }", DEFAULT_LIMITS.max_pattern_elements),
    "max_optionals": ("query", lambda n: "SELECT * WHERE { " + T + " OPTIONAL { }" * n + " }", DEFAULT_LIMITS.max_optionals),
    "max_triple_patterns": ("query", lambda n: "SELECT * WHERE { " + " . ".join([T] * n) + " }", DEFAULT_LIMITS.max_triple_patterns),
    "max_operators": ("query", lambda n: "SELECT * WHERE { " + T + " FILTER(" + " || ".join(["?o"] * (n + 1)) + ") }",
                      DEFAULT_LIMITS.max_operators),
    "max_path_operators": ("query", lambda n: "SELECT * WHERE { ?s " + "/".join(["<http://example.org/p>"] * (n + 1)) + " ?o }",
                           DEFAULT_LIMITS.max_path_operators),
    "max_operations": ("update", lambda n: " ; ".join(["CLEAR DEFAULT"] * n), DEFAULT_LIMITS.max_operations),
}


@pytest.mark.parametrize("limit", list(FLAT))
def test_flat_sizes_at_and_past_their_limit(limit: str) -> None:
    kind, build, value = FLAT[limit]
    inspect(kind, build(value), DEFAULT_LIMITS)
    start = time.perf_counter()
    with pytest.raises(SparqlRefused) as err:
        inspect(kind, build(value + 1), DEFAULT_LIMITS)
    assert err.value.limit == limit
    assert time.perf_counter() - start < 2.0


def test_flat_texts_at_the_limits_are_planned_quickly_by_pyoxigraph() -> None:
    # At every flat limit (and with collections, the costliest shape to plan), pyoxigraph parses and plans fast.
    cases = [(kind, build(value), None) for kind, build, value in FLAT.values()]
    members = DEFAULT_LIMITS.max_triple_patterns // 2
    cases.append(("query", "SELECT * WHERE { ?s <http://example.org/p> (" + " ?o" * members + ") }", None))
    start = time.perf_counter()
    oracle = run_oracle(cases)
    assert [verdict[0] for verdict in oracle.verdicts] == ["ok"] * len(cases)
    assert time.perf_counter() - start < 10.0


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { " + " UNION ".join(["{ " + T + " }"] * 50_000) + " }",
    "SELECT * WHERE { " + T + " FILTER(?o != 1)" * 20_000 + " }",
    "DELETE { ?s ?p ?o } WHERE " + nest("{ ", "?s ?p ?o", " }", 5_000),
    "SELECT * WHERE { " + "{ BIND(1 AS ?x) } " * 6_000 + "}",  # a flat join of 6,000 groups, under the token limit
    "SELECT * WHERE { " + T + " MINUS { ?s ?p ?o }" * 3_000 + " }",
    "SELECT " + " ".join(f"(1 AS ?a{i})" for i in range(3_000)) + " WHERE { }",
    "SELECT (COUNT(*) AS ?c) WHERE { } GROUP BY " + " ".join(f"(1 AS ?a{i})" for i in range(3_000)),
    "DESCRIBE " + " ".join(f"<http://example.org/{i}>" for i in range(3_000)),
    "SELECT * WHERE { " + T + " FILTER(" + " + ".join(["?o"] * 8_000) + " = 1) }",
    " ; ".join(["CLEAR DEFAULT"] * 50_000),
])
def test_reported_crashers_are_refused_fast(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(SparqlRefused) as err:
        if text.startswith(("SELECT", "DESCRIBE")):
            inspect_query(text)
        else:
            inspect_update(text)
    assert err.value.limit is not None
    assert time.perf_counter() - start < 1.0
