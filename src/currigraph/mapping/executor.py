"""Running a compiled mapping over a catalogue's records: values, then nodes with their IRIs, types, names and properties.

The executor is generic: it knows the mapping format, never a catalogue. Every node is derived from the source
(prov:wasDerivedFrom), named with schema:name and rdfs:label as every converter names things, and minted under the
project's base with the placeholders of its IRI template slugified (currigraph.iris.slugify), so that the same
catalogue gives the same IRIs on every machine.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import product
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from currigraph.iris import slugify
from currigraph.mapping.reading import Record
from currigraph.mapping.spec import Env, Mapping, NodeSpec, ObjectSpec, Scope, ValueSpec
from currigraph.mapping.transforms import Value, as_text, parse_number
from currigraph.vocab import PROV_NS, RDF_TYPE, RDFS_NS, SCHEMA_NS, XSD_NS, is_absolute_iri

Emit = Callable[[Node, URIRef, Node, int | None], None]
Nodes = dict[str, list[tuple[URIRef, dict[str, Value]]]]  # node id -> each instance's IRI and the values that made it
_TYPE, _NAME, _LABEL, _DERIVED = URIRef(RDF_TYPE), URIRef(SCHEMA_NS + "name"), URIRef(RDFS_NS + "label"), URIRef(PROV_NS + "wasDerivedFrom")
_DECIMAL, _INTEGER, _BOOLEAN = XSD_NS + "decimal", XSD_NS + "integer", XSD_NS + "boolean"
_TRUE, _FALSE = ("true", "1"), ("false", "0")


@lru_cache(maxsize=65536)
def _slug(text: str) -> str:
    return slugify(text)


def _slug_of(value: Value) -> str:
    return _slug(as_text(value))


@dataclass
class Context:
    """What a record's evaluation may read besides the record: the file's names and, inside 'each', the item's key."""

    file_name: str
    file_stem: str
    item_key: str | None = None


@dataclass
class Run:
    """Counts of one run, so that a catalogue that yields nothing is reported instead of silently accepted."""

    records: int = 0
    nodes: int = 0
    iris: set[str] = field(default_factory=set)


def flatten(raw: Iterable[Any]) -> list[Value]:
    """The scalar values of what a field holds: lists opened, nulls, blank texts and objects left out."""
    values: list[Value] = []
    for item in raw:
        if item is None or isinstance(item, dict):
            continue
        if isinstance(item, list):
            values.extend(flatten(item))
        elif isinstance(item, str):
            if item.strip():
                values.append(item)
        elif isinstance(item, bool | int | float | Decimal):
            values.append(item)
    return values


def evaluate(spec: ValueSpec, record: Any, env: Env, context: Context) -> list[Value]:
    """One named value of a record: read, transformed, defaulted."""
    kind = spec.kind
    if kind == "key":
        values = flatten([record.get(spec.argument)]) if isinstance(record, dict) else []
    elif kind == "path":
        values = flatten(node.value for node in spec.argument.finditer(record))
    elif kind == "constant":
        values = [spec.argument]
    elif kind == "template":
        values = list(spec.argument.render(env))
    elif kind == "file-name":
        values = [context.file_name]
    elif kind == "file-stem":
        values = [context.file_stem]
    else:  # item-key
        values = [context.item_key] if context.item_key else []
    for step in spec.transforms:
        if not values:
            break
        values = step(values)
    if not values and spec.default is not None:
        values = [spec.default]
    return values


