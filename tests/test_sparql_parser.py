"""Unit tests of the SPARQL parser and its facts: hostile forms, false-positive traps, datasets, updates, errors."""

from __future__ import annotations

import pytest

from currigraph.sparql import SparqlRefused, inspect_query, inspect_update, with_using
from currigraph.sparql.lexer import is_language_tag, resolve_iri, tokenize
from tests.sparql_cases import HOSTILE, TRAPS

PORT = "8999"


@pytest.mark.parametrize("name,text,endpoints", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_service_forms(name: str, text: str, endpoints: list[str] | None) -> None:
    text = text.replace("{PORT}", PORT)
    if endpoints is None:
        with pytest.raises(SparqlRefused):
            inspect_query(text)
        return
    facts = inspect_query(text)
    assert [s.endpoint for s in facts.services] == [e.replace("{PORT}", PORT) for e in endpoints]
    assert facts.uses_service == bool(endpoints)


@pytest.mark.parametrize("text", TRAPS)
def test_keywords_as_names_are_ordinary_queries(text: str) -> None:
    facts = inspect_query(text)
    assert facts.services == ()
    assert facts.from_graphs == () and facts.from_named_graphs == ()
    assert facts.form == "SELECT"


def test_silent_and_variable_services() -> None:
    facts = inspect_query("SELECT * WHERE { SERVICE SILENT <http://example.org/s> { ?s ?p ?o } SERVICE ?endpoint { ?s ?p ?o } }")
    first, second = facts.services
    assert (first.endpoint, first.silent, first.is_variable) == ("http://example.org/s", True, False)
    assert (second.endpoint, second.silent, second.is_variable) == ("?endpoint", False, True)
    assert (first.line, first.column) == (1, 18)


def test_service_position_is_reported() -> None:
    text = "SELECT * WHERE {\n  ?s ?p ?o .\n  SERVICE <http://example.org/s> { ?s ?p ?o }\n}"
    (service,) = inspect_query(text).services
    assert (service.line, service.column) == (3, 3)
    assert text[service.offset:].startswith("SERVICE")


def test_from_clauses_are_resolved_against_prefixes_and_base() -> None:
    text = ("BASE <http://example.org/base/> PREFIX g: <http://example.org/graphs/> "
            "SELECT * FROM g:one FROM <two> FROM NAMED g:thr\\-ee FROM NAMED <../four> FROM <http://example.org/\\u0066ive> "
            "WHERE { ?s ?p ?o }")
    facts = inspect_query(text)
    assert facts.from_graphs == ("http://example.org/graphs/one", "http://example.org/base/two", "http://example.org/five")
    assert facts.from_named_graphs == ("http://example.org/graphs/thr-ee", "http://example.org/four")
    assert facts.declares_dataset
    assert facts.base_iri == "http://example.org/base/"


def test_from_named_run_together_and_prefix_named() -> None:
    assert inspect_query("SELECT * FROMNAMED<http://example.org/g> { ?s ?p ?o }").from_named_graphs == ("http://example.org/g",)
    facts = inspect_query("PREFIX named: <http://example.org/n/> SELECT * FROM named:g { ?s ?p ?o }")
    assert facts.from_graphs == ("http://example.org/n/g",) and facts.from_named_graphs == ()


def test_query_forms() -> None:
    assert inspect_query("ASK {}").form == "ASK"
    assert inspect_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert inspect_query("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert inspect_query("DESCRIBE <http://example.org/x>").form == "DESCRIBE"
    assert inspect_query("describe * where { ?s ?p ?o }").form == "DESCRIBE"
    assert inspect_query("SELECT DISTINCT ?s { ?s ?p ?o } ORDER BY DESC(?s) LIMIT 1 OFFSET 2").form == "SELECT"


def test_extension_functions_are_listed_but_not_casts() -> None:
    text = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX f: <http://example.org/fn#> "
            "SELECT (f:len(?o) AS ?n) WHERE { ?s ?p ?o FILTER(xsd:integer(?o) > 1 && f:ok(STR(?o), <http://example.org/fn#x>())) }")
    facts = inspect_query(text)
    assert facts.functions == ("http://example.org/fn#len", "http://www.w3.org/2001/XMLSchema#integer",
                               "http://example.org/fn#ok", "http://example.org/fn#x")
    assert facts.extension_functions == ("http://example.org/fn#len", "http://example.org/fn#ok", "http://example.org/fn#x")
    assert inspect_query("SELECT * { ?s ?p ?o FILTER(isIRI(?o) && REGEX(STR(?o), 'x', 'i')) }").functions == ()


@pytest.mark.parametrize("text,where", [
    ("SELECT * WHERE { ?s ?p ?o", "line 1, column 26: expected"),
    ("SELECT * WHERE {\n ?s ?p ?o .\n  FILTER(?o = 1\n SELECT ?x }", "line 4, column 2: expected ')' but found 'SELECT'"),
    ("SELECT * WHERE { ?s ex:p ?o }", "ex: is not declared"),
    ("SELECT * WHERE { ?s <relative> ?o }", "an absolute IRI (no BASE)"),
    ("SELECT * WHERE { ?s ?p 'a'@123 }", "line 1, column 27"),
    ("SELECT * WHERE { ?s ?p '\\uD800' }", "a string with valid escapes"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 18446744073709551616", "below 2^64"),
    ("SELECT * WHERE { ?s ?p ?o LATERAL { ?s ?p ?o } }", "line 1, column 27"),
    ("SELECT * WHERE { <<( <http://a.test/> <http://a.test/> <http://a.test/> )>> ?p ?o }", "line 1, column 18"),
    ("SELECT * WHERE { ?s ?p 'a'@en--ltr }", "no base direction"),
])
def test_refusals_say_where_and_what(text: str, where: str) -> None:
    with pytest.raises(SparqlRefused) as err:
        inspect_query(text)
    assert where in str(err.value)
    assert err.value.limit is None
    assert err.value.line >= 1 and err.value.column >= 1


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o BIND(1 AS ?o) }",  # BIND over a variable in scope
    "SELECT (1 AS ?s) WHERE { ?s ?p ?o }",  # SELECT expression over a variable in scope
    "SELECT ?s ?o WHERE { ?s ?p ?o } GROUP BY ?s",  # ungrouped variable
    "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s",  # SELECT * with GROUP BY
    "SELECT ?s ?s WHERE { ?s ?p ?o }",  # repeated variable
    "SELECT * WHERE { _:b ?p ?o { _:b ?p ?o } }",  # blank node label in two groups
    "SELECT * WHERE { VALUES (?a ?b) { (1) } }",  # short VALUES row
    "SELECT * WHERE { VALUES (?a ?a) { (1 2) } }",  # repeated VALUES variable
    "ASK { ?s ?p ?o FILTER(COUNT(?o) > 1) }",  # aggregate outside a SELECT
    "SELECT * WHERE { ?s ?p ?o FILTER(CONCAT ('a')) }",  # Oxigraph wants no space before CONCAT's list
    "SELECT * WHERE { ?s ?p TRUE }",  # booleans are lower case
])
def test_oxigraph_semantic_checks_are_made(text: str) -> None:
    with pytest.raises(SparqlRefused):
        inspect_query(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { BIND(1 AS ?o) ?s ?p ?o }",
    "SELECT (COUNT(?o) AS ?n) ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(?o) > 1)",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BYASC(?s)",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o NOTIN(1, 2)) }",
    "SELECT * WHERE { ?s ?p - 1 }",
    "SELECT * WHERE { ?s <http://example.org/p>?o }",
    "SELECT * WHERE { ?s a?o ; ; <http://example.org/q> ?x , ?y ; }",
    "SELECT * WHERE { ?s (<http://example.org/p>|^<http://example.org/q>)*/!(<http://example.org/r>|^a)? ?o }",
    "SELECT * WHERE { ?s ?p ( 1 ( 2 [ a <http://example.org/C> ] ) ) }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a.b ?o . ex:%41 ex:b\\~c ex:1 }",
    "SELECT * WHERE { ?s ?p \"\"\"a \"quoted\" '' text\"\"\"^^<http://example.org/t> , 'x'@en-GB , 1.5e3 , .5 , +2 }",
    "SELECT (GROUP_CONCAT(DISTINCT ?o; SEPARATOR=', ') AS ?all) WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } VALUES (?s ?o) { (UNDEF 1) (<http://example.org/x> 'y') }",
])
def test_oxigraph_accepts_and_so_do_we(text: str) -> None:
    assert inspect_query(text).form == "SELECT"


