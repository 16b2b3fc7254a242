"""Deterministic, readable IRIs for everything in the graph, under one configurable base."""

import hashlib
import re
import unicodedata

from anyascii import anyascii
from rdflib import URIRef

DEFAULT_BASE = "https://data.currigraph.org/"
# Nodes that many documents mention; what is said about them is kept once, in the shared graph.
SHARED_ROOTS = ("pillar/", "scheme/", "organisation/", "person/", "track/", "agent/")


def slugify(text: str) -> str:
    """Lower-case ASCII slug: accents folded, other scripts transliterated, runs of other characters one '-'.

    A text with nothing to spell (only symbols) gets a stable hash, so that two such texts never share a slug.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", _latin(text).lower()).strip("-")
    return slug or "unnamed-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _latin(text: str) -> str:
    """Letters and digits of any script in Latin letters (Greek, Cyrillic, Chinese ...); marks and symbols dropped."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            out.append(char)
        elif unicodedata.category(char)[0] in "LN":
            spelled = anyascii(char)
            # Scripts written without spaces (Chinese, Japanese, Korean) get one syllable per word of the slug.
            out.append(f" {spelled} " if _UNSPACED.search(unicodedata.name(char, "")) else spelled)
    return "".join(out)


_UNSPACED = re.compile(r"^(CJK|HIRAGANA|KATAKANA|HANGUL)")


class Minter:
    """Mints the IRIs of docs/model.md under a base IRI."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base
        self._shared = tuple(self.base + root for root in SHARED_ROOTS)

    def is_shared(self, node: object) -> bool:
        """True for a node whose statements go to the shared graph (pillars, schemes, organisations, people, ...)."""
        return isinstance(node, URIRef) and str(node).startswith(self._shared)  # rdflib's own startswith takes no tuple

    def iri(self, *parts: str | int) -> URIRef:
        """IRI of a path under the base; parts are used as given (already slugs)."""
        return URIRef(self.base + "/".join(str(p) for p in parts))

    def programme(self, slug: str) -> URIRef:
        """IRI of a programme."""
        return self.iri("programme", slug)

    def semester(self, programme_slug: str, number: int) -> URIRef:
        """IRI of a numbered semester of a programme."""
        return self.iri("programme", programme_slug, "semester", number)

    def offering(self, programme_slug: str, number: int, course_slug: str) -> URIRef:
        """IRI of a course offered in a programme's semester."""
        return self.iri("programme", programme_slug, "semester", number, course_slug)

    def requirement(self, programme_slug: str, number: int, option: int | None = None) -> URIRef:
        """IRI of a programme's n-th requirement, or of an option inside it."""
        parts: list[str | int] = ["programme", programme_slug, "requirement", number]
        if option is not None:
            parts += ["option", option]
        return self.iri(*parts)

    def partner(self, programme_slug: str, org_slug: str) -> URIRef:
        """IRI of an organisation's partnership in a programme."""
        return self.iri("programme", programme_slug, "partner", org_slug)

    def funding(self, programme_slug: str, number: int) -> URIRef:
        """IRI of a programme's n-th funding."""
        return self.iri("programme", programme_slug, "funding", number)

    def course(self, slug: str, programme_slug: str | None = None) -> URIRef:
        """IRI of a course, scoped by programme when it was named on a programme page."""
        return self.iri("course", programme_slug, slug) if programme_slug else self.iri("course", slug)

    def pillar(self, slug: str) -> URIRef:
        """IRI of a pillar concept."""
        return self.iri("pillar", slug)

    def pillar_scheme(self) -> URIRef:
        """IRI of the concept scheme that holds all pillars."""
        return self.iri("scheme", "pillars")

    def track(self, slug: str) -> URIRef:
        """IRI of a track."""
        return self.iri("track", slug)

    def organisation(self, name: str) -> URIRef:
        """IRI of an organisation, from its name."""
        return self.iri("organisation", slugify(name))

    def person(self, name: str) -> URIRef:
        """IRI of a person, from their name."""
        return self.iri("person", slugify(name))

    def role(self, person_name: str, number: int) -> URIRef:
        """IRI of a person's n-th role assignment."""
        return self.iri("person", slugify(person_name), "role", number)

    def source(self, stem: str) -> URIRef:
        """IRI of a source document."""
        return self.iri("source", slugify(stem))

    def graph(self, name: str) -> URIRef:
        """IRI of a named graph (a source's stem, 'ontology' or 'inferred')."""
        return self.iri("graph", slugify(name))

    def fact(self, stem: str, ntriples_line: str) -> URIRef:
        """IRI of a reified fact, stable for the same triple in the same source."""
        digest = hashlib.sha1(ntriples_line.encode("utf-8")).hexdigest()[:12]
        return self.iri("source", slugify(stem), "fact", digest)

    def agent(self, version: str) -> URIRef:
        """IRI of the converter software agent."""
        return self.iri("agent", f"currigraph-{slugify(version)}")
