"""Deterministic, readable IRIs for everything in the graph, under one configurable base."""

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

from anyascii import anyascii
from rdflib import URIRef

if TYPE_CHECKING:
    from currigraph.sources.links import LinkEntry, LinkTable

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
    """Mints the IRIs of docs/model.md under a base IRI; organisations the link table knows get the table's IRI.

    The same base, names and link table give the same IRIs on every machine (docs/identity.md).
    """

    def __init__(self, base: str = DEFAULT_BASE, links: "LinkTable | None" = None) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base
        self._shared = tuple(self.base + root for root in SHARED_ROOTS)
        if links is None:
            # Imported here: the link table module mints slugs with this one.
            from currigraph.sources.links import active_link_table

            links = active_link_table()
        self.links = links

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

    def organisation(self, name: str, parent: URIRef | None = None, scope: str | None = None) -> URIRef:
        """IRI of an organisation, from its name.

        The link table's entry wins (under its parent entry's IRI when it gives one). Otherwise a unit whose parent
        is known lives under the parent (`organisation/<parent>/<unit>`), a unit of a generic name and no known parent
        in its source document (`source/<stem>/organisation/<slug>`, scope being the stem), anything else at
        `organisation/<slug>`.
        """
        entry = self.linked_entry(name, parent)
        if entry is not None:
            return self.linked_organisation(entry)
        if parent is not None:
            return URIRef(f"{parent}/{slugify(name)}")
        if scope is not None:
            return self.iri("source", slugify(scope), "organisation", slugify(name))
        return self.iri("organisation", slugify(name))

    def linked_entry(self, name: str, parent: URIRef | None = None) -> "LinkEntry | None":
        """The link table's entry of an organisation. An entry of a unit ("Faculty of Medicine", parent: a university)
        is that unit only where the document places it in that parent: another university's faculty is not it."""
        entry = self.links.find(name)
        if entry is None:
            return None
        parent_entry = self.links.parent_of(entry)
        if parent_entry is not None and parent != self.linked_organisation(parent_entry):
            return None
        return entry

    def linked_organisation(self, entry: "LinkEntry") -> URIRef:
        """IRI of an organisation of the link table: its name's slug, under its parent entry's IRI."""
        parent = self.links.parent_of(entry)
        if parent is None:
            return self.iri("organisation", slugify(entry.name))
        return URIRef(f"{self.linked_organisation(parent)}/{slugify(entry.name)}")

    def person(self, name: str) -> URIRef:
        """IRI of a person, from their name."""
        return self.iri("person", slugify(name))

    def role(self, person_name: str, title: str, target: URIRef | None = None) -> URIRef:
        """IRI of a person's role, from its title and where it is held: the same role named in two documents is one
        node, two roles of one person never are (`person/<p>/role/<title>--<where>`, the part after -- left out when
        the title ends with it already)."""
        slug = slugify(title)
        if target is not None:
            where = slugify(str(target).rstrip("/").rsplit("/", 1)[-1])
            if not slug.endswith(where):
                slug += "--" + where
        return self.iri("person", slugify(person_name), "role", slug)

    def programme_track(self, programme_slug: str, track_name: str) -> URIRef:
        """IRI of a track a programme has (named in prose): scoped by the programme, as two programmes' tracks differ."""
        return self.iri("programme", programme_slug, "track", slugify(track_name))

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