def test_update_operations_and_where_offsets() -> None:
    text = ("PREFIX ex: <http://example.org/>\n"
            "INSERT DATA { ex:a ex:b ex:c } ;\n"
            "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o } ;\n"
            "LOAD SILENT ex:remote INTO GRAPH ex:g ;\n"
            "CLEAR ALL ; DROP SILENT GRAPH ex:g ; CREATE GRAPH ex:h ; ADD DEFAULT TO ex:h ; MOVE ex:h TO DEFAULT ;"
            " COPY GRAPH ex:g TO GRAPH ex:h ; DELETE DATA { ex:a ex:b ex:c } ; DELETE WHERE { ?s ?p ?o } ;\n"
            "insert{?s ?p ?o}where{?s ?p ?o}")
    facts = inspect_update(text)
    kinds = [op.kind for op in facts.operations]
    assert kinds == ["INSERT DATA", "MODIFY", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "DELETE DATA",
                     "DELETE WHERE", "MODIFY"]
    (load,) = facts.loads
    assert (load.source, load.target, load.silent) == ("http://example.org/remote", "http://example.org/g", True)
    modify_offsets = [op.where_offset for op in facts.operations if op.kind == "MODIFY"]
    assert all(text[offset:offset + 5].upper() == "WHERE" for offset in modify_offsets)
    assert not facts.declares_dataset


