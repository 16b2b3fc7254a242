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
