"""Writing one document's named graph: typed, named entities, provenance, and facts with evidence."""

import hashlib
from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.term import Node

from currigraph import __version__
from currigraph.convert.report import ExtractionReport
from currigraph.iris import Minter
from currigraph.sources.document import Document
from currigraph.vocab import CG, DCTERMS, PROV, RDF, RDFS, SCHEMA, XSD

Triple = tuple[Node, Node, Node]


class TripleList:
    """One document's triples in the order written, once each: cheaper than an rdflib Graph per document."""

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}  # a dict is an ordered set

    def add(self, triple: Triple) -> None:
        """Add a triple (again is a no-op)."""
        self._triples[triple] = None

    def objects(self, s: Node, p: Node) -> list[Node]:
        """The objects of a subject and predicate, in the order written."""
        return [o for (ts, tp, o) in self._triples if ts == s and tp == p]

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


class FactWriter:
    """Adds triples to one source document's named graph, keeping provenance and evidence."""

    def __init__(self, document: Document, minter: Minter) -> None:
        self.document = document
        self.minter = minter
        self.source = minter.source(document.stem)
        self.graph_iri = minter.graph(document.stem)
        self.graph = TripleList()
        # (subject, predicate) -> file line, so validation can point at the line a value came from.
        self.lines: dict[tuple[Node, Node], int] = {}
        self.report = ExtractionReport(str(document.path), document.kind, "" if document.layout == "seed" else document.syntax,
                                       "" if document.layout == "seed" else document.encoding, list(document.reasons))
        self._describe_source()

    def _describe_source(self) -> None:
        g, src, doc = self.graph, self.source, self.document
        activity = URIRef(f"{src}/conversion")
        agent = self.minter.agent(__version__)
        g.add((src, RDF.type, CG.SourceDocument))
        g.add((src, RDF.type, PROV.Entity))
        g.add((src, CG.fileName, Literal(doc.path.name)))
        g.add((src, CG.documentKind, Literal(doc.kind)))
        g.add((src, CG.sha256, Literal(hashlib.sha256(doc.data or doc.text.encode("utf-8")).hexdigest())))
        if doc.layout == "seed":
            title = doc.metadata.get("title") or doc.body.strip().splitlines()[0].strip()
        else:
            title = doc.model.title or next((ln.strip() for ln in doc.body.splitlines() if ln.strip()), "") or doc.path.name
        g.add((src, DCTERMS.title, Literal(str(title)[:200])))
        g.add((self.graph_iri, PROV.wasDerivedFrom, src))
        g.add((self.graph_iri, PROV.wasGeneratedBy, activity))
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, PROV.used, src))
        g.add((activity, PROV.wasAssociatedWith, agent))
        g.add((agent, RDF.type, PROV.SoftwareAgent))
        g.add((agent, RDFS.label, Literal(f"currigraph {__version__} converter")))

    def finish(self) -> ExtractionReport:
        """Count what was made and keep the report in the graph as notes on the source document."""
        self.report.count(self.graph)
        for note in self.report.notes():
            self.graph.add((self.source, CG.extractionNote, Literal(note)))
        for warning in self.report.warnings:
            self.graph.add((self.source, CG.extractionWarning, Literal(warning)))
        return self.report

    def add(self, s: Node, p: URIRef, o: Node) -> None:
        """Add one triple to the document's graph."""
        self.graph.add((s, p, o))

    def note_line(self, s: Node, p: URIRef, line: int | None) -> None:
        """Remember the file line a property's value came from (not stored in the graph)."""
        if line is not None:
            self.lines[(s, p)] = line

    def entity(self, iri: URIRef, rdf_type: URIRef, name: str | None = None) -> URIRef:
        """Declare a typed entity derived from this document, with schema:name and rdfs:label."""
        self.graph.add((iri, RDF.type, rdf_type))
        self.graph.add((iri, PROV.wasDerivedFrom, self.source))
        if name:
            self.graph.add((iri, SCHEMA.name, Literal(name)))
            self.graph.add((iri, RDFS.label, Literal(name)))
        return iri

    def fact(self, s: Node, p: URIRef, o: Node, evidence: str, line: int | None = None) -> URIRef:
        """Add a triple and a reified statement keeping the sentence it came from as evidence."""
        self.graph.add((s, p, o))
        statement = self.minter.fact(self.document.stem, f"{s.n3()} {p.n3()} {o.n3()} .")
        g = self.graph
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, s))
        g.add((statement, RDF.predicate, p))
        g.add((statement, RDF.object, o))
        g.add((statement, CG.evidence, Literal(" ".join(evidence.split()))))
        g.add((statement, PROV.wasDerivedFrom, self.source))
        if line is not None:
            g.add((statement, CG.sourceLine, Literal(line, datatype=XSD.integer)))
        return statement
