"""Hand-written SPARQL texts that try to hide a SERVICE (or to look like one), shared by the parser's unit tests and the
differential tests against pyoxigraph.

Every endpoint is http://127.0.0.1:{PORT}/...: the differential test replaces {PORT} with the port of a recording
server inside the oracle's own network namespace and checks that Oxigraph calls exactly the endpoints listed here.
Each case: (name, query text, the endpoints that the query calls (SILENT or not), or None when Oxigraph refuses
the text). Tricky triples sit in OPTIONAL, so that no empty join keeps Oxigraph from calling the service.
"""

from __future__ import annotations

EX = "PREFIX ex: <http://example.org/> "
SVC = "http://127.0.0.1:{PORT}/svc"

HOSTILE: list[tuple[str, str, list[str] | None]] = [
    ("plain", "SELECT * WHERE { SERVICE <" + SVC + "/a> { ?s ?p ?o } }", [SVC + "/a"]),
    ("lower case, no spaces", "select*where{service<" + SVC + "/a>{?s ?p ?o}}", [SVC + "/a"]),
    ("after an escaped # in a local name", EX + "SELECT * WHERE { OPTIONAL { ?s ex:a\\# ?o } SERVICE <" + SVC + "/a> { ?s ?p ?o } }",
     [SVC + "/a"]),
    ("after an escaped ' in a local name", EX + "SELECT * WHERE { OPTIONAL { ?s ex:a\\' ?o } SERVICE <" + SVC + "/a> { ?s ?p ?o } }",
     [SVC + "/a"]),
    ("after a comment with a quote", "SELECT * WHERE { # don't\n SERVICE <" + SVC + "/a> { ?s ?p ?o } }", [SVC + "/a"]),
    ("in a comment", "SELECT * WHERE { ?s ?p ?o # SERVICE <" + SVC + "/a> { ?s ?p ?o }\n }", []),
    ("in a string", "SELECT * WHERE { BIND('SERVICE <" + SVC + "/a> { ?s ?p ?o }' AS ?x) }", []),
    ("in a long string", 'SELECT * WHERE { BIND("""x\n} SERVICE <' + SVC + '/a> { ?s ?p ?o }\n""" AS ?x) }', []),
    ("in an IRI", "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }", []),
    ("between \\u0027 strings (the SPARQL spec would read one long string; Oxigraph reads two strings)",
     "SELECT * WHERE { BIND('\\u0027' AS ?x) SERVICE <" + SVC + "/a> { ?s ?p ?o } BIND('\\u0027' AS ?y) }", [SVC + "/a"]),
    ("between \\u0022 strings", 'SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE <' + SVC + '/a> { ?s ?p ?o } BIND("\\u0022" AS ?y) }',
     [SVC + "/a"]),
    ("\\u0053ERVICE is no keyword to Oxigraph", "SELECT * WHERE { \\u0053ERVICE <" + SVC + "/a> { ?s ?p ?o } }", None),
    ("long-s is no S", "SELECT * WHERE { \u017fERVICE <" + SVC + "/a> { ?s ?p ?o } }", None),
    ("SERVICE run into SILENT", "SELECT * WHERE { SERVICESILENT <" + SVC + "/a> { ?s ?p ?o } }", [SVC + "/a"]),
    ("SERVICE run into the empty prefix", "PREFIX : <" + SVC + "/> SELECT * WHERE { SERVICE:b { ?s ?p ?o } }", [SVC + "/b"]),
    ("SERVICE SILENT run into the empty prefix", "PREFIX : <" + SVC + "/> SELECT * WHERE { SERVICE SILENT:c { ?s ?p ?o } }", [SVC + "/c"]),
    ("endpoint from BASE", "BASE <" + SVC + "/> SELECT * WHERE { SERVICE <d> { ?s ?p ?o } }", [SVC + "/d"]),
    ("endpoint with \\u escapes", "SELECT * WHERE { SERVICE <http://127.0.0.1:{PORT}/svc/\\u0065> { ?s ?p ?o } }", [SVC + "/e"]),
    ("endpoint as a prefixed name with %-escape", "PREFIX s: <" + SVC + "/> SELECT * WHERE { SERVICE s:f%41 { ?s ?p ?o } }",
     [SVC + "/f%41"]),
    ("comment between SERVICE and its IRI", "SELECT * WHERE { SERVICE # x\n <" + SVC + "/a> { ?s ?p ?o } }", [SVC + "/a"]),
    ("inside OPTIONAL and a sub-select", "SELECT * WHERE { ?s ?p ?o OPTIONAL { { SELECT * WHERE { SERVICE <" + SVC
     + "/a> { ?s ?p ?o } } } } }", [SVC + "/a"]),
    ("inside FILTER EXISTS", "SELECT * WHERE { FILTER EXISTS { SERVICE <" + SVC + "/a> { ?s ?p ?o } } }", [SVC + "/a"]),
    ("two services", "SELECT * WHERE { SERVICE <" + SVC + "/a> { ?s ?p ?o } SERVICE <" + SVC + "/b> { ?s ?p ?o } }",
     [SVC + "/a", SVC + "/b"]),
]

