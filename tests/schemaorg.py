"""A checker of schema.org usage against the schema.org vocabulary (release 30.0, vendored in tests/data).

Every statement whose property is a schema.org term must name a property schema.org defines, on a subject whose
schema.org types (with their superclasses) include one of the property's schema:domainIncludes, and with a value
of one of its schema:rangeIncludes: a literal of the matching data type (a string is Text, a whole number Integer,
any number Number, true/false Boolean, a date Date...), or a node whose schema.org types include the range. A node
without any schema.org type counts as a schema:Thing, the type of everything.
"""

from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import XSD

SCHEMA = "http://schema.org/"
VOCABULARY = Path(__file__).parent / "data" / "schemaorg-30.0" / "schemaorg-current-http.ttl"
DOMAIN, RANGE = URIRef(SCHEMA + "domainIncludes"), URIRef(SCHEMA + "rangeIncludes")
THING = URIRef(SCHEMA + "Thing")
# The schema.org data type a literal is, by its XSD datatype (plain and language-tagged strings are Text).
DATATYPES = {XSD.integer: "Integer", XSD.int: "Integer", XSD.long: "Integer", XSD.nonNegativeInteger: "Integer",
             XSD.decimal: "Number", XSD.double: "Number", XSD.float: "Number", XSD.boolean: "Boolean", XSD.date: "Date",
             XSD.dateTime: "DateTime", XSD.time: "Time", XSD.anyURI: "URL", XSD.string: "Text"}


@cache
def vocabulary() -> Graph:
    """The schema.org vocabulary (parsed once)."""
    return Graph().parse(VOCABULARY, format="turtle")


@cache
def supers(cls: URIRef) -> frozenset[URIRef]:
    """A schema.org class or data type with all its superclasses (schema.org's Integer is a Number, URL a Text...)."""
    found = {cls}
    for parent in vocabulary().objects(cls, RDFS.subClassOf):
        if isinstance(parent, URIRef):
            found |= supers(parent)
    return frozenset(found)


def schema_types(graph: Graph, node: URIRef) -> frozenset[URIRef]:
    """A node's schema.org types with their superclasses (a Thing when it has none)."""
    direct = [t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef) and str(t).startswith(SCHEMA)]
    return frozenset().union(*(supers(t) for t in direct)) if direct else frozenset({THING})


def literal_types(value: Literal) -> frozenset[URIRef]:
    """The schema.org data types a literal is (with their superclasses)."""
    if value.datatype is None or value.datatype == RDF.langString:
        return supers(URIRef(SCHEMA + "Text"))
    kind = DATATYPES.get(value.datatype)
    if kind is None:
        return frozenset()
    if kind == "Number" and value.value is not None and float(value.value).is_integer() and value.datatype != XSD.decimal:
        kind = "Integer"
    return supers(URIRef(SCHEMA + kind))


def problems(graph: Graph) -> list[tuple[str, str, str, str]]:
    """(subject, property, value, what is wrong) for every schema.org statement outside schema.org's definitions."""
    found = []
    for s, p, o in graph:
        if not str(p).startswith(SCHEMA) or p == RDF.type:
            continue
        domains, ranges = set(vocabulary().objects(p, DOMAIN)), set(vocabulary().objects(p, RANGE))
        if not domains and not ranges:
            found.append((str(s), str(p), str(o), "not a schema.org property"))
            continue
        subject_types = schema_types(graph, s) if not isinstance(s, Literal) else frozenset()
        if not subject_types & domains:
            found.append((str(s), str(p), str(o), f"subject of type {sorted(t[len(SCHEMA):] for t in subject_types)} "
                                                  f"outside the domain {sorted(d[len(SCHEMA):] for d in domains)}"))
        if isinstance(o, Literal):
            value_types = literal_types(o)
        else:
            value_types = schema_types(graph, o) | ({URIRef(SCHEMA + "URL")} if isinstance(o, URIRef) else frozenset())
        if not value_types & ranges:
            kind = f"literal {o.datatype or 'string'}" if isinstance(o, Literal) else "node"
            found.append((str(s), str(p), str(o)[:80], f"{kind} outside the range {sorted(r[len(SCHEMA):] for r in ranges)}"))
    return sorted(found)
