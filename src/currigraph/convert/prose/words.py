"""The prose lexicons of every language, merged into lookup tables and regular expressions built from their words.

Every language's words are read together: an organisation name or a degree may be written in another language than
the sentence around it. Where a language changes how a rule reads (a head word followed by a name, roles written as
compounds, a programme's name after its noun), the rule is built per language from that language's words.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from currigraph.sources.lexicon import LexiconFile, load_prose_lexicons, prose_lexicon_files, prose_lexicon_path

INSTITUTIONS, UNITS, OTHERS = "institutions", "units", "others"


def alternatives(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so 'M.Sc.' is tried before 'M.S.'); spaces match any space."""
    return _alternatives(frozenset(words))


@lru_cache(maxsize=256)
def _alternatives(words: frozenset[str]) -> str:
    unique = sorted(words, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique) or r"(?!x)x"


def fold(word: str) -> str:
    """A word compared without case."""
    return word.casefold()


@dataclass(frozen=True)
class Head:
    """A head word of organisation names: its concept, kind (institutions, units, others) and language."""

    word: str
    concept: str
    kind: str
    language: str
    after: int  # capitalised words that may follow it without a linker
    languages: frozenset[str] = frozenset()  # every language that has this head word


@dataclass(frozen=True)
class Grouped:
    """One language's "<plural> of <items>" rule: the regex and how each item's name is written."""

    pattern: re.Pattern[str]
    name: str  # "{singular} of {item}"
    language: str


@dataclass
class Words:
    """Every prose lexicon, merged: sets of words (folded where case does not matter) and compiled patterns."""

    function: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    demonstratives: set[str] = field(default_factory=set)
    conjunctions: set[str] = field(default_factory=set)
    abbreviations: set[str] = field(default_factory=set)
    months: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    heads: dict[str, Head] = field(default_factory=dict)
    singular: dict[tuple[str, str], str] = field(default_factory=dict)  # (language, concept) -> head word
    plurals: dict[str, tuple[str, str]] = field(default_factory=dict)  # plural as written -> (language, concept)
    grouped: list[Grouped] = field(default_factory=list)
    standalone: set[str] = field(default_factory=set)
    dependent_units: set[str] = field(default_factory=set)
    linkers: set[str] = field(default_factory=set)
    language_linkers: dict[str, set[str]] = field(default_factory=dict)  # language -> its name linkers
    part_of: set[str] = field(default_factory=set)
    possessive_suffixes: set[str] = field(default_factory=set)
    possessive_pronouns: set[str] = field(default_factory=set)
    plural_pronouns: set[str] = field(default_factory=set)
    place_adjective_suffixes: dict[str, set[str]] = field(default_factory=dict)  # language -> endings
    modifier_endings: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> oblique ending -> nominative
    oblique_articles: set[str] = field(default_factory=set)
    founding: set[str] = field(default_factory=set)
    particles: set[str] = field(default_factory=set)
    honorific_prefixes: set[str] = field(default_factory=set)
    honorific_suffixes: set[str] = field(default_factory=set)
    speech_verbs: set[str] = field(default_factory=set)
    role_places: set[str] = field(default_factory=set)
    role_gerunds: set[str] = field(default_factory=set)
    role_copulas: set[str] = field(default_factory=set)
    role_titles: set[str] = field(default_factory=set)
    role_spellings: dict[str, str] = field(default_factory=dict)
    director_titles: set[str] = field(default_factory=set)
    degrees: dict[str, str] = field(default_factory=dict)  # specific degree -> level
    generic_degrees: dict[str, str] = field(default_factory=dict)  # folded level word -> level
    programme_nouns: set[str] = field(default_factory=set)
    degree_nouns: set[str] = field(default_factory=set)
    subject_linkers: set[str] = field(default_factory=set)
    subject_stops: set[str] = field(default_factory=set)
    other_words: set[str] = field(default_factory=set)
    providing_verbs: set[str] = field(default_factory=set)
    by_words: set[str] = field(default_factory=set)
    providing_actions: set[str] = field(default_factory=set)
    provider_places: set[str] = field(default_factory=set)
    auxiliaries: set[str] = field(default_factory=set)
    collaboration_phrases: set[str] = field(default_factory=set)
    track_words: set[str] = field(default_factory=set)
    total_credit_markers: set[str] = field(default_factory=set)
    credit_units: set[str] = field(default_factory=set)
    year_words: set[str] = field(default_factory=set)
    area_qualifiers: set[str] = field(default_factory=set)
    area_introducers: set[str] = field(default_factory=set)
    applicant_words: set[str] = field(default_factory=set)
    completion_verbs: set[str] = field(default_factory=set)
    # Per-language patterns.
    role_head: re.Pattern[str] = re.compile(r"(?!x)x")
    compound_programmes: re.Pattern[str] = re.compile(r"(?!x)x")  # "Masterstudiengang": (level word)(noun)
    name_after_noun: re.Pattern[str] = re.compile(r"(?!x)x")  # "Studiengang Wirtschaftsinformatik"

    def head(self, token: str) -> Head | None:
        """The head word a token is (or ends with, after a hyphen: "Carl-Muster-Universität"), or None."""
        found = self.heads.get(token)
        if found is None and "-" in token:
            found = self.heads.get(token.rsplit("-", 1)[1])
        return found

    def tail_linkers(self, head: Head) -> set[str]:
        """The linking words a name may continue with after its head: those of the head word's languages."""
        return set().union(*(self.language_linkers.get(lang, set()) for lang in head.languages or {head.language}))

    def is_function(self, token: str) -> bool:
        """True for words never at the start of a name (articles, prepositions, pronouns ...)."""
        return fold(token) in self.function


