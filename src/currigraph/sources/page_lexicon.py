"""The words of page structure, one file per language (data/lexicon/<lang>.yaml): status words, periods, ordinals,
terms, field keys, section names, track and course words; read by the curriculum and course converters.

Adding a language is adding a file; a file says its language (`language: de`). prose.yaml / prose-<lang>.yaml hold
the prose converter's words (sources.lexicon), units.yaml the credit units (convert.units).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from currigraph.errors import InputError
from currigraph.sources.lexicon import DEFAULT_LEXICON, prose_lexicon_path

NOT_LANGUAGES = {"prose.yaml", "units.yaml"}
ROLES = ("status", "periods", "ordinals", "terms", "keys", "sections", "tracks", "course_labels", "degree_words")


def norm(text: str) -> str:
    """Lower case, accents folded, punctuation a space, whitespace collapsed: the form words are compared in."""
    folded = unicodedata.normalize("NFKD", str(text).casefold().replace("ß", "ss"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w/]+|_", " ", plain).split())


class Phrases:
    """A set of words and phrases, each with a value, found in a text as whole words or compound starts."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, ...], Any] = {}

    def add(self, phrase: str, value: Any) -> None:
        """Add a phrase (normalised) with its value; a later file does not replace an earlier value."""
        words = tuple(norm(phrase).split())
        if words:
            self._entries.setdefault(words, value)

    def find(self, text: str, compounds: bool = True) -> list[tuple[int, int, Any]]:
        """Every (start token, token count, value) found; a word of 5+ letters also matches the start of a token
        (a compound: "Pflichtbereich"), unless `compounds` is False."""
        tokens = norm(text).split()
        found: list[tuple[int, int, Any]] = []
        for words, value in self._entries.items():
            n = len(words)
            for i in range(len(tokens) - n + 1):
                last = tokens[i + n - 1]
                if tokens[i : i + n - 1] == list(words[:-1]) and (last == words[-1] or compounds and _word_match(last, words[-1])):
                    found.append((i, n, value))
        return found

    def exact(self, text: str) -> Any:
        """The value of a text that is exactly one phrase, else None."""
        return self._entries.get(tuple(norm(text).split()))

    def __contains__(self, text: str) -> bool:
        return tuple(norm(text).split()) in self._entries


def _word_match(token: str, word: str) -> bool:
    return token == word or (len(word) >= 5 and token.startswith(word))


@dataclass
class Lexicon:
    """The merged words of every language file: status, periods, ordinals, terms, keys, sections, tracks."""

    languages: list[str] = field(default_factory=list)
    status: Phrases = field(default_factory=Phrases)
    periods: Phrases = field(default_factory=Phrases)
    ordinals: dict[str, int] = field(default_factory=dict)
    terms: Phrases = field(default_factory=Phrases)
    keys: Phrases = field(default_factory=Phrases)
    sections: Phrases = field(default_factory=Phrases)
    tracks: Phrases = field(default_factory=Phrases)
    course_labels: Phrases = field(default_factory=Phrases)
    degree_words: Phrases = field(default_factory=Phrases)
    word_language: dict[str, str] = field(default_factory=dict)  # a key or heading word -> the file it came from

    def status_of(self, text: str) -> str | None:
        """'mandatory' or 'elective' when the text uses words of only one of them; the longest word decides overlaps."""
        found = self.status.find(text)
        if not found:
            return None
        # A longer word covering a shorter one ("wahlpflicht" over "pflicht", "obligatoria de eleccion") wins.
        kept = [f for f in found if not any(o is not f and o[0] <= f[0] and f[0] + f[1] <= o[0] + o[1] and o[1] > f[1]
                                             for o in found)]
        values = {v for _, _, v in kept}
        return values.pop() if len(values) == 1 else None

    def number(self, token: str) -> int | None:
        """An ordinal or cardinal written as digits ('2', '2.', '2nd', '1:a') or as a word of any language."""
        word = norm(token)
        match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th|e|er|re|o|a|:a|:e)?", word.replace(" ", ""))
        if match:
            return int(match.group(1))
        if re.fullmatch(r"[ivx]{1,4}", word):
            return _roman(word)
        return self.ordinals.get(word)

    def period_of(self, text: str) -> tuple[str, int] | None:
        """('year' | 'semester', n) for a short text naming one numbered year or semester ('Year 2', 'Primo Anno')."""
        tokens = norm(text.replace(".", " . ")).split()
        if len(tokens) > 12:
            return None
        for start, count, kind in self.periods.find(text):
            if kind == "term":
                continue
            words = norm(text).split()
            after = words[start + count] if start + count < len(words) else ""
            before = words[start - 1] if start > 0 else ""
            for candidate in (after, before):
                n = self.number(candidate) if candidate else None
                if n:
                    return kind, n
        return None

    def term_of(self, text: str) -> str | None:
        """The text itself when it names a term ('Autumn', 'Wintersemester', 'Full Year'), else None."""
        return text.strip() if text.strip() and self.terms.find(text) else None

    def key_role(self, key: str) -> str | None:
        """The role of a field key or column header ('Kreditpunkte' -> 'credits'), or None."""
        role = self.keys.exact(key)
        if role is None:
            role = self.keys.exact(re.sub(r"\d+$", "", norm(key)))
        return role

    def section_role(self, heading: str) -> str | None:
        """The role of a section heading ('Learning outcomes' -> 'outcomes'), read without its numbering."""
        text = re.sub(r"^(?:§\s*\d+\w*|\d+(?:\.\d+)*\.?|[A-Z]\.)\s+", "", heading.strip())
        found = self.sections.find(text, compounds=False)
        if not found:
            return None
        found.sort(key=lambda f: (f[0], -f[1]))
        return found[0][2]

    def track_name(self, text: str) -> str | None:
        """The name in 'Profil „X“', 'Track: X', 'Specialisation in X' (a track word, then a quoted or labelled name)."""
        if not self.tracks.find(text):
            return None
        quoted = re.search(r"[„“\"«‚']([^„“”\"«»‘’']{3,80})[“”\"»‘’']", text)
        if quoted:
            return quoted.group(1).strip()
        return None

    def course_label(self, text: str) -> tuple[str, str] | None:
        """('Modul', 'Name (5 LP)') for 'Modul: Name (5 LP)': a course word, a colon, the entry."""
        label, sep, rest = text.partition(":")
        if sep and rest.strip() and len(label.split()) <= 2 and label.strip() and self.course_labels.exact(label):
            return label.strip(), rest.strip()
        return None


