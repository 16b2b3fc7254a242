"""The instance rules as lookup tables: what each asserted triple entails on its own under a fixed ontology.

Under an ontology without transitive properties (and without the constructs Schema.supported refuses), every
triple owlrl derives from instance data follows from one asserted triple and the ontology: a property's
superproperties, inverses and symmetry, the domains and ranges of all of them, and the superclasses of
every type. So the closure of a corpus is the union of what each document entails alone, and the build
derives it in the worker that converted the document (convert.batch), a dictionary lookup per triple.
What is left for the whole corpus is removing what some other document states (reason_store.settle).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import OWL, RDF, URIRef
from rdflib.term import Node

from currigraph.reasoning.in_store import implications
from currigraph.reasoning.reference import is_builtin, is_noise
from currigraph.reasoning.schema import SCHEMA_PREDICATES, SCHEMA_TYPES, Schema
from currigraph.terms import OxTerm, sorted_lines, to_rdflib
from currigraph.vocab import RDF_TYPE

OxTriple = tuple[OxTerm, ox.NamedNode, OxTerm]
_ANY = URIRef("urn:currigraph:any")  # a subject that is not noise by itself, to ask is_noise about a rule


@dataclass(frozen=True)
class PropertyRule:
    """What `s p o` entails for one property p: s q o, o q' s (when o is not a literal), and types of s and o."""

    forward: tuple[str, ...] = ()
    backward: tuple[str, ...] = ()
    subject_types: tuple[str, ...] = ()
    object_types: tuple[str, ...] = ()


@dataclass
class Rules:
    """Per-triple consequences of an ontology (IRIs as strings: small enough to send to worker processes)."""

    properties: dict[str, PropertyRule] = field(default_factory=dict)
    superclasses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Properties whose statements can be noise depending on their object (x subClassOf x, ... range owl:Thing).
    careful: frozenset[str] = frozenset()

    @classmethod
    def of(cls, schema: Schema) -> "Rules | None":
        """The tables for a schema; None when its consequences are not one triple at a time (then reason in the store)."""
        if not schema.supported() or schema.transitive:
            return None
        table = implications(schema)
        if any(q == RDF.type for steps in table.values() for q, _ in steps):
            return None  # a subproperty of rdf:type would make types the tables below do not close

        def closed(classes: set[Node]) -> tuple[str, ...]:
            every = classes.union(*(schema.superclasses.get(c, ()) for c in classes))
            return tuple(sorted(str(c) for c in every if not is_noise((_ANY, RDF.type, c))))

        rules = cls()
        for prop, steps in table.items():
            rule = PropertyRule(
                forward=tuple(sorted(str(q) for q, flipped in steps if not flipped and q != prop)),
                backward=tuple(sorted(str(q) for q, flipped in steps if flipped)),
                subject_types=closed({c for q, flipped in steps for c in (schema.ranges if flipped else schema.domains).get(q, ())}),
                object_types=closed({c for q, flipped in steps for c in (schema.domains if flipped else schema.ranges).get(q, ())}))
            if rule != PropertyRule():
                rules.properties[str(prop)] = rule
        for c, supers in schema.superclasses.items():
            if others := closed({d for d in supers if d != c}):
                rules.superclasses[str(c)] = others
        every = {q for rule in rules.properties.values() for q in (*rule.forward, *rule.backward)}
        rules.careful = frozenset(q for q in every if is_noise((_ANY, URIRef(q), _ANY)) or is_noise((_ANY, URIRef(q), OWL.Thing)))
        return rules

    def deriver(self) -> "Deriver":
        """The tables over pyoxigraph terms, for one process to apply to many triples."""
        return Deriver(self)

    def entailments(self, triples: list[OxTriple]) -> tuple[bytes, bool]:
        """What the triples entail and do not state (sorted N-Triples), and whether they state schema themselves."""
        deriver = self.deriver()
        return deriver.entailments(triples), deriver.states_schema(triples)


class Deriver:
    """Applies the rule tables to pyoxigraph triples; terms are built once per process."""

    def __init__(self, rules: Rules) -> None:
        iri = _Interner()
        self.type = iri(RDF_TYPE)
        self.careful = {iri(q) for q in rules.careful}
        self.superclasses = {iri(c): tuple(iri(d) for d in ds) for c, ds in rules.superclasses.items()}
        self.properties = {iri(p): (tuple(iri(q) for q in r.forward), tuple(iri(q) for q in r.backward),
                                    tuple(iri(c) for c in r.subject_types), tuple(iri(c) for c in r.object_types))
                           for p, r in rules.properties.items()}
        self.builtin: dict[OxTerm, bool] = {}  # subjects repeat: each is looked at once
        self.schema_predicates = {iri(str(p)) for p in SCHEMA_PREDICATES}
        self.schema_types = {iri(str(t)) for t in SCHEMA_TYPES}

    def states_schema(self, triples: Iterable[OxTriple]) -> bool:
        """True when the triples make schema statements of their own (then only owlrl, over everything, is right)."""
        return any(p in self.schema_predicates or (p == self.type and o in self.schema_types) for _, p, o in triples)

    def derive(self, triples: Iterable[OxTriple], out: set[OxTriple]) -> None:
        """Add to out everything the triples entail, less noise (the triples themselves may be among it)."""
        add, properties, superclasses, rdf_type = out.add, self.properties, self.superclasses, self.type
        builtin = self._is_builtin
        for s, p, o in triples:
            if p == rdf_type:
                if not builtin(s):
                    for d in superclasses.get(o, ()):  # type: ignore[call-overload]
                        add((s, rdf_type, d))
                continue
            rule = properties.get(p)
            if rule is None:
                continue
            forward, backward, subject_types, object_types = rule
            if not builtin(s):
                for q in forward:
                    self._add(out, (s, q, o))
                for c in subject_types:
                    add((s, rdf_type, c))
            if not isinstance(o, ox.Literal) and not builtin(o):
                for q in backward:
                    self._add(out, (o, q, s))
                for c in object_types:
                    add((o, rdf_type, c))

    def entailments(self, triples: Iterable[OxTriple]) -> bytes:
        """What the triples entail and do not state, as N-Triples in sorted lines (the same bytes every run)."""
        stated = set(triples)
        derived: set[OxTriple] = set()
        self.derive(stated, derived)
        return sorted_lines(ox.serialize([ox.Triple(*t) for t in derived - stated], format=ox.RdfFormat.N_TRIPLES) or b"")

    def _is_builtin(self, term: OxTerm) -> bool:
        known = self.builtin.get(term)
        if known is None:
            known = self.builtin[term] = isinstance(term, ox.NamedNode) and is_builtin(term.value)
        return known

    def _add(self, out: set[OxTriple], triple: OxTriple) -> None:
        if triple[1] not in self.careful or not is_noise(tuple(to_rdflib(t) for t in triple)):  # type: ignore[arg-type]
            out.add(triple)


class _Interner:
    def __init__(self) -> None:
        self.nodes: dict[str, ox.NamedNode] = {}

    def __call__(self, value: str) -> ox.NamedNode:
        return self.nodes.setdefault(value, ox.NamedNode(value))


__all__ = ["Deriver", "PropertyRule", "Rules"]