def test_where_offset_is_the_keyword_even_with_where_in_strings_and_comments() -> None:
    text = "DELETE { ?s ?p 'WHERE' } # WHERE\n INSERT { ?s ?p <http://example.org/WHERE> } WHERE { ?s ?p ?o }"
    (op,) = inspect_update(text).operations
    assert op.where_offset == text.rindex("WHERE {")
    updated = with_using(text, inspect_update(text), ["http://example.org/g"], ["http://example.org/n"])
    assert updated.endswith("USING <http://example.org/g> USING NAMED <http://example.org/n> WHERE { ?s ?p ?o }")
    assert inspect_update(updated).operations[0].using == ("http://example.org/g",)


def test_with_using_refuses_updates_with_their_own_dataset() -> None:
    facts = inspect_update("WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert facts.declares_dataset and facts.operations[0].with_graph == "http://example.org/g"
    with pytest.raises(ValueError):
        with_using("x", facts, ["http://example.org/h"], [])
    using = inspect_update("DELETE { ?s ?p ?o } USING NAMED <http://example.org/n> WHERE { ?s ?p ?o }")
    assert using.declares_dataset and using.operations[0].using_named == ("http://example.org/n",)
    with pytest.raises(ValueError):
        with_using("CLEAR ALL", inspect_update("CLEAR ALL"), ["http://example.org/h"], [])


def test_services_in_update_where_clauses_are_found() -> None:
    facts = inspect_update("DELETE { ?s ?p ?o } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }")
    assert [s.endpoint for s in facts.services] == ["http://example.org/s"]


@pytest.mark.parametrize("text", [
    "INSERT DATA { ?s <http://example.org/p> 1 }",  # variables in data
    "DELETE DATA { _:b <http://example.org/p> 1 }",  # blank nodes in DELETE DATA
    "DELETE WHERE { [] ?p ?o }",  # blank nodes in DELETE WHERE
    "INSERT DATA { _:b <http://example.org/p> 1 } ; INSERT DATA { _:b <http://example.org/p> 2 }",  # shared label
    "CLEAR ALL ; PREFIX ex: <http://example.org/> CLEAR ALL",  # Oxigraph takes a prologue only at the start
    "LOAD <relative>",
])
def test_bad_updates_are_refused(text: str) -> None:
    with pytest.raises(SparqlRefused):
        inspect_update(text)


def test_empty_update_and_trailing_semicolon() -> None:
    assert inspect_update("").operations == ()
    assert inspect_update("PREFIX ex: <http://example.org/>").operations == ()
    assert [op.kind for op in inspect_update("CLEAR DEFAULT ;").operations] == ["CLEAR"]


def test_base_iri_parameter() -> None:
    facts = inspect_query("SELECT * FROM <g> WHERE { ?s ?p ?o }", base_iri="http://example.org/a/b")
    assert facts.from_graphs == ("http://example.org/a/g",)
    with pytest.raises(SparqlRefused):
        inspect_query("SELECT * WHERE { ?s ?p ?o }", base_iri="not an iri")


def test_measures() -> None:
    facts = inspect_query("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } UNION { ?s ?p ?o . ?s ?p ?x } "
                          "OPTIONAL { ?s ?p ?o } FILTER(((?o) > 1 || ?o < 0)) }")
    m = facts.measures
    assert (m.union_branches, m.filters, m.optionals, m.triple_patterns) == (3, 1, 1, 5)
    assert m.depth == 4  # { { ... } } is 2, FILTER(((?o) is 3 more from the outer group: ( ( ( = 1 + 3
    assert m.operators == 3 and m.path_operators == 0 and m.template_triples == 0
    assert m.tokens > 40
    update = inspect_update("INSERT { ?s ?p 1 , 2 } WHERE { ?s <http://example.org/a>/<http://example.org/b>|^<http://example.org/c> ?o }")
    assert (update.measures.template_triples, update.measures.triple_patterns, update.measures.path_operators) == (2, 1, 2)


def test_lexer_tokens_follow_oxigraph() -> None:
    tokens = [(t.kind, t.text) for t in tokenize("SELECT ?x { ex:a\\#b <i> 'it''s' } # c\n\\u0053")]
    assert tokens[:3] == [("WORD", "SELECT"), ("VAR", "?x"), ("PUNCT", "{")]
    assert ("PNAME", "ex:a\\#b") in tokens and ("IRIREF", "<i>") in tokens
    assert tokens[-2:] == [("ERROR", "\\"), ("WORD", "u0053")]  # a backslash outside strings and IRIs is no escape


def test_iri_resolution_and_language_tags() -> None:
    base = "http://a/b/c/d;p?q"
    for reference, expected in [("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("../g", "http://a/b/g"),
                                ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"),
                                ("#s", "http://a/b/c/d;p?q#s"), ("../../../g", "http://a/g"), ("", "http://a/b/c/d;p?q")]:
        assert resolve_iri(reference, base) == expected
    assert resolve_iri("no scheme", None) is None
    assert resolve_iri("http://a/{x}", None) is None
    assert is_language_tag("en-GB") and is_language_tag("zh-Hant-TW") and not is_language_tag("abcdefghi")


def test_named_queries_parse_in_about_a_millisecond() -> None:
    # Best of several runs, so that a busy shared machine does not make it flaky; typical: 0.2-0.5 ms each.
    from currigraph.sparql.measure import parse_times
    from tests.test_sparql_differential import ROOT

    rows = parse_times([str(p) for p in sorted((ROOT / "queries").glob("*.rq"))], repeat=20)
    assert len(rows) >= 10
    assert sum(ours for _, _, ours, _ in rows) / len(rows) < 2.0
