"""Applying the project's link table to a converted document: external identifiers and countries of organisations.

Runs after every converter, whatever the document's kind: an organisation node of the document whose name (or an
alternate name) the table knows gets `schema:sameAs` its ROR and Wikidata IRIs and `schema:addressCountry` its ISO
code; a partner organisation of a programme page gets the country of its country hint ("D" -> "DE") when the table
gives none of its own. Each such triple keeps where it came from: a reified statement derived from the link table,
with the entry's line. Why schema:sameAs and not owl:sameAs: docs/identity.md.
"""

from rdflib import Literal, URIRef
from rdflib.term import Node

from currigraph.convert.facts import FactWriter
from currigraph.sources.links import LinkEntry
from currigraph.vocab import CG, DCTERMS, PROV, RDF, SCHEMA, XSD

ORGANISATION_TYPES = (CG.Organisation, CG.University, CG.Funder)
# The property linking an organisation to its external identifiers. owl:sameAs would make OWL 2 RL copy every
# statement onto the external IRI and send the whole build to owlrl (docs/identity.md, bench/sameas.py).
SAME_AS = SCHEMA.sameAs


def link_table_source(writer: FactWriter) -> URIRef:
    """The IRI of the link table as a PROV entity, described in the document's graph."""
    table = writer.minter.links
    source = writer.minter.iri("source", "link-table")
    writer.add(source, RDF.type, PROV.Entity)
    writer.add(source, DCTERMS.title, Literal("link table"))
    if table.path is not None:
        writer.add(source, CG.fileName, Literal(table.path.name))
    if table.sha256:
        writer.add(source, CG.sha256, Literal(table.sha256))
    return source


def apply_links(writer: FactWriter) -> None:
    """Add the link table's identifiers and countries to the organisations of a converted document."""
    table = writer.minter.links
    if not table:
        return
    names: dict[Node, list[str]] = {}
    organisations: list[Node] = []
    hints: dict[Node, list[Node]] = {}
    partner_of: dict[Node, Node] = {}
    parents: dict[Node, Node] = {}
    for s, p, o in writer.graph:
        if p == RDF.type and o in ORGANISATION_TYPES and s not in organisations:
            organisations.append(s)
        elif p in (SCHEMA.name, SCHEMA.alternateName):
            names.setdefault(s, []).append(str(o))
        elif p == CG.countryHint:
            hints.setdefault(s, []).append(o)
        elif p == CG.partnerOrganisation:
            partner_of[s] = o
        elif p == CG.parentOrganisation:
            parents[s] = o
    source: URIRef | None = None
    countries: dict[Node, str] = {}
    for org in organisations:
        parent = parents.get(org)
        linked = (writer.minter.linked_entry(name, parent if isinstance(parent, URIRef) else None) for name in names.get(org, []))
        entry = next((e for e in linked if e is not None), None)
        if entry is None:
            continue
        source = source or link_table_source(writer)
        for iri in entry.iris():
            _linked(writer, source, org, SAME_AS, URIRef(iri), entry)
        if entry.country:
            countries[org] = entry.country
            _linked(writer, source, org, SCHEMA.addressCountry, Literal(entry.country), entry)
    for partner, org in partner_of.items():
        if org in countries:
            continue
        for hint in hints.get(partner, []):
            country = table.hint_country(str(hint))
            if country:
                source = source or link_table_source(writer)
                countries[org] = country
                line = table.hint_lines.get(str(hint).strip(), 0)
                _statement(writer, source, org, SCHEMA.addressCountry, Literal(country), f"country hint {hint}: {country}", line)


def _linked(writer: FactWriter, source: URIRef, s: Node, p: URIRef, o: Node, entry: LinkEntry) -> None:
    _statement(writer, source, s, p, o, f"link table entry: {entry.name}", entry.line)


def _statement(writer: FactWriter, source: URIRef, s: Node, p: URIRef, o: Node, evidence: str, line: int) -> None:
    """A triple with a reified statement saying it comes from the link table (and its line there)."""
    writer.add(s, p, o)
    statement = writer.minter.fact(writer.document.stem, f"{s.n3()} {p.n3()} {o.n3()} .")
    writer.add(statement, RDF.type, RDF.Statement)
    writer.add(statement, RDF.subject, s)
    writer.add(statement, RDF.predicate, p)
    writer.add(statement, RDF.object, o)
    writer.add(statement, CG.evidence, Literal(evidence))
    writer.add(statement, PROV.wasDerivedFrom, source)
    if line:
        writer.add(statement, CG.sourceLine, Literal(line, datatype=XSD.integer))
