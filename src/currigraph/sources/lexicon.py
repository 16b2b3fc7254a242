"""The words converters read prose with, loaded from data/lexicon/ (knowledge lives in data, not in code).

A lexicon is a folder of YAML files, one per language: `prose.yaml` (English), `prose-<lang>.yaml`, and the
`prose:` section of `<lang>.yaml` (the one-file-per-language form the curriculum words use; both forms may be
present and are read together). A single file may also be named, and then only it is read. docs/prose.md
describes every key.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from currigraph.errors import InputError
from currigraph.resources import default_file

# The lexicon of this repository (or the wheel's copy of it), used when no project names its own (tests, benchmarks, the API).
DEFAULT_LEXICON = default_file("data/lexicon")
DEFAULT_PROSE = DEFAULT_LEXICON / "prose.yaml"

# Every key a prose lexicon may hold, with the shape of its value. A key present must hold something.
WORDS, MAPPING, COUNTS, NUMBER, FLAG, TEMPLATE, LEVELS, ORGANISATIONS = (
    "words", "mapping", "counts", "number", "flag", "template", "levels", "organisations")
KEYS: dict[str, str] = {
    "function_words": WORDS, "articles": WORDS, "demonstratives": WORDS, "conjunctions": WORDS, "abbreviations": WORDS, "months": WORDS,
    "counts": COUNTS, "organisations": ORGANISATIONS, "standalone_units": WORDS, "dependent_units": WORDS, "name_linkers": WORDS,
    "words_after_head": NUMBER, "grouped_units": TEMPLATE, "unit_name": TEMPLATE, "part_of": WORDS,
    "possessive_suffixes": WORDS, "possessive_pronouns": WORDS, "plural_pronouns": WORDS,
    "place_adjective_suffixes": WORDS, "founding_actions": WORDS, "person_particles": WORDS, "role_places": WORDS,
    "role_spellings": MAPPING, "director_titles": WORDS, "modifier_endings": MAPPING, "oblique_articles": WORDS,
    "honorific_prefixes": WORDS, "honorific_suffixes": WORDS,
    "speech_verbs": WORDS, "role_modifiers": WORDS, "role_titles": WORDS, "role_compounds": FLAG,
    "role_gerunds": WORDS, "role_copulas": WORDS, "degrees": LEVELS, "generic_degrees": LEVELS,
    "programme_nouns": WORDS, "programme_compounds": WORDS, "name_after_noun": FLAG, "degree_nouns": WORDS,
    "subject_linkers": WORDS, "subject_stops": WORDS, "other_words": WORDS, "providing_verbs": WORDS,
    "by_words": WORDS, "providing_actions": WORDS, "provider_places": WORDS, "auxiliaries": WORDS, "collaboration_phrases": WORDS,
    "track_words": WORDS, "total_credit_markers": WORDS, "credit_units": WORDS, "year_words": WORDS,
    "area_qualifiers": WORDS, "area_introducers": WORDS, "applicant_words": WORDS, "completion_verbs": WORDS,
}
ORGANISATION_KINDS = ("institutions", "units", "others")
_LANGUAGE_FILE = re.compile(r"^(?:prose-)?(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)?)\.ya?ml$")

_active = {"prose": DEFAULT_LEXICON}


@dataclass(frozen=True)
class LexiconFile:
    """The prose words of one language, as one file (or one file's `prose:` section) gives them."""

    path: Path
    language: str
    words: dict[str, Any]


def use_prose_lexicon(path: Path) -> None:
    """Read prose with this lexicon from now on: a folder (every language in it) or a single file."""
    _active["prose"] = path


def prose_lexicon_path() -> Path:
    """The folder or file the active prose lexicon comes from."""
    return _active["prose"]


def prose_lexicon_files(path: Path | None = None) -> list[Path]:
    """The files a lexicon is read from, in a stable order (a folder's prose files; a file alone)."""
    path = path or prose_lexicon_path()
    if not path.is_dir():
        return [path]
    found = [p for p in sorted(path.iterdir()) if p.is_file() and (p.name == "prose.yaml" or _LANGUAGE_FILE.match(p.name))]
    return [p for p in found if p.name.startswith("prose") or _has_prose_section(p)]


def _has_prose_section(path: Path) -> bool:
    """True when a <lang>.yaml file of page words also has a `prose:` section (then it counts as a prose lexicon)."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError):
        return True  # read (and reported) by _read, which says what is wrong
    return isinstance(data, dict) and "prose" in data


def load_prose_lexicon(path: Path) -> dict[str, Any]:
    """One file's prose words, checked (a `prose:` section when the file has one)."""
    return _read(path).words


def load_prose_lexicons(path: Path | None = None) -> list[LexiconFile]:
    """Every language of a lexicon (folder or file), checked; InputError naming the file and key on a bad one."""
    files = [_read(p) for p in prose_lexicon_files(path)]
    if not files:
        raise InputError("no prose lexicon found (prose.yaml, prose-<lang>.yaml or <lang>.yaml with a prose: section)",
                         str(path or prose_lexicon_path()))
    return files


def _read(path: Path) -> LexiconFile:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as err:
        raise InputError(f"cannot read the prose lexicon: {err.strerror}", str(path)) from None
    except yaml.YAMLError as err:
        raise InputError(f"the prose lexicon is not valid YAML: {err}", str(path)) from None
    if not isinstance(data, dict):
        raise InputError("the prose lexicon must be a mapping of word lists", str(path))
    if not path.name.startswith("prose"):
        data = data.get("prose")
        if not isinstance(data, dict):
            raise InputError("the 'prose' section must be a mapping of word lists", str(path))
    data = dict(data)
    named = _LANGUAGE_FILE.match(path.name)
    language = data.pop("language", None) or (named.group("lang") if named and path.name != "prose.yaml" else "en")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]+)?", language):
        raise InputError("'language' must be a language tag such as 'de'", str(path))
    for key, value in data.items():
        if key not in KEYS:
            raise InputError(f"unknown key '{key}' (docs/prose.md lists the keys of a prose lexicon)", str(path))
        problem = _check(KEYS[key], value)
        if problem:
            raise InputError(f"'{key}' {problem}", str(path))
    return LexiconFile(path, language, data)