class Executor:
    """Makes the triples of one catalogue file under one mapping."""

    def __init__(self, mapping: Mapping, base: str, source: URIRef, emit: Emit) -> None:
        self.mapping = mapping
        self.base = base
        self.source = source
        self.emit = emit
        self.run = Run()
        self._predicates: dict[str, URIRef | None] = {}
        self._iris: dict[str, URIRef | None] = {}
        self._classes = {c: URIRef(c) for n in _all_nodes(mapping.scope) for c in n.classes}

    def document_env(self, root: Any, context: Context) -> Env:
        """The values every record sees: the mapping's constants and the values read from the document's root."""
        env: Env = {name: [value] for name, value in self.mapping.constants.items()}
        for spec in self.mapping.document:
            env[spec.name] = evaluate(spec, root, env, context)
        return env

    def records(self, records: Iterable[Record], env: Env, context: Context) -> Run:
        """Make the nodes of every record."""
        for record in records:
            self.run.records += 1
            self._scope(self.mapping.scope, record.value, env, {}, context, record.line)
        return self.run

    def _scope(self, scope: Scope, record: Any, outer: Env, outer_nodes: Nodes, context: Context,
               line: int | None) -> None:
        env = dict(outer)
        for spec in scope.values:
            env[spec.name] = evaluate(spec, record, env, context)
        nodes = dict(outer_nodes)
        made: list[tuple[NodeSpec, list[tuple[URIRef, Env]]]] = []
        for node in scope.nodes:  # every IRI first, so that a node may link to one listed after it
            instances = self._instances(node, env)
            if node.id is not None:
                template = next((t for t in node.iris if t.has_values(env)), None)
                names = template.names if template is not None else ()
                nodes[node.id] = [(iri, {name: bound[name][0] for name in names}) for iri, bound in instances]
            if instances:
                made.append((node, instances))
        for node, instances in made:
            for iri, bound in instances:
                self._describe(node, iri, bound, nodes, line)
        for items in scope.each:
            for match in items.path.finditer(record):
                key = next((part for part in reversed(match.location) if isinstance(part, str)), None)
                item_context = Context(context.file_name, context.file_stem, key)
                self._scope(items.scope, match.value, env, nodes, item_context, line)

    def _instances(self, node: NodeSpec, env: Env) -> list[tuple[URIRef, Env]]:
        """The node's IRIs from the first template whose placeholders have values, one per combination of them."""
        if not node.when.holds(env):
            return []
        template = next((t for t in node.iris if t.has_values(env)), None)
        if template is None:
            return []
        if not template.names:
            return [(URIRef(self.base + template.text), env)]
        instances: list[tuple[URIRef, Env]] = []
        for combination in product(*(env[name] for name in template.names)):
            bound = dict(env)
            bound.update({name: [value] for name, value in zip(template.names, combination, strict=True)})
            path = template.render(bound, _slug_of)[0]
            instances.append((URIRef(self.base + path), bound))
        return instances

    def _describe(self, node: NodeSpec, iri: URIRef, env: Env, nodes: Nodes, line: int | None) -> None:
        emit = self.emit
        self.run.nodes += 1
        self.run.iris.add(str(iri))
        for cls in node.classes:
            emit(iri, _TYPE, self._classes[cls], line)
        emit(iri, _DERIVED, self.source, None)
        if node.name is not None:
            for text in node.name.render(env):
                name = literal(" ".join(text.split()), None, None)
                if name is not None:
                    emit(iri, _NAME, name, line)
                    emit(iri, _LABEL, name, line)
        for prop in node.properties:
            predicates = [p for p in map(self._predicate, prop.predicate.render(env)) if p is not None]
            if not predicates:
                continue
            for obj in prop.objects:
                if not obj.when.holds(env):
                    continue
                for term in self._objects(obj, env, nodes):
                    for predicate in predicates:
                        emit(iri, predicate, term, line)

    def _predicate(self, text: str) -> URIRef | None:
        if text not in self._predicates:
            iri = self.mapping.expand(text)
            self._predicates[text] = URIRef(iri) if iri else None
        return self._predicates[text]

    def _objects(self, obj: ObjectSpec, env: Env, nodes: Nodes) -> list[Node]:
        if obj.kind == "node":
            # The instances of the linked node that agree with this one: a lecturer's person node links to that
            # lecturer's role, not to every role the record makes. A name with several values here binds nothing.
            linked = [iri for iri, values in nodes.get(obj.node or "", ())
                      if all(len(env.get(name) or ()) != 1 or env[name][0] == value for name, value in values.items())]
            return list(dict.fromkeys(linked))
        assert obj.template is not None
        texts = obj.template.render(env)
        if obj.kind == "iri":
            return [iri for iri in map(self._iri, texts) if iri is not None]
        return [term for term in (literal(text, obj.datatype, obj.language) for text in texts) if term is not None]

    def _iri(self, text: str) -> URIRef | None:
        """An IRI a value writes (a CURIE of the mapping's prefixes, or absolute); a value that is not one is left out."""
        if text not in self._iris:
            iri = self.mapping.expand(text) or (text if is_absolute_iri(text) else None)
            self._iris[text] = URIRef(iri) if iri else None
        return self._iris[text]


@lru_cache(maxsize=65536)  # catalogues repeat the same texts (role names, departments, units): one Literal each
def literal(text: str, datatype: str | None, language: str | None) -> Literal | None:
    """A literal of a value, typed as the mapping says; a value that is not of its datatype (or blank) is left out."""
    if not text.strip():
        return None
    if language:
        return Literal(text, lang=language)
    if datatype is None:
        return Literal(text)
    if datatype in (_DECIMAL, _INTEGER):
        number = parse_number(text)
        if number is None:
            return None
        if datatype == _INTEGER:
            return Literal(int(number), datatype=URIRef(_INTEGER)) if number == number.to_integral_value() else None
        # A whole number keeps no exponent or trailing zeros ("8", not "8.0" or "8E+0"); others are kept as written.
        return Literal(Decimal(int(number)) if number == number.to_integral_value() else number, datatype=URIRef(_DECIMAL))
    if datatype == _BOOLEAN:
        lowered = text.strip().lower()
        return Literal(lowered in _TRUE, datatype=URIRef(_BOOLEAN)) if lowered in _TRUE + _FALSE else None
    return Literal(text.strip(), datatype=URIRef(datatype))


def _all_nodes(scope: Scope) -> list[NodeSpec]:
    return [*scope.nodes, *(n for items in scope.each for n in _all_nodes(items.scope))]