def _roman(word: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for i, ch in enumerate(word):
        v = values[ch]
        total += -v if i + 1 < len(word) and values[word[i + 1]] > v else v
    return total or None


_lexicons: dict[str, Lexicon] = {}


def lexicon_dir() -> Path:
    """The folder of the language files: the active lexicon's (a project's data/lexicon/), or the default one when
    that folder has none."""
    active = prose_lexicon_path()
    folder = active if active.is_dir() else active.parent
    return folder if (folder / "units.yaml").is_file() else DEFAULT_LEXICON


def page_lexicon(folder: Path | None = None) -> Lexicon:
    """The merged lexicon of every <lang>.yaml in the folder (read once per folder and process)."""
    folder = folder or lexicon_dir()
    key = str(folder)
    if key not in _lexicons:
        _lexicons[key] = load_page_lexicon(folder)
    return _lexicons[key]


def load_page_lexicon(folder: Path) -> Lexicon:
    """Read and merge the language files of a folder, in name order; a broken file is an InputError naming it."""
    lexicon = Lexicon()
    for path in sorted(folder.glob("*.yaml")):
        if path.name in NOT_LANGUAGES or path.name.startswith("prose"):
            continue
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise InputError(f"cannot read the lexicon: {err}", str(path)) from None
        if not isinstance(data, dict) or "language" not in data:
            continue  # not a language file (a prose lexicon, notes): language files say their language
        lexicon.languages.append(str(data.get("language") or path.stem))
        _merge(lexicon, data, path)
    return lexicon


def _merge(lexicon: Lexicon, data: dict[str, Any], path: Path) -> None:
    language = str(data.get("language") or path.stem)
    for value, words in (data.get("status") or {}).items():
        for word in words or []:
            lexicon.status.add(str(word), str(value))
    for value, words in (data.get("periods") or {}).items():
        for word in words or []:
            lexicon.periods.add(str(word), str(value))
    for word, number in (data.get("ordinals") or {}).items():
        lexicon.ordinals.setdefault(norm(str(word)), int(number))
    for word in data.get("terms") or []:
        lexicon.terms.add(str(word), True)
    for role, words in (data.get("keys") or {}).items():
        for word in words or []:
            lexicon.keys.add(str(word), str(role))
            lexicon.word_language.setdefault(norm(str(word)), language)
    for role, words in (data.get("sections") or {}).items():
        for word in words or []:
            lexicon.sections.add(str(word), str(role))
            lexicon.word_language.setdefault(norm(str(word)), language)
    for name in ("tracks", "course_labels", "degree_words"):
        for word in data.get(name) or []:
            getattr(lexicon, name).add(str(word), True)
    unknown = set(data) - {"language", "prose", *ROLES}  # a prose: section is the prose converter's (sources.lexicon)
    if unknown:
        raise InputError(f"unknown lists in a language lexicon: {', '.join(sorted(unknown))}", str(path))
