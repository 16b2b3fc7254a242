"""Programmes in prose: how a sentence names one, which mentions are the same programme, and which become programmes.

A programme is named by a degree and a subject ("M.S. in Robotics", "Master of Professional Science in X", "master's in
data science", "MS in DS"), a subject before a degree ("HPC MSc programme"), a name after a programme
noun ("Masterstudiengang Data Science", "Studiengang Wirtschaftsinformatik"), a quoted name in the sentence of
a programme noun ("mit „Angewandte Robotik“ einen Bachelorstudiengang"), or a list item that is nothing but one
("Study programme MIE"). "This program", "the degree", "einem neuen Masterstudiengang" name no programme but refer
to the one the sentence, paragraph, section or document is about.
"""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from currigraph.convert.prose.layout import Sentence
from currigraph.convert.prose.names import initials, is_acronym, is_capitalised, tokens
from currigraph.convert.prose.organisations import Org
from currigraph.convert.prose.words import Words, alternatives, fold
from currigraph.iris import slugify

if TYPE_CHECKING:
    from currigraph.convert.prose.reader import Reader

_QUOTES = {"„": "“", "“": "”", '"': '"', "«": "»", "‚": "‘", "»": "«"}
MAX_SUBJECT_WORDS = 8
MAX_LOWER_SUBJECT_WORDS = 4


@dataclass(eq=False)
class Mention:
    """A programme named (or referred to) in a sentence."""

    sentence: Sentence
    start: int
    end: int
    written: str
    name: str | None = None  # the name this mention gives; None: "this program", "einem neuen Masterstudiengang"
    alternate: str | None = None  # another name it gives ("M.S. program in X" beside "M.S. in X")
    subject: str | None = None
    degree: str | None = None  # as written
    specific: bool = False  # a degree's name or abbreviation, not a level word
    level: str | None = None
    abbreviation: str | None = None  # "(MScAE)" written after it
    strong: bool = False  # a name after a programme noun or in quotes: a programme, whatever else is said
    fused: bool = False  # an abbreviation like "MScAE" (it may qualify another noun: "the MScAE open days")
    scope: int | None = None  # the organisation of the guide section or list item it is in
    programme: "Programme | None" = None


@dataclass(eq=False)
class Programme:
    """A programme of the document: its mentions, providers and what sentences say about it."""

    mentions: list[Mention] = field(default_factory=list)
    providers: dict[int, tuple[Org, Sentence]] = field(default_factory=dict)
    evidence: bool = False  # a sentence introduces it: provided, named twice, named in its own section ...
    iri: URIRef | None = None  # once written
    slug: str = ""

    @property
    def named(self) -> list[Mention]:
        """The mentions that name it."""
        return [m for m in self.mentions if m.name]

    @property
    def name(self) -> str:
        """Its name: the first name given with a degree's name, else the first name."""
        specific = [m for m in self.named if m.specific]
        return (specific or self.named)[0].name or ""

    @property
    def names(self) -> list[str]:
        """Every name the document gives it, its name first."""
        found = [self.name]
        for m in self.named:
            for n in (m.name, m.alternate, m.abbreviation):
                if n and n not in found:
                    found.append(n)
        return found

    @property
    def degree(self) -> Mention | None:
        """The mention giving its most specific degree."""
        with_degree = [m for m in self.mentions if m.degree]
        specific = [m for m in with_degree if m.specific]
        return (specific or with_degree or [None])[0]

    @property
    def level(self) -> str | None:
        """Its level (master, bachelor ...) if a mention says."""
        return next((m.level for m in self.mentions if m.level), None)