def compiled_words() -> Words:
    """The merged words of the active lexicon, compiled once per version of its files."""
    path = prose_lexicon_path()
    stamps = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in prose_lexicon_files(path) if p.exists())
    return _compile(path, stamps)


@lru_cache(maxsize=4)
def _compile(path: Path, _stamps: tuple[tuple[str, int, int], ...]) -> Words:
    return build_words(load_prose_lexicons(path))


def _folded(values: Iterable[str]) -> set[str]:
    return {fold(v) for v in values}


def build_words(files: list[LexiconFile]) -> Words:
    """Merge lexicon files into one Words."""
    w = Words()
    role_parts: list[str] = []
    compounds: list[str] = []
    after_noun: list[str] = []
    for lexicon in files:
        words, language = lexicon.words, lexicon.language
        get = words.get
        w.function |= _folded(get("function_words", [])) | _folded(get("articles", []))
        w.articles |= _folded(get("articles", []))
        w.demonstratives |= _folded(get("demonstratives", []))
        w.function |= w.demonstratives
        w.conjunctions |= set(get("conjunctions", []))
        w.abbreviations |= set(get("abbreviations", []))
        w.months |= set(get("months", []))
        w.counts.update({fold(k): v for k, v in get("counts", {}).items()})
        organisations = get("organisations", {})
        after = get("words_after_head", 0)
        for kind in (INSTITUTIONS, UNITS, OTHERS):
            for concept, heads in organisations.get(kind, {}).items():
                w.singular.setdefault((language, concept), heads[0])
                for word in heads:
                    known = w.heads.get(word)
                    languages = frozenset({language} | (known.languages if known else set()))
                    w.heads[word] = Head(word, concept, kind, language, max(after, known.after if known else 0), languages)
        for form, word in organisations.get("head_forms", {}).items():
            if word in w.heads:
                w.heads[form] = w.heads[word]
        for plural, concept in organisations.get("plurals", {}).items():
            w.plurals[plural] = (language, concept)
        w.standalone |= set(get("standalone_units", []))
        w.dependent_units |= set(get("dependent_units", []))
        w.linkers |= set(get("name_linkers", []))
        w.language_linkers.setdefault(language, set()).update(get("name_linkers", []))
        w.part_of |= set(get("part_of", []))
        w.possessive_suffixes |= set(get("possessive_suffixes", []))
        w.possessive_pronouns |= _folded(get("possessive_pronouns", []))
        w.plural_pronouns |= _folded(get("plural_pronouns", []))
        w.place_adjective_suffixes.setdefault(language, set()).update(get("place_adjective_suffixes", []))
        w.modifier_endings.setdefault(language, {}).update(get("modifier_endings", {}))
        w.oblique_articles |= _folded(get("oblique_articles", []))
        w.founding |= _folded(get("founding_actions", []))
        w.particles |= set(get("person_particles", []))
        w.honorific_prefixes |= set(get("honorific_prefixes", []))
        w.honorific_suffixes |= set(get("honorific_suffixes", []))
        w.speech_verbs |= set(get("speech_verbs", []))
        w.role_places |= set(get("role_places", []))
        w.role_gerunds |= _folded(get("role_gerunds", []))
        w.role_copulas |= _folded(get("role_copulas", []))
        w.role_spellings.update(get("role_spellings", {}))
        w.director_titles |= _folded(get("director_titles", []))
        titles = get("role_titles", [])
        w.role_titles |= _folded(titles)
        if titles:
            modifiers = get("role_modifiers", [])
            lead = rf"(?:(?:{alternatives(modifiers)})[\s-]+)*" if modifiers else ""
            # A compound ends with the title ("Studiendekan", "TUS-Student"); otherwise the title is a word.
            start = r"[\w-]*?" if get("role_compounds", False) else r"\b"
            role_parts.append(rf"{lead}{start}(?:{alternatives(titles)})")
        for level, names in get("degrees", {}).items():
            w.degrees.update({name: level for name in names})
        for level, names in get("generic_degrees", {}).items():
            w.generic_degrees.update({fold(name): level for name in names})
        nouns = get("programme_nouns", [])
        w.programme_nouns |= set(nouns)
        if get("programme_compounds"):
            levels = [n for names in get("generic_degrees", {}).values() for n in names]
            compounds.append(rf"(?P<level>{alternatives(levels)})(?P<noun>{alternatives(get('programme_compounds'))})")
        if get("name_after_noun"):
            levels = [n for names in get("generic_degrees", {}).values() for n in names]
            heads = [*nouns, *levels] + [rf"{lv}{c}" for lv in levels for c in get("programme_compounds", [])]
            after_noun.append(alternatives(heads))
        for key in ("degree_nouns", "subject_linkers", "providing_verbs", "by_words", "provider_places", "auxiliaries",
                    "collaboration_phrases", "total_credit_markers", "credit_units", "area_introducers",
                    "applicant_words", "completion_verbs", "area_qualifiers"):
            getattr(w, key).update(get(key, []))
        for key, attr in (("subject_stops", "subject_stops"), ("other_words", "other_words"),
                          ("providing_actions", "providing_actions"), ("track_words", "track_words"),
                          ("year_words", "year_words")):
            getattr(w, attr).update(_folded(get(key, [])))
        template, name = get("grouped_units"), get("unit_name")
        plurals = list(organisations.get("plurals", {}))
        if template and name and plurals:
            w.grouped.append(Grouped(_grouped_pattern(template, plurals, get("conjunctions", [])), name, language))
    if role_parts:
        w.role_head = re.compile(rf"(?P<role>{'|'.join(role_parts)})\b", re.I)
    if compounds:
        w.compound_programmes = re.compile(rf"\b(?:{'|'.join(compounds)})\b", re.I)
    if after_noun:
        w.name_after_noun = re.compile(rf"\b(?P<noun>{'|'.join(after_noun)})\b", re.I)
    return w


def _grouped_pattern(template: str, plurals: list[str], conjunctions: list[str]) -> re.Pattern[str]:
    """'{plural} of {items}' as a regex: the plural, then where the items start (the reader reads them)."""
    body = re.escape(template).replace(r"\{plural\}", f"(?P<plural>{alternatives(plurals)})").replace(r"\{items\}", r"(?P<items>(?=\w))")
    return re.compile(r"\b" + body.replace(r"\ ", r"\s+"))
