"""The organisations of one document: who is who (names, abbreviations, short names), who is part of whom, and IRIs.

Identity inside a document: one name (compared as a slug, leading article dropped), an abbreviation the document
defines ("Riverside State University (RSU)") or uses ("RSU" for Riverside State University, "CNR" for College of
Natural Resources), a short name ("DeWitt" for DeWitt University), a name in another language with the same concept
and proper words ("Université de Southport" = "University of Southport"), or a name that ends another one
("Keller Institute for X" = "Maria E. Keller Institute for X"). Parents come from the wording ("X at Y", "Y X",
"Y's X", "its X", "Y opened X"), and, for a unit named by its kind and subject only ("College of Engineering"),
from where it is named: the organisation a guide's section or list item is about, the one institution of its
paragraph, or the document's main institution. Across documents, identity is the IRI (docs/identity.md).
"""

from collections import Counter
from dataclasses import dataclass, field

from rdflib import URIRef

from currigraph.convert.prose.layout import Sentence
from currigraph.convert.prose.names import OrgName, acronym_of, is_acronym, is_capitalised
from currigraph.convert.prose.words import INSTITUTIONS, Head, Words
from currigraph.iris import slugify


@dataclass(eq=False)
class Org:
    """One organisation of the document."""

    name: str
    head: Head | None  # None: known only by an abbreviation or a short name
    generic: bool
    first: Sentence
    names: list[str] = field(default_factory=list)  # every name the document gives it, the first is its name
    parent: "Org | None" = None
    parent_evidence: Sentence | None = None
    mentions: set[int] = field(default_factory=set)  # sentence indexes
    iri: URIRef | None = None
    merged_into: "Org | None" = None  # a unit found to be another mention of the same unit

    @property
    def institution(self) -> bool:
        """An organisation that stands alone (a university, a Hochschule), or one known only by its abbreviation."""
        return self.head is None or self.head.kind == INSTITUTIONS

    def short_names(self, words: Words) -> set[str]:
        """What the document may call it for short: its words before the head ("DeWitt") or after a linker ("Eastbridge")."""
        if self.head is None:
            return set()
        parts = self.name.split()
        found: set[str] = set()
        if self.head.word in parts:
            at = parts.index(self.head.word)
            before = [p for p in parts[:at] if is_capitalised(p)]
            after = parts[at + 1 :]
            if before and len(before) == at:
                found.add(" ".join(before))
            if after and after[0] in words.linkers:
                rest = [p for p in after[1:] if p not in words.linkers]
                if rest and all(is_capitalised(p) for p in rest):
                    found.add(" ".join(rest))
            elif after and not before:
                found.add(" ".join(after))
        return {f for f in found if not words.is_function(f) and len(f) > 2}


def name_key(name: str, words: Words) -> str:
    """A name compared: leading article dropped, then as a slug (case, accents, punctuation folded)."""
    parts = name.split()
    while len(parts) > 1 and parts[0].casefold() in words.articles:
        parts.pop(0)
    return slugify(" ".join(parts))