# Words that name keywords, used where they are not keywords: these parse as ordinary queries with no SERVICE.
TRAPS: list[str] = [
    "SELECT ?service ?from ?load WHERE { ?service ?from ?load }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:from ?o . ?o ex:service ex:load }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?from }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { service:a service:b service:c }",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://example.org/> {}' }",
    "SELECT * WHERE { ?s <http://example.org/FROM> ?o } # FROM <http://example.org/g>",
    "SELECT ?SERVICE WHERE { ?SERVICE ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o != 'LOAD <http://example.org/x>') }",
]


# Corners of Oxigraph's grammar and checks (scoping, grouping, blank nodes, literals, IRIs, paths, update forms);
# the differential test asserts that each is accepted here exactly when pyoxigraph accepts it.
EDGE_QUERIES: list[str] = [
 "\ufeffSELECT * {}", "SELECT * {}\x00", "SELECT\x0c* {}", "SELECT * { ?s ?p ?\U00010000 }", "SELECT * { ?s ?p ?a\U00010000 }",
 "PREFIX \U00010000: <http://a/> SELECT * {}", "SELECT ?x $x {?x ?p ?o}", "SELECT * { ?s ?p ?o } LIMIT 0", "SELECT * { ?s ?p ?o } OFFSET 1 LIMIT 1",
 "SELECT * { ?s ?p ?o } LIMIT -1", "SELECT * WHERE {} GROUP BY ?x", "SELECT ?x WHERE {} GROUP BY ?x", "SELECT (?x AS ?y) WHERE {} GROUP BY ?x",
 "SELECT (?z AS ?y) WHERE {} GROUP BY ?x", "SELECT (COUNT(?z) AS ?y) WHERE {} GROUP BY ?x", "SELECT ?y WHERE {} GROUP BY (?x AS ?y)",
 "SELECT ?x WHERE {} GROUP BY (?x AS ?y)", "SELECT ?y WHERE {} GROUP BY (STR(?x) AS ?y)", "SELECT (SUM(?x) AS ?s) (AVG(?x) AS ?s2) {}",
 "SELECT (BOUND(?z) AS ?y) WHERE {} GROUP BY ?x", "SELECT (COALESCE(?z) AS ?y) WHERE {} GROUP BY ?x", "SELECT ?x WHERE {} GROUP BY ?x VALUES ?x {1}",
 "SELECT ?z WHERE {} GROUP BY ?x VALUES ?z {1}", "SELECT * {} VALUES ?z {1}", "SELECT ?z { BIND(1 AS ?z) BIND(2 AS ?z) }",
 "SELECT ?z { {BIND(1 AS ?z)} BIND(2 AS ?z) }", "SELECT ?z { OPTIONAL {BIND(1 AS ?z)} BIND(2 AS ?z) }", "SELECT ?z { MINUS {BIND(1 AS ?z)} BIND(2 AS ?z) }",
 "SELECT ?z { FILTER(?z) BIND(2 AS ?z) }", "SELECT ?z { SERVICE <http://a/> {BIND(1 AS ?z)} BIND(2 AS ?z) }", "SELECT ?z { GRAPH ?z {} BIND(2 AS ?z) }",
 "SELECT ?z { VALUES ?z {} BIND(2 AS ?z) }", "SELECT ?z { {SELECT ?z {}} BIND(2 AS ?z) }", "SELECT ?z { {SELECT * {?z ?p ?o}} BIND(2 AS ?z) }",
 "SELECT ?z { {SELECT (1 AS ?z) {}} BIND(2 AS ?z) }", "SELECT ?z { {SELECT ?q {?z ?p ?q}} BIND(2 AS ?z) }",
 "SELECT ?z { ?a <http://a/>* ?z BIND(2 AS ?z) }", "SELECT ?z { ?a ?z ?o BIND(2 AS ?z) }", "SELECT ?z { ?a <http://a/> (?z) BIND(2 AS ?z) }",
 "SELECT ?z { ?a <http://a/> [ <http://a/> ?z ] BIND(2 AS ?z) }", "SELECT * { _:a ?p ?o . _:a ?p ?o }", "SELECT * { _:a ?p ?o OPTIONAL { ?s ?p _:a } }",
 "SELECT * { _:a ?p ?o FILTER(true) _:a ?p ?o }", "SELECT * { _:a ?p ?o . BIND(1 AS ?x) _:a ?p ?o }", "SELECT * { {_:a ?p ?o} _:a ?p ?o }",
 "SELECT * { {_:a ?p ?o} UNION {_:a ?p ?o} }", "CONSTRUCT { _:a ?p ?o } WHERE { _:a ?p ?o }", "CONSTRUCT { _:a ?p ?o } WHERE { {_:a ?p ?o} }",
 "ASK { FILTER EXISTS { _:a ?p ?o } _:a ?p ?o }", "SELECT * { ?s ?p ?o } ORDER BY ?s ?o", "SELECT * { ?s ?p ?o } ORDER BY (?s) STR(?o) <http://a/f>(?o)",
 "SELECT (COUNT(DISTINCT *) AS ?c) {}", "SELECT (COUNT(DISTINCT:x) AS ?c) {}", "PREFIX : <http://a/> SELECT (COUNT(DISTINCT:x) AS ?c) {}",
 "SELECT (GROUP_CONCAT(?x ; separator = 'a') AS ?c) {}", "SELECT (GROUP_CONCAT(?x;SEPARATOR='a''b') AS ?c) {}", "SELECT * { FILTER(REGEX(?x, 'a', 'i', 'j')) }",
 "SELECT * { FILTER(BNODE()) }", "SELECT * { FILTER(BNODE ()) }", "SELECT * { FILTER(RAND ( )) }", "SELECT * { FILTER(CONCAT()) }", "SELECT * { FILTER(COALESCE( )) }",
 "DESCRIBE ?x", "DESCRIBE <http://a/> ?x WHERE {} GROUP BY ?x", "DESCRIBE * WHERE {} GROUP BY ?x", "ASK {} GROUP BY ?x", "CONSTRUCT {} WHERE {} GROUP BY ?x",
 "CONSTRUCT { . } WHERE {}", "CONSTRUCT { ?s ?p ?o . . } WHERE {}", "SELECT * { . }", "SELECT * { ?s ?p ?o . . }", "SELECT * { FILTER(true) . . }",
 "SELECT * { ?s ?p ?o ; }", "SELECT * { ?s ?p ?o ;; ?q ?r }", "SELECT * { ?s ?p ?o , }", "SELECT * { ?s ?p ?o } LIMIT 1 LIMIT 2",
 "SELECT * { ?s ^a ?o }", "SELECT * { ?s !a ?o }", "SELECT * { ?s !^a ?o }", "SELECT * { ?s !() ?o }", "SELECT * { ?s !(a|^a) ?o }", "SELECT * { ?s (a) ?o }",
 "SELECT * { ?s a* ?o }", "SELECT * { ?s a+/a? ?o }", "SELECT * { ?s a?? ?o }", "SELECT * { ?s a*+ ?o }", "SELECT * { ?s ^^a ?o }", "SELECT * { ?s a|a ?o }",
 "SELECT * { ?s ?p 1.0e }", "SELECT * { ?s ?p 1e5 }", "SELECT * { ?s ?p .e5 }", "SELECT * { ?s ?p 'a'^^ <http://a/> }", "SELECT * { ?s ?p 'a' @en }",
 "SELECT * { ?s ?p 'a'@EN-gb }", "SELECT * { ?s ?p 'a'@x-private }", "SELECT * { ?s ?p 'a'@i-klingon }", "SELECT * { ?s ?p 'a'@123-a }",
 "SELECT * { ?s ?p 'a'@en-a-bbb-x-a }", "SELECT * { ?s ?p 'a'@en-a-bbb-a-ccc }", "SELECT * { ?s ?p 'a'@de-DE-1996 }", "SELECT * { ?s ?p 'a'@sgn-BE-FR }",
 "SELECT * { ?s ?p <http://a/b c> }", "SELECT * { ?s ?p <http://[::1]/> }", "SELECT * { ?s ?p <http://[::g]/> }", "SELECT * { ?s ?p <http://a:b/> }",
 "SELECT * { ?s ?p <http://a/%zz> }", "SELECT * { ?s ?p <urn:x> }", "SELECT * { ?s ?p <x:> }", "SELECT * { ?s ?p <http://a/\u00e9> }", "SELECT * { ?s ?p <http://a/\ue000> }",
 "SELECT * { ?s ?p <http://a/?\ue000> }", "SELECT * { ?s ?p <http://a/#a#b> }", "SELECT * { ?s ?p <http://a@b@c/> }", "SELECT * { ?s ?p <http://a/|> }",
 "SELECT * { ?s ?p <HTTP://A/> }", "SELECT * { ?s ?p <http://1.2.3.999/> }", "SELECT * { ?s ?p <http://a:80:80/> }",
]
EDGE_UPDATES: list[str] = [
 "INSERT DATA { GRAPH ?g {} }", "INSERT DATA { GRAPH ?g { <a:a> <a:b> <a:c> } }", "DELETE DATA { <a:a> <a:b> () }", "DELETE DATA { <a:a> <a:b> (1) }",
 "DELETE WHERE { ?s ?p () }", "DELETE { ?s ?p [] } WHERE {}", "INSERT { ?s ?p [] } WHERE {}", "DELETE {} INSERT {} WHERE {}", "WITH <a:g> INSERT {} USING <a:h> WHERE {}",
 "INSERT {} USING NAMED <a:h> USING <a:i> WHERE {}", "LOAD <a:a> INTO <a:g>", "LOAD <a:a> INTO GRAPH <a:g> INTO GRAPH <a:h>", "CLEAR GRAPH <a:g>", "CLEAR <a:g>",
 "ADD <a:a> TO <a:b>", "ADD GRAPH <a:a> TO DEFAULT", "MOVE DEFAULT TO DEFAULT", "COPY SILENT <a:a> TO GRAPH <a:b>", "CREATE <a:a>", "DROP NAMED", "DROP ALL ;;",
 ";", "CLEAR ALL ; ;", "INSERT DATA { _:a <a:b> _:a . GRAPH <a:g> { _:a <a:b> _:a } }", "INSERT DATA { _:a <a:b> 1 } ; DELETE DATA { <a:a> <a:b> 1 } ; INSERT DATA { _:b <a:b> 1 }",
 "INSERT DATA { [] <a:b> 1 } ; INSERT DATA { [] <a:b> 1 }", "INSERT { _:a <a:b> 1 } WHERE {} ; INSERT DATA { _:a <a:b> 1 }", "INSERT { _:a <a:b> 1 } WHERE { _:a ?p ?o }",
 "DELETE WHERE { GRAPH <a:g> { ?s ?p ?o } . ?a ?b ?c }", "DELETE WHERE { GRAPH <a:g> { } }", "INSERT DATA { GRAPH <a:g> { <a:a> <a:b> <a:c> } . }",
 "INSERT DATA { GRAPH <a:g> { <a:a> <a:b> <a:c> } . . }", "INSERT DATA { <a:a> <a:b> <a:c> GRAPH <a:g> { } <a:a> <a:b> <a:c> }",
]