class Patterns:
    """The regular expressions of programme mentions, built from the lexicon's words."""

    def __init__(self, words: Words) -> None:
        nouns = alternatives(words.programme_nouns | words.degree_nouns)
        specific = rf"(?<![\w.])(?P<spec>{alternatives(words.degrees)})(?![\w])"
        generic = rf"(?<![\w'])(?P<gen>(?i:{alternatives(words.generic_degrees)}))(?![\w'])"
        degree = f"(?:{specific}|{generic})"
        link = alternatives(words.subject_linkers or {"in"})
        self.degree_first = re.compile(rf"{degree}(?:\s+(?P<noun>(?i:{nouns})))?\s+(?:{link})\s+(?=(?P<rest>\S))")
        programme_nouns = alternatives(words.programme_nouns)
        self.noun_first = re.compile(rf"(?<![\w-])(?P<noun>(?i:{programme_nouns}))\s+(?:{link})\s+(?=(?P<rest>\S))")
        words_before = r"(?:[^\W\d_][\w-]*\s+){0,3}[^\W\d_][\w-]*"
        degrees = alternatives(words.degrees)
        self.subject_first = re.compile(rf"\b(?P<subject>{words_before})\s+(?P<spec>{degrees})\s+(?P<noun>(?i:{nouns}))\b")
        self.noun = re.compile(rf"(?<![\w-])(?P<noun>(?i:{programme_nouns}))(?![\w-])")
        short_degrees = alternatives(d.replace(".", "") for d in words.degrees if len(d) <= 6)
        self.fused = re.compile(rf"\b(?P<degree>{short_degrees})(?P<rest>[A-Z]{{1,4}})\b")  # "MScAE"
        self.list_item = re.compile(rf"^(?P<noun>(?i:{programme_nouns}))\s+(?P<name>\S.*)$")
        place_words = {p for p in words.provider_places if " " not in p}
        self.subject_linkers = (words.linkers | words.subject_linkers) - place_words


def subject_at(rest: str, words: Words, patterns: Patterns) -> tuple[str, int] | None:
    """The subject at the start of a text and its length: quoted, capitalised words, or a few lower-case words."""
    if rest[:1] in _QUOTES:
        close = rest.find(_QUOTES[rest[0]], 1)
        if 1 < close <= 80:
            return rest[1:close].strip(), close + 1
        return None
    toks = tokens(rest, words)
    taken = []
    if toks and (is_capitalised(toks[0].text) or is_acronym(toks[0].text)):
        for i, t in enumerate(toks):
            if taken and rest[taken[-1].end : t.start].strip():
                break
            if words.head(t.text) and taken:
                break  # "Data Science des Fachbereichs X": an organisation's name ends the programme's
            if t.word and (is_capitalised(t.text) or is_acronym(t.text)) and not words.is_function(t.text):
                taken.append(t)
            elif taken and t.text in patterns.subject_linkers and t.text.casefold() not in words.articles \
                    and i + 1 < len(toks) and is_capitalised(toks[i + 1].text):
                taken.append(t)
            else:
                break
            if len(taken) >= MAX_SUBJECT_WORDS:
                break
        while taken and taken[-1].text in patterns.subject_linkers:
            taken.pop()
    else:
        for i, t in enumerate(toks):
            if taken and rest[taken[-1].end : t.start].strip():
                break
            folded = fold(t.text)
            joining = t.text in words.conjunctions and taken and i + 1 < len(toks) and toks[i + 1].text.islower()
            if t.word and t.text.isalpha() and t.text.islower() and folded not in words.subject_stops or joining:
                taken.append(t)
            else:
                break
            if len([x for x in taken if x.text not in words.conjunctions]) > MAX_LOWER_SUBJECT_WORDS:
                return None
        while taken and taken[-1].text in words.conjunctions:
            taken.pop()
    if not taken:
        return None
    return rest[: taken[-1].end], taken[-1].end


def _abbreviation(text: str) -> bool:
    """A short form of a name: no spaces, two capitals or more ("MScAE", "DS")."""
    return text.isalnum() and sum(c.isupper() for c in text) >= 2 and len(text) <= 12


def _abbreviation_after(text: str, end: int) -> tuple[str, int] | None:
    """'(MScAE)' right after a name: the abbreviation and where the parenthesis closes."""
    match = re.match(r"\s*\((?P<abbr>[^()\s]{2,12})\)", text[end:])
    return (match.group("abbr"), end + match.end()) if match else None