class Organisations:
    """The organisations of one document, found by any of their names."""

    def __init__(self, words: Words) -> None:
        self.words = words
        self.all: list[Org] = []
        self._keys: dict[str, Org] = {}
        self._concepts: dict[tuple[str, str], Org] = {}
        self._index: tuple[int, dict[str, list[Org]], dict[str, list[Org]]] | None = None  # short names, names by head
        self.version = 0  # changes whenever a name or an organisation is added (the lookups are then rebuilt)

    def _lookups(self) -> tuple[dict[str, list[Org]], dict[str, list[Org]]]:
        """Short names of institutions, and the distinct names with a head word (rebuilt when organisations change)."""
        stamp = self.version
        if self._index is None or self._index[0] != stamp:
            shorts: dict[str, list[Org]] = {}
            named: dict[str, list[Org]] = {}
            for org in self.all:
                if org.institution:
                    for short in org.short_names(self.words):
                        shorts.setdefault(short, []).append(org)
                if org.head is not None:
                    named.setdefault(org.name, []).append(org)
            self._index = (stamp, shorts, named)
        return self._index[1], self._index[2]

    def _proper(self, name: OrgName) -> tuple[str, str] | None:
        """(concept, proper words) of a name, the same in every language: "University of X" ~ "Universität X"."""
        proper = [t for t in name.tokens if t not in self.words.linkers and not self.words.head(t)]
        return (name.head.concept, slugify(" ".join(proper))) if proper else None

    def find(self, text: str) -> Org | None:
        """The organisation a text names, by name, abbreviation or short name; None if unknown or ambiguous."""
        text = text.strip()
        if not text:
            return None
        key = name_key(text, self.words)
        if key in self._keys:
            return self._keys[key]
        parts = text.split()
        shorts, named = self._lookups()
        if is_acronym(parts[0]):
            rest = " ".join(parts[1:])
            matches = [orgs for name, orgs in named.items() if self._abbreviates(parts[0], name, rest)]
            if len(matches) == 1:  # one name (a generic unit's mentions are joined once their parents are known)
                return matches[0][0]
        found = shorts.get(text, [])
        return found[0] if len(found) == 1 else None

    def _abbreviates(self, acronym: str, name: str, rest: str) -> bool:
        """'RSU' of 'Riverside State University'; 'CVMU Südheim' of 'Carl-von-Muster Universität Südheim'."""
        if rest:
            if not name.endswith(" " + rest):
                return False
            name = name[: -len(rest)].strip()
        return acronym_of(acronym, name, self.words)

    def alias(self, org: Org, name: str) -> None:
        """Another name of an organisation (an abbreviation, a short or translated name)."""
        self.version += 1
        key = name_key(name, self.words)
        if key and key not in self._keys:
            self._keys[key] = org
        if name not in org.names:
            org.names.append(name)

    def add(self, name: OrgName, sentence: Sentence) -> Org:
        """The organisation a name found in a sentence names (a new one, or one already known by that name).

        A unit of a generic name is new at each mention: which unit it is depends on its parent, known later
        (merge_generic joins the mentions of one unit).
        """
        self.version += 1
        if name.generic:
            org = Org(name.name, name.head, True, sentence, [name.name], mentions={sentence.index})
            self.all.append(org)
            self._keys.setdefault(name_key(name.name, self.words), org)
            return org
        known = self._known(name)
        if known is None:
            known = Org(name.name, name.head, name.generic, sentence, [name.name])
            self.all.append(known)
            self._keys[name_key(name.name, self.words)] = known
            proper = self._proper(name)
            if proper and not name.generic:
                self._concepts.setdefault(proper, known)
        elif name.name not in known.names:
            known.names.append(name.name)
            self._keys.setdefault(name_key(name.name, self.words), known)
            if len(name.name) > len(known.name) and known.name in name.name:
                known.name = name.name  # "Maria E. Keller Institute ..." after "Keller Institute ..."
                known.names.insert(0, known.names.pop())
        known.mentions.add(sentence.index)
        return known

    def _known(self, name: OrgName) -> Org | None:
        key = name_key(name.name, self.words)
        if key in self._keys:
            return self._keys[key]
        proper = self._proper(name)
        if proper and not name.generic and proper in self._concepts:
            return self._concepts[proper]
        for org in self.all:  # a name that ends another, of three words or more, names the same organisation
            if org.head is None or org.generic != name.generic:
                continue
            longer, shorter = (org.name, name.name) if len(org.name) > len(name.name) else (name.name, org.name)
            if len(shorter.split()) >= 3 and longer.endswith(" " + shorter):
                return org
        return None

    def add_abbreviated(self, text: str, sentence: Sentence) -> Org:
        """An organisation the document names only by an abbreviation or a bare name ("NU", "TUS", "EIT")."""
        self.version += 1
        known = self.find(text)
        if known is None:
            known = Org(text, None, False, sentence, [text])
            self.all.append(known)
            self._keys[name_key(text, self.words)] = known
        known.mentions.add(sentence.index)
        return known

    def set_parent(self, org: Org, parent: Org, evidence: Sentence) -> None:
        """Make one organisation part of another, unless that makes a circle or it has a parent already."""
        if org.parent is not None or parent is org:
            return
        ancestor: Org | None = parent
        while ancestor is not None:
            if ancestor is org:
                return
            ancestor = ancestor.parent
        org.parent, org.parent_evidence = parent, evidence

    def merge_generic(self) -> None:
        """Units of one generic name and one parent are one unit; of one name and different parents, different units."""
        self.version += 1
        seen: dict[tuple[str, int], Org] = {}
        for org in list(self.all):
            if not org.generic:
                continue
            parent = self.canonical(org.parent) if org.parent else None
            key = (name_key(org.name, self.words), id(parent))
            keeper = seen.get(key)
            if keeper is not None and keeper is not org:
                keeper.mentions |= org.mentions
                org.merged_into = keeper
                self.all.remove(org)
            else:
                seen[key] = org
        for name, org in list(self._keys.items()):
            self._keys[name] = self.canonical(org)

    @staticmethod
    def canonical(org: Org) -> Org:
        """The organisation a mention stands for once mentions of one unit are joined."""
        while org.merged_into is not None:
            org = org.merged_into
        return org

    def main_institution(self, sentences: list[Sentence]) -> Org | None:
        """The institution the document is about: named most often (by any name), at least twice and more than any other."""
        counts: Counter[int] = Counter()
        institutions = [o for o in self.all if o.institution]
        for sentence in sentences:
            text = f" {sentence.clean} "
            for org in institutions:
                forms = {*org.names, *org.short_names(self.words)}
                if sentence.index in org.mentions or any(f" {f} " in text or f" {f}'" in text for f in forms):
                    counts[id(org)] += 1
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return next(o for o in institutions if id(o) == ranked[0][0])
