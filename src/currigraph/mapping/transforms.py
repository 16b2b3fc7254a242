"""The fixed set of value transforms a catalogue mapping may apply: each turns a list of values into a list of values.

A value is what a catalogue holds in a cell or a JSON member: text, a number or a boolean. Transforms that read
text see a number as it is written (7.5 -> "7.5"). A transform that finds nothing to keep drops the value, so a
mapping never writes an empty or half-read value.
"""

import html
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

import langcodes

from currigraph.errors import InputError
from currigraph.sources.text import language_tag

Value = str | int | float | bool | Decimal


def as_text(value: Value) -> str:
    """A value as the catalogue writes it: booleans as true/false, numbers without a trailing '.0'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _TextOfHtml(HTMLParser):
    """Collects the text of an HTML fragment; block elements and <br> end a line."""

    BLOCKS = frozenset("p div br li ul ol tr td th h1 h2 h3 h4 h5 h6 section article blockquote pre table dd dt".split())
    SKIPPED = frozenset(("script", "style", "template"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """The text of an HTML fragment (parsed, not pattern-matched): entities decoded, one line per block, spaces collapsed."""
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def parse_number(value: Value) -> Decimal | None:
    """A number as written ("7,5", " 6 ", 8) as a Decimal, or None when the value is not one number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    text = as_text(value).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+,\d+", text):  # a decimal comma, as most of Europe writes credits ("7,5")
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class Transform:
    """One step of a value's transforms: its name (as written in the mapping) and its argument."""

    name: str
    argument: Any = None

    def __call__(self, values: list[Value]) -> list[Value]:
        """Apply the step to every value, keeping the values it yields."""
        return _APPLY[self.name](self, values)


def _trim(step: Transform, values: list[Value]) -> list[Value]:
    out: list[Value] = []
    for value in values:
        if isinstance(value, str):
            value = " ".join(value.split())
            if not value:
                continue
        out.append(value)
    return out


def _strip_html(step: Transform, values: list[Value]) -> list[Value]:
    return [text for text in (strip_html(as_text(v)) for v in values) if text]


def _unescape(step: Transform, values: list[Value]) -> list[Value]:
    return [html.unescape(v) if isinstance(v, str) else v for v in values]


def _split(step: Transform, values: list[Value]) -> list[Value]:
    pattern: re.Pattern[str] = step.argument
    return [part.strip() for v in values for part in pattern.split(as_text(v)) if part.strip()]


def _regex(step: Transform, values: list[Value]) -> list[Value]:
    pattern, keep_unmatched = step.argument
    out: list[Value] = []
    for value in values:
        match = pattern.search(as_text(value))
        if match is None:
            if keep_unmatched:
                out.append(value)
            continue
        if "value" in pattern.groupindex:
            captured = match.group("value")
        elif pattern.groups:
            captured = next((g for g in match.groups() if g is not None), None)
        else:
            captured = match.group(0)
        if captured is not None and captured.strip():
            out.append(captured.strip())
    return out


def lookup_key(value: Value) -> str:
    """How lookup tables compare values: as text, case-folded, spaces collapsed."""
    return " ".join(as_text(value).split()).casefold()


def _lookup(step: Transform, values: list[Value]) -> list[Value]:
    table, keep_unmatched = step.argument
    out: list[Value] = []
    for value in values:
        key = lookup_key(value)
        if key in table:
            if table[key] is not None:
                out.append(table[key])
        elif keep_unmatched:
            out.append(value)
    return out


def _number(step: Transform, values: list[Value]) -> list[Value]:
    return [n for n in (parse_number(v) for v in values) if n is not None]


def to_language_tag(text: str) -> str | None:
    """A BCP 47 tag from a tag as written ("EN", "ita", "de_AT") or a language's name in most languages ("Italiano")."""
    text = text.strip()
    try:
        # A code is taken as one before it is looked up as a name: "EN" is English, not a language named "En".
        tag = langcodes.Language.get(text.replace("_", "-"))
        if tag.is_valid() and tag.language:
            return langcodes.standardize_tag(str(tag))
    except (LookupError, ValueError):
        pass
    return language_tag(text)


def _language_tag(step: Transform, values: list[Value]) -> list[Value]:
    return [tag for tag in (to_language_tag(as_text(v)) for v in values) if tag]


def _first(step: Transform, values: list[Value]) -> list[Value]:
    return values[:1]


_APPLY = {
    "trim": _trim, "strip-html": _strip_html, "unescape": _unescape, "split": _split, "regex": _regex,
    "lookup": _lookup, "number": _number, "language-tag": _language_tag, "first": _first,
}  # fmt: skip
# Transforms written as a bare word; the others take an argument ("split: ';'").
BARE = ("trim", "strip-html", "unescape", "number", "language-tag", "first")
WITH_ARGUMENT = ("split", "regex", "lookup")


def compile_transform(spec: object, where: str) -> Transform:
    """A transform from its mapping form: a bare name, or a one-key mapping {name: argument}."""
    if isinstance(spec, str):
        if spec in BARE:
            return Transform(spec)
        if spec in WITH_ARGUMENT:
            raise InputError(f"{where}: the transform '{spec}' needs an argument ('{spec}: ...')")
        raise InputError(f"{where}: unknown transform '{spec}' (known: {', '.join([*BARE, *WITH_ARGUMENT])})")
    if not isinstance(spec, dict) or len(spec) != 1:
        raise InputError(f"{where}: a transform is a name or a mapping with one key, such as 'regex: ...'")
    name, argument = next(iter(spec.items()))
    if name in BARE:
        raise InputError(f"{where}: the transform '{name}' takes no argument; write it as a bare name")
    if name == "split":
        separators = [argument] if isinstance(argument, str) else argument
        if not isinstance(separators, list) or not separators or not all(isinstance(s, str) and s for s in separators):
            raise InputError(f"{where}: 'split' takes a separator or a list of separators")
        return Transform("split", re.compile("|".join(re.escape(s) for s in sorted(separators, key=len, reverse=True))))
    if name == "regex":
        pattern, keep = argument, False
        if isinstance(argument, dict):
            pattern, keep = argument.get("pattern"), argument.get("unmatched", "drop") == "keep"
            if set(argument) - {"pattern", "unmatched"} or argument.get("unmatched", "drop") not in ("drop", "keep"):
                raise InputError(f"{where}: 'regex' takes a pattern, or {{pattern: ..., unmatched: keep|drop}}")
        if not isinstance(pattern, str):
            raise InputError(f"{where}: 'regex' needs a pattern (a string)")
        try:
            return Transform("regex", (re.compile(pattern), keep))
        except re.error as err:
            raise InputError(f"{where}: the regular expression does not compile: {err}") from None
    if name == "lookup":
        table, keep = argument, False
        if isinstance(argument, dict) and isinstance(argument.get("table"), dict) and set(argument) <= {"table", "unmatched"}:
            table, keep = argument["table"], argument.get("unmatched", "drop") == "keep"
        if not isinstance(table, dict) or not table:
            raise InputError(f"{where}: 'lookup' takes a table (a mapping of values to values)")
        compiled: dict[str, Value | None] = {}
        for key, value in table.items():
            if value is not None and not isinstance(value, str | int | float | bool):
                raise InputError(f"{where}: the lookup value of '{key}' must be text, a number, true/false or null")
            compiled[lookup_key(key)] = value
        return Transform("lookup", (compiled, keep))
    raise InputError(f"{where}: unknown transform '{name}' (known: {', '.join([*BARE, *WITH_ARGUMENT])})")