def mentions_in(sentence: Sentence, words: Words, patterns: Patterns, in_list: bool) -> list[Mention]:
    """Every programme mention of a sentence, named ones first in the order written, then the references."""
    text = sentence.clean
    found: list[Mention] = []

    def overlaps(start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in found)

    for match in patterns.degree_first.finditer(text):
        subject = subject_at(text[match.start("rest") :], words, patterns)
        if subject is None:
            continue
        end = match.start("rest") + subject[1]
        if overlaps(match.start(), end):
            continue
        spec, gen, noun = match.group("spec"), match.group("gen"), match.group("noun")
        degree = spec or gen
        level = words.degrees[spec] if spec else words.generic_degrees.get(fold(gen))
        written = text[match.start() : end]
        subject_text = subject[0].strip("„“”\"«»‚‘")
        mention = Mention(sentence, match.start(), end, written, subject=subject_text, level=level, specific=bool(spec))
        programme_noun = noun is not None and noun.casefold() in {n.casefold() for n in words.programme_nouns}
        if spec or not programme_noun:
            mention.name = f"{degree} in {subject_text}"
            mention.degree = degree
            if programme_noun:
                mention.alternate = written  # "M.S. program in X", as the document also calls it
        else:  # "the master's programme in Computer Science": a level and a programme noun; the name is the subject
            mention.name, mention.alternate, mention.degree = subject_text, written, f"{gen} {noun}"
        abbreviation = _abbreviation_after(text, end)
        if abbreviation and abbreviation[0] != initials(subject_text, words).upper() and _abbreviation(abbreviation[0]):
            mention.abbreviation = abbreviation[0]
        found.append(mention)
    for match in patterns.noun_first.finditer(text):
        subject = subject_at(text[match.start("rest") :], words, patterns)
        if subject is None or not is_capitalised(subject[0]):
            continue
        end = match.start("rest") + subject[1]
        if not overlaps(match.start(), end):
            found.append(Mention(sentence, match.start(), end, text[match.start() : end], name=subject[0],
                                 alternate=text[match.start() : end], subject=subject[0]))
    for match in patterns.subject_first.finditer(text):
        subject = match.group("subject").split()
        while subject and (words.is_function(subject[0]) or not (is_capitalised(subject[0]) or is_acronym(subject[0]))):
            subject.pop(0)  # "This Data Science MSc programme": the subject is what is capitalised before the degree
        if subject and all(is_capitalised(w) or is_acronym(w) for w in subject):
            start = match.start("subject") + match.group("subject").find(subject[0])
            if not overlaps(start, match.end()):
                spec = match.group("spec")
                found.append(Mention(sentence, start, match.end(), text[start : match.end()], name=text[start : match.end()],
                                     subject=" ".join(subject), degree=spec, specific=True, level=words.degrees[spec]))
    for match in words.name_after_noun.finditer(text):
        rest = text[match.end() :]
        if not rest.startswith(" "):
            continue
        subject = subject_at(rest.lstrip(), words, patterns)
        if subject is None or not (is_capitalised(subject[0]) or rest.lstrip()[:1] in _QUOTES):
            continue
        start, end = match.start(), match.end() + (len(rest) - len(rest.lstrip())) + subject[1]
        if overlaps(start, end) or words.head(subject[0].split()[0]):
            continue
        level, degree = _level_of(match.group("noun"), words)
        found.append(Mention(sentence, start, end, text[start:end], name=subject[0].strip("„“”\"«»‚‘"), subject=subject[0],
                             degree=degree, level=level, strong=True))
    if in_list:
        item = patterns.list_item.match(text.rstrip(":. "))
        if item and len(item.group("name").split()) <= 6 and is_capitalised(item.group("name")) and not found:
            found.append(Mention(sentence, 0, len(text), text, name=text.rstrip(":. "), subject=item.group("name"), strong=True))
    named = bool(found)
    for match in patterns.noun.finditer(text):
        if not overlaps(match.start(), match.end()):
            found.append(Mention(sentence, match.start(), match.end(), match.group()))
    for match in words.compound_programmes.finditer(text):
        if not overlaps(match.start(), match.end()):
            level, degree = _level_of(match.group(), words)
            found.append(Mention(sentence, match.start(), match.end(), match.group(), degree=degree, level=level))
    if not named:
        _quoted_name(text, found, words)
    return found


def _level_of(noun: str, words: Words) -> tuple[str | None, str | None]:
    """The level and degree a programme noun carries ("Masterstudiengang" -> master, "Master")."""
    compound = words.compound_programmes.fullmatch(noun)
    word = compound.group("level") if compound else noun
    level = words.generic_degrees.get(fold(word))
    return level, (word if level else None)


def _quoted_name(text: str, found: list[Mention], words: Words) -> None:
    """'mit „AI Engineering“ einen Bachelorstudiengang': the one quoted name of a sentence that refers to a programme
    by a noun with its level names that programme."""
    with_level = [m for m in found if m.name is None and m.level]
    quoted = [m for m in re.finditer(r"[„“\"«]([^„“”\"«»]{2,60})[“”\"»]", text) if is_capitalised(m.group(1).strip())]
    if len(with_level) == 1 and len(quoted) == 1 and len(quoted[0].group(1).split()) <= 6:
        mention = with_level[0]
        mention.name = mention.subject = quoted[0].group(1).strip()
        mention.strong = True


