"""Small, generic text helpers shared by the converters: sentences, ordinals, enumerations, languages."""

import re

import langcodes

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
# A full stop ends a sentence unless it closes an abbreviation (a short token or an initial).
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:[A-Za-z]\.){2,}|\b(?:nr|no|No|Nr|Dr|Prof|Mr|Mrs|Ms|St|e\.g|i\.e|vs|etc|approx))\.?$")


def sentences(text: str) -> list[tuple[int, str]]:
    """Split text into sentences, returning (offset, sentence) pairs; abbreviations do not end one."""
    result: list[tuple[int, str]] = []
    start = 0
    for match in re.finditer(r"[.!?][\"”’)]?(?=\s+[\"“‘(]?[A-Z0-9])|\n\s*\n", text):
        candidate = text[start : match.end()]
        if match.group().startswith(".") and _ABBREVIATION.search(candidate.rstrip("\"”’)")):
            continue
        _append(result, text, start, match.end())
        start = match.end()
    _append(result, text, start, len(text))
    return result


def _append(result: list[tuple[int, str]], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        result.append((start + len(chunk) - len(chunk.lstrip()), " ".join(stripped.split())))


def number_word(word: str) -> int | None:
    """An ordinal or cardinal ('third', 'three', '3', '3rd') as an integer, else None."""
    word = word.lower().strip()
    if word in _ORDINALS:
        return _ORDINALS[word]
    if word in _CARDINALS:
        return _CARDINALS[word]
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?\.?", word)
    return int(match.group(1)) if match else None


def enumeration(text: str) -> list[str]:
    """Split 'A, B, C and D' (or 'or') into its items, trimmed of articles and punctuation."""
    parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text.strip().rstrip(".;:"))
    return [strip_article(p) for p in parts if p.strip()]


def strip_article(name: str) -> str:
    """Remove a leading article and surrounding whitespace from a name."""
    return re.sub(r"^(?:the|a|an)\s+", "", " ".join(name.split()), flags=re.I).strip(" ,.;:")


def language_tag(name: str) -> str | None:
    """BCP 47 tag of a language named in any language ('English', 'Deutsch', 'engelska' -> 'en') or a tag ('EN'),
    or None when it is not a language."""
    text = name.strip()
    if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*", text):
        try:
            language = langcodes.Language.get(text.replace("_", "-").lower())
            if language.is_valid() and language.language and langcodes.tag_is_valid(language.to_tag()):
                return language.language
        except (LookupError, ValueError):
            pass
    try:
        return langcodes.find(text).language
    except LookupError:
        return None
