"""Reading a converter's RDF into fact tuples, with the SPARQL of bench/intake_vocab.py.

Only content facts come out: the kinds of intake_match.KINDS. Provenance (source documents, activities,
prov:wasDerivedFrom), evidence reification (rdf:Statement nodes, cg:evidence, cg:sourceLine), rdfs:label
duplicating schema:name, the types of helper nodes (offerings, semesters, partnerships, role assignments) and
triples outside the fact model (descriptions, tags, pillars, weights) never make a fact.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from bench.intake_match import (
    Fact,
    code_form,
    language_form,
    name_forms,
    number_form,
    person_forms,
    text_forms,
    unit_form,
)
from bench.intake_vocab import CREDITS_UNIT_WHEN_UNSTATED, Vocabulary


@dataclass
class ProgrammeNode:
    """A programme in the converter's graph: its names and the names of its providers, for alignment."""

    node: str
    names: frozenset[str]
    shown: str
    providers: frozenset[str]


@dataclass
class Extracted:
    """The content facts read from one conversion (scopes are programme nodes until aligned)."""

    facts: list[Fact]
    programmes: dict[str, ProgrammeNode]
    triples: int
    unnamed: dict[str, int] = field(default_factory=dict)


def _term(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # NamedNode and Literal


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"not an RDF term: {term!r}")


def to_store(dataset: Dataset) -> ox.Store:
    """The dataset in an in-memory pyoxigraph store (its SPARQL is fast and complete; rdflib's is neither)."""
    store = ox.Store()
    quads = []
    for s, p, o, graph in dataset.quads((None, None, None, None)):
        name = ox.NamedNode(str(graph)) if isinstance(graph, URIRef) else ox.DefaultGraph()
        quads.append(ox.Quad(_ox(s), _ox(p), _ox(o), name))
    store.extend(quads)
    return store


class Reader:
    """Runs the vocabulary's queries over one store and assembles facts."""

    def __init__(self, store: ox.Store, vocabulary: Vocabulary) -> None:
        self.store = store
        self.vocabulary = vocabulary

    def rows(self, name: str) -> list[tuple[Any, ...]]:
        """The rows of a named query, terms as strings (IRIs, '_:' blank nodes, literal values)."""
        solutions = self.store.query(self.vocabulary.query(name), use_default_graph_as_union=True)
        return [tuple(_term(solution[i]) for i in range(len(solutions.variables))) for solution in solutions]

    def pairs(self, role: str) -> list[tuple[Any, Any]]:
        """Subject and object of every triple with a predicate of a role."""
        solutions = self.store.query(self.vocabulary.pairs_query(role), use_default_graph_as_union=True)
        return [(_term(s["s"]), _term(s["o"])) for s in solutions]


