"""People in prose: who is named, with which honorifics, and which roles they hold where.

A person is read where the sentence's shape says one is named: after a speech verb ('"...," said NAME, TITLE'),
after an honorific ("Prof. NAME"), after a role title ("Studiendekan NAME", "TUS-Student NAME"), or as an
apposition with a role ("NAME, associate professor of X, and NAME, ..."). Each role is held in the organisation or
programme its words name ("professor in CNR", "chair of the DS program"); an organisation named once at the end of
several roles holds all of them ("associate dean and associate professor in CNR"); "its founding director" is held
in the organisation named before; a role that names nothing is held in the document's main institution.
"""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from currigraph.convert.prose.layout import Sentence
from currigraph.convert.prose.names import PersonName, Token, person_at
from currigraph.convert.prose.organisations import Org
from currigraph.convert.prose.programmes import Programme
from currigraph.convert.prose.words import fold

if TYPE_CHECKING:
    from currigraph.convert.prose.reader import Reader

Target = Org | Programme


@dataclass
class Role:
    """One role of a person, as a sentence gives it."""

    title: str
    name: str
    target: Target | None
    sentence: Sentence


@dataclass
class Person:
    """A person of the document."""

    name: str
    sentence: Sentence
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    job_title: str | None = None
    roles: list[Role] = field(default_factory=list)