def _words(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(w, str) and w.strip() for w in value)


def _check(shape: str, value: Any) -> str | None:
    """What is wrong with a value of this shape, or None."""
    if shape == WORDS:
        return None if _words(value) else "must be a non-empty list of words"
    if shape == MAPPING:
        ok = isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        return None if ok else "must map words to words"
    if shape == FLAG:
        return None if isinstance(value, bool) else "must be true or false"
    if shape == NUMBER:
        return None if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 5 else "must be a whole number from 0 to 5"
    if shape == TEMPLATE:
        return None if isinstance(value, str) and "{" in value else "must be a text with {placeholders}"
    if shape == COUNTS:
        ok = isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(v, int) for k, v in value.items())
        return None if ok else "must map number words to numbers"
    if shape == LEVELS:
        ok = isinstance(value, dict) and value and all(isinstance(k, str) and _words(v) for k, v in value.items())
        return None if ok else "must map degree levels to non-empty lists of words"
    if shape == ORGANISATIONS:
        if not isinstance(value, dict) or not value:
            return "must be a mapping of institutions, units, others, plurals and head_forms"
        for kind, concepts in value.items():
            if kind in ORGANISATION_KINDS:
                if not isinstance(concepts, dict) or not all(isinstance(k, str) and _words(v) for k, v in concepts.items()):
                    return f"{kind} must map concepts to non-empty lists of head words"
            elif kind in ("plurals", "head_forms"):
                if not isinstance(concepts, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in concepts.items()):
                    return f"{kind} must map words to words"
            else:
                return f"has an unknown part '{kind}'"
        return None
    return None