def extract(dataset: Dataset, vocabulary: Vocabulary) -> Extracted:
    """Every content fact of the converted dataset (scoped to programme nodes, not yet aligned)."""
    store = to_store(dataset)
    reader = Reader(store, vocabulary)
    facts: dict[tuple, Fact] = {}

    def add(kind: str, scope: str | None, parts: tuple[frozenset[str], ...], shown: str) -> None:
        if all(parts[i] for i in range(len(parts)) if not (kind.endswith("credits") and i == len(parts) - 1)):
            fact = Fact(kind, scope, parts, shown)
            facts.setdefault(fact.key, fact)

    raw_names: dict[str, list[str]] = defaultdict(list)
    for node, value in reader.rows("names"):
        if node and value:
            raw_names[node].append(value)
    names = {node: frozenset().union(*(name_forms(v) for v in values)) for node, values in raw_names.items()}
    persons = {node: frozenset().union(*(person_forms(v) for v in values)) for node, values in raw_names.items()}

    def shown(node: str) -> str:
        return sorted(raw_names[node], key=len)[-1] if raw_names.get(node) else node

    kinds: dict[str, set[str]] = defaultdict(set)
    for node, kind in reader.rows("typed"):
        kinds[kind].add(node)
    for kind, roles in vocabulary.implied().items():
        for role, position in roles:
            for s, o in reader.pairs(role):
                kinds[kind].add(s if position == "s" else o)
    programmes, courses, organisations = kinds["programme"], kinds["course"], kinds["organisation"]

    # Which programmes each course is in.
    course_scopes: dict[str, set[str]] = defaultdict(set)
    for p, c in reader.rows("course_links"):
        course_scopes[c].add(p)

    def scopes_of(course: str) -> set[str | None]:
        return set(course_scopes.get(course, ())) or {None}

    statuses = {iri: status for iri, status in reader.rows("statuses")}

    def status_of(value: str) -> frozenset[str]:
        if value in statuses:
            return frozenset({statuses[value]})
        if value in ("true", "1", "mandatory"):
            return frozenset({"mandatory"})
        if value in ("false", "0", "elective"):
            return frozenset({"elective"})
        return frozenset()

    def course_value(scope: str | None, course: str, attr: str, value: str, unit: str | None) -> None:
        subject = names[course]
        label = f"{shown(course)}: {value}{' ' + unit if unit else ''}"
        if attr == "code":
            add("course-code", scope, (subject, code_form(value)), label)
        elif attr == "credits":
            add("course-credits", scope, (subject, number_form(value), unit_form(unit)), label)
        elif attr == "year":
            add("course-year", scope, (subject, number_form(value)), label)
        elif attr == "semester":
            add("course-semester", scope, (subject, number_form(value)), label)
        elif attr == "term":
            add("course-term", scope, (subject, name_forms(value)), label)
        elif attr == "status":
            add("course-status", scope, (subject, status_of(value)), f"{shown(course)}: {'/'.join(sorted(status_of(value))) or value}")
        elif attr == "language":
            add("course-language", scope, (subject, language_form(value)), label)
        elif attr == "topic":
            add("course-topic", scope, (subject, text_forms(value)), label)
        elif attr == "outcome":
            add("course-outcome", scope, (subject, text_forms(value)), label)

    # Programmes.
    for p in programmes:
        if names.get(p):
            add("programme", p, (names[p],), shown(p))
    for s, attr, value, unit in reader.rows("values"):
        if s is None or value is None:
            continue
        if s in programmes:
            label = f"{value}{' ' + unit if unit else ''}"
            if attr == "degree":
                add("programme-degree", s, (name_forms(value),), label)
            elif attr == "language":
                add("programme-language", s, (language_form(value),), label)
            elif attr in ("total_credits", "credits"):
                add("programme-credits", s, (number_form(value), unit_form(unit)), label)
            elif attr == "semesters":
                add("programme-semesters", s, (number_form(value),), label)
            elif attr == "years":
                add("programme-years", s, (number_form(value),), label)
            elif attr == "code":
                add("programme-code", s, (code_form(value),), label)
        elif s in courses and names.get(s):
            if attr == "credits" and unit is None:
                unit = CREDITS_UNIT_WHEN_UNSTATED
            for scope in scopes_of(s):
                course_value(scope, s, attr, value, unit)

    # Courses, and what offerings and mandatory/elective links say about them in a programme.
    for c in courses:
        if names.get(c):
            for scope in scopes_of(c):
                add("course", scope, (names[c],), shown(c))
    for p, c, attr, value in reader.rows("offering_values"):
        if c in courses and names.get(c) and value is not None:
            course_value(p, c, attr or "", value, None)
    for p, c, value in reader.rows("status_links"):
        if names.get(c):
            add("course-status", p, (names[c], frozenset({value or ""})), f"{shown(c)}: {value}")

    # Providers (programmes and courses), organisations and their parents.
    providers: dict[str, set[str]] = defaultdict(set)
    for s, org in reader.rows("providers"):
        organisations.add(org)
        if not names.get(org):
            continue
        providers[s].add(org)
        if s in programmes:
            add("programme-provider", s, (names[org],), shown(org))
        elif s in courses and names.get(s):
            for scope in scopes_of(s):
                add("course-provider", scope, (names[s], names[org]), f"{shown(s)}: {shown(org)}")
    for (org,) in reader.rows("mentioned"):
        organisations.add(org)
    for org in organisations:
        if names.get(org):
            add("organisation", None, (names[org],), shown(org))
    for unit, parent in reader.rows("parents"):
        if names.get(unit) and names.get(parent):
            add("organisation-parent", None, (names[unit], names[parent]), f"{shown(unit)} < {shown(parent)}")

    # Tracks: of a programme (linked to it, or through its courses) and of a course.
    for p, t in reader.rows("track_links"):
        if p in programmes and names.get(t):
            add("programme-track", p, (names[t],), shown(t))
    for c, t in reader.rows("course_tracks"):
        if not names.get(t):
            continue
        for scope in course_scopes.get(c, set()):
            add("programme-track", scope, (names[t],), shown(t))
        if names.get(c):
            for scope in scopes_of(c):
                add("course-track", scope, (names[c], names[t]), f"{shown(c)}: {shown(t)}")

    # Requirements: every requirement reachable from a programme (choices by their options).
    texts: dict[str, dict[str, bool]] = defaultdict(dict)
    for r, value, description in reader.rows("requirement_texts"):
        texts[r][value] = texts[r].get(value, False) or description == "true"
    options: dict[str, list[str]] = defaultdict(list)
    for choice, r in reader.rows("options"):
        options[choice].append(r)

    def requirement_text(r: str) -> str | None:
        found = texts.get(r, {})
        described = [v for v, is_description in found.items() if is_description]
        return (described or sorted(found, key=len, reverse=True) or [None])[0]

    for p, r in reader.rows("requirements"):
        if p not in programmes or r is None:
            continue
        if r in options:
            option_texts = [requirement_text(o) for o in options[r]]
            if all(option_texts):
                add("requirement-choice", p, (frozenset().union(*(text_forms(t) for t in option_texts)),),
                    " | ".join(option_texts))
        elif (text := requirement_text(r)) is not None:
            add("requirement", p, (text_forms(text),), text)

    # People: names, honorifics, roles and where each role is held.
    for person, value in reader.rows("honorifics"):
        if persons.get(person) and value:
            add("person-honorific", None, (persons[person], name_forms(value)), f"{shown(person)}: {value}")
    roles: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for person, assignment, role, target in reader.rows("roles"):
        kinds["person"].add(person)
        entry = roles.setdefault((person, assignment), (set(), set()))
        if role:
            entry[0].add(role)
        if target:
            entry[1].add(target)
    for person in kinds["person"]:
        if persons.get(person):
            add("person", None, (persons[person],), shown(person))
    for (person, _), (role_texts, targets) in roles.items():
        if not persons.get(person) or not role_texts:
            continue
        role_names = frozenset().union(*(name_forms(r) for r in role_texts))
        role_shown = sorted(role_texts, key=len)[-1]
        add("person-role", None, (persons[person], role_names), f"{shown(person)}: {role_shown}")
        for target in targets:
            if names.get(target):
                add("person-role-in", None, (persons[person], role_names, names[target]),
                    f"{shown(person)}: {role_shown} in {shown(target)}")

    nodes = {p: ProgrammeNode(p, names.get(p, frozenset()), shown(p), frozenset().union(*(names.get(o, frozenset()) for o in providers[p])))
             for p in programmes}
    unnamed = {kind: sum(1 for n in kinds[kind] if not names.get(n)) for kind in ("programme", "course", "organisation", "person")}
    return Extracted(list(facts.values()), nodes, len(store), {k: v for k, v in unnamed.items() if v})