def same_subject(a: str, b: str, words: Words) -> bool:
    """Two subjects are one when equal as slugs, or one is the other's initials ("DS", "data science")."""
    if slugify(a) == slugify(b):
        return True
    for short, long in ((a, b), (b, a)):
        if is_acronym(short) and len(long.split()) > 1:
            letters = "".join(w[0] for w in long.replace("-", " ").split() if w not in words.linkers and w not in words.conjunctions)
            if short.casefold() == letters.casefold():
                return True
    return False


def fused_alias(token: str, programme: Programme, words: Words, patterns: Patterns) -> bool:
    """'MScAE' for a Master of Science in Applied Ecology: a degree's abbreviation fused with the subject's initials."""
    match = patterns.fused.fullmatch(token)
    if not match:
        return False
    level = next((lv for d, lv in words.degrees.items() if d.replace(".", "") == match.group("degree")), None)
    subject = next((m.subject for m in programme.named if m.subject), None)
    return bool(subject) and level == programme.level and initials(subject, words).upper() == match.group("rest")


class Programmes:
    """The programmes of one document."""

    def __init__(self, reader: "Reader") -> None:
        self.reader = reader
        self.words = reader.words
        self.patterns = Patterns(reader.words)
        self.mentions: list[list[Mention]] = []
        self.all: list[Programme] = []

    def read_mentions(self) -> None:
        """Read every sentence's programme mentions."""
        layout = self.reader.layout
        for sentence in self.reader.sentences:
            in_list = layout.paragraphs[sentence.paragraph].kind in ("item", "heading")
            self.mentions.append(mentions_in(sentence, self.words, self.patterns, in_list))

    def group(self) -> None:
        """Group the named mentions into programmes (a guide's sections keep theirs apart)."""
        for sentence, found in zip(self.reader.sentences, self.mentions, strict=True):
            scope = self.reader.scope_of(sentence)
            for mention in found:
                mention.scope = scope
        for found in self.mentions:
            for mention in found:
                if mention.name:
                    self._join(mention)
        self._fused()

    def _join(self, mention: Mention) -> None:
        for programme in self.all:
            first = programme.named[0]
            if first.scope != mention.scope:
                continue
            if mention.level and programme.level and mention.level != programme.level:
                continue
            if any(m.subject and mention.subject and same_subject(m.subject, mention.subject, self.words) for m in programme.named):
                programme.mentions.append(mention)
                mention.programme = programme
                return
        programme = Programme([mention])
        mention.programme = programme
        self.all.append(programme)

    def _fused(self) -> None:
        """A token like 'MScAE' anywhere names the programme whose degree and subject it fuses."""
        for index, sentence in enumerate(self.reader.sentences):
            for token in sentence.clean.split():
                token = token.strip(".,;:()")
                for programme in self.all:
                    if fused_alias(token, programme, self.words, self.patterns):
                        start = sentence.clean.find(token)
                        mention = Mention(sentence, start, start + len(token), token, name=None, programme=programme, fused=True)
                        mention.abbreviation = token
                        programme.mentions.append(mention)
                        self.mentions[index].append(mention)

    def of_sentence(self, sentence: Sentence, level: str | None = None) -> Programme | None:
        """The programme a sentence is about: named in it, else the one of its paragraph, section or document."""
        named = {m.programme for m in self.mentions[sentence.index] if m.programme is not None and m.programme in self.kept()}
        if len(named) == 1:
            return named.pop()
        if named:
            return None
        layout = self.reader.layout
        paragraph = layout.paragraphs[sentence.paragraph]
        section = [i for p in layout.sections[sentence.section].paragraphs for i in layout.paragraphs[p].sentences]
        for group in (paragraph.sentences, section):
            found = {m.programme for i in group for m in self.mentions[i] if m.programme in self.kept()}
            if level:
                found = {p for p in found if p.level in (None, level)}
            if len(found) == 1:
                return found.pop()
            if found:
                return None
        kept = [p for p in self.kept() if p.mentions[0].scope == self.reader.scope_of(sentence)]
        if level:
            kept = [p for p in kept if p.level in (None, level)]
        return kept[0] if len(kept) == 1 else None

    def of_mention(self, mention: Mention) -> Programme | None:
        """The programme a mention names or refers to."""
        if mention.programme is not None:
            return mention.programme if mention.programme in self.kept() else None
        return self.of_sentence(mention.sentence, mention.level)

    def kept(self) -> list[Programme]:
        """The programmes the document introduces (not every degree named in passing)."""
        return [p for p in self.all if p.evidence]