class People:
    """The people of one document."""

    def __init__(self, reader: "Reader") -> None:
        self.reader = reader
        self.words = reader.words
        self.all: dict[str, Person] = {}

    def read(self) -> None:
        """Read every sentence for people and their roles."""
        for sentence in self.reader.sentences:
            self._sentence(sentence)

    def _person(self, found: PersonName, sentence: Sentence) -> Person:
        person = self.all.get(found.name)
        if person is None:
            person = self.all[found.name] = Person(found.name, sentence)
        for prefix in found.prefixes:
            if prefix not in person.prefixes:
                person.prefixes.append(prefix)
        for suffix in found.suffixes:
            if suffix not in person.suffixes:
                person.suffixes.append(suffix)
        return person

    def _sentence(self, sentence: Sentence) -> None:
        text, toks, words = sentence.clean, self.reader.toks[sentence.index], self.words
        taken: set[int] = set()
        gerund = self._gerund_role(sentence)
        i = 0
        while i < len(toks):
            if i in taken:
                i += 1
                continue
            at = person_at(text, toks, i, words)
            if at is None:
                i += 1
                continue
            found, after = at
            previous = toks[i - 1] if i > 0 else None
            speech = previous is not None and fold(previous.text) in {fold(v) for v in words.speech_verbs}
            before_role = self._role_before(sentence, toks, i)
            apposition = self._role_after(text, toks, after)
            if not (speech or found.prefixes or before_role or apposition):
                i += 1
                continue
            person = self._person(found, sentence)
            if before_role is not None:
                title, target = before_role
                self._add_role(person, title, target, sentence, possessive=target is None and i >= 2
                               and fold(toks[i - 2].text) in words.possessive_pronouns)
            if apposition is not None:
                role_text, end = apposition
                if speech or person.job_title is None:
                    person.job_title = role_text
                for title, target in self._split_roles(role_text, sentence):
                    self._add_role(person, title, target, sentence)
                if gerund is not None:
                    self._add_role(person, *gerund, sentence)
                taken |= {k for k, t in enumerate(toks) if t.start < end}
            i = max(after, i + 1)

    def _role_before(self, sentence: Sentence, toks: list[Token], i: int) -> tuple[str, Target | None] | None:
        """'Studiendekan Jan Muster', 'TUS-Student Jonas Weber': a role title just before the name."""
        at = i
        while at > 0 and toks[at - 1].text in self.words.honorific_prefixes:
            at -= 1
        if at == 0:
            return None
        title = toks[at - 1]
        match = self.words.role_head.fullmatch(title.text)
        if not match:
            return None
        # "Der TUS-Student NAME", "Ihr Studiendekan NAME", "the founding director NAME": a determiner before the
        # title ("Student Recruitment Enquiries" is a heading, not a student)
        determiners = self.words.articles | self.words.demonstratives | self.words.possessive_pronouns
        if at < 2 or fold(toks[at - 2].text) not in determiners:
            return None
        target: Target | None = None
        if "-" in title.text:  # "TUS-Student": the organisation the role is held in, written before it
            target = self.reader.org_named(title.text.rsplit("-", 1)[0], sentence)
        return title.text, target

    def _role_after(self, text: str, toks: list[Token], after: int) -> tuple[str, int] | None:
        """', associate professor of X' after a name: the role text (up to the next person or the sentence's end)."""
        if after >= len(toks) or toks[after].text != ",":
            return None
        start = toks[after].end
        end = len(text)
        k = after + 1
        while k < len(toks):
            if toks[k].text == "," and k + 1 < len(toks):
                nxt = k + 1
                if toks[nxt].text in self.words.conjunctions:
                    nxt += 1
                if person_at(text, toks, nxt, self.words) is not None:
                    end = toks[k].start
                    break
            k += 1
        role = text[start:end].strip()
        # '„...“, ordnet NAME, TITLE, ein.': a separable verb's particle after the last comma is not part of the title.
        particle = re.search(r",\s*([^\W\d_]{1,6})\s*[.!?]?\s*$", role)
        if particle and particle.group(1).islower():
            role = role[: particle.start()]
        role = role.rstrip(" .!?\"”“'")
        if not role:
            return None
        lead = " ".join(role.split()[:6])
        if not self.words.role_head.search(lead):
            return None
        return role, end

    def _gerund_role(self, sentence: Sentence) -> tuple[str, Target | None] | None:
        """'Also leading the direction of this program are A, ..., and B, ...': the phrase is a role of each."""
        words = self.words
        parts = sentence.clean.split()
        for at, word in enumerate(parts[:4]):
            if fold(word) in words.role_gerunds:
                for end in range(at + 1, len(parts)):
                    if fold(parts[end]) in words.role_copulas:
                        phrase = " ".join(parts[at:end])
                        return phrase, self.reader.role_target(phrase, sentence)
        return None

    def _split_roles(self, text: str, sentence: Sentence) -> list[tuple[str, Target | None]]:
        """'dean of X and executive director in Y' -> two roles, each with where it is held."""
        joins = "|".join(re.escape(c) for c in self.words.conjunctions if c.isalpha())
        pieces: list[str] = []
        for piece in re.split(rf"\s+(?:{joins})\s+", text) if joins else [text]:
            if pieces and not self.words.role_head.search(piece):
                joined = re.search(rf"\s+(?:{joins})\s+", text[text.find(pieces[-1]) + len(pieces[-1]) :])
                pieces[-1] += (joined.group() if joined else " ") + piece
            else:
                pieces.append(piece)
        roles = [(self._strip_article(p), self.reader.role_target(p, sentence)) for p in pieces]
        # An organisation named once after the last of several roles holds the bare ones before it too.
        last_title, last_target = roles[-1]
        shared = self.reader.trailing_place(last_title, sentence)
        if shared is not None and len(roles) > 1:
            place_text, org = shared
            bare = [k for k, (title, target) in enumerate(roles[:-1]) if target is None and not self.reader.has_object(title)]
            if bare:
                roles[-1] = (last_title[: len(last_title) - len(place_text)].rstrip(" ,"), org)
                for k in bare:
                    roles[k] = (roles[k][0], org)
        return roles

    def _strip_article(self, text: str) -> str:
        parts = text.split()
        while len(parts) > 1 and fold(parts[0]) in self.words.articles:
            parts.pop(0)
        return " ".join(parts)

    def _add_role(self, person: Person, title: str, target: Target | None, sentence: Sentence, possessive: bool = False) -> None:
        match = self.words.role_head.search(title)
        if match is None:
            name = title.lower()
        else:
            name = match.group("role").lower()
            if "-" in name and self.reader.org_named(name.rsplit("-", 1)[0], sentence) is not None:
                name = name.rsplit("-", 1)[1]
        name = " ".join(self.words.role_spellings.get(w, w) for w in name.split())
        if target is None and possessive:
            target = self.reader.org_before(sentence)
        if any(r.title == title and r.target is target for r in person.roles):
            return
        person.roles.append(Role(title, name, target, sentence))
