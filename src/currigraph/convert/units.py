"""Credits as documents write them: the number, the unit as written, and the ECTS value where the unit is known.

The units and their ECTS factors live in data/lexicon/units.yaml (with the conventions they follow); this module
only reads short texts such as a credits cell ("7,5 hp", "4 US credits (8 ECTS credits)", "DS/5 LP", "(10cr)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml

from currigraph.errors import InputError
from currigraph.sources.page_lexicon import lexicon_dir, norm

_NUMBER = r"\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class Credits:
    """One statement of credits: the number, its text, the unit as written, the unit's name and its ECTS factor."""

    number: Decimal
    written: str  # the number as written ("7,5")
    unit: str  # the unit as written ("hp", "ECTS credits"); "" when the text gives none
    system: str  # the unit's name in units.yaml ("hp", "US credits"), "" when unknown
    factor: Decimal | None  # ECTS per unit, None when the unit has no known conversion

    @property
    def ects(self) -> Decimal | None:
        """The ECTS value, when the unit's factor is known."""
        return None if self.factor is None else (self.number * self.factor).normalize()


@dataclass(frozen=True)
class Units:
    """The credit units of units.yaml: word -> (unit name, factor), and the pattern that finds them in text."""

    words: dict[str, tuple[str, Decimal | None]]
    pattern: re.Pattern[str]

    def unit(self, text: str) -> tuple[str, Decimal | None] | None:
        """The unit a word or header names ('Kreditpunkte' -> ('CP', 1)), or None."""
        return self.words.get(norm(text))


@cache
def units(folder: Path | None = None) -> Units:
    """The units of a lexicon folder's units.yaml (read once)."""
    path = (folder or lexicon_dir()) / "units.yaml"
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise InputError(f"cannot read the credit units: {err}", str(path)) from None
    words: dict[str, tuple[str, Decimal | None]] = {}
    for name, spec in (data.get("units") or {}).items():
        factor = spec.get("ects")
        value = (str(name), Decimal(str(factor)) if factor is not None else None)
        for word in [name, *(spec.get("words") or [])]:
            words.setdefault(norm(str(word)), value)
    # Units as written: longest first, letters only at word edges ("5 hp" but not "5 hpx").
    forms = sorted({str(w) for spec in (data.get("units") or {}).values() for w in spec.get("words") or []} |
                   {str(n) for n in data.get("units") or {}}, key=len, reverse=True)
    alternatives = "|".join(re.escape(f).replace(r"\ ", r"[\s-]+") for f in forms)
    pattern = re.compile(rf"(?<![\w.,])({_NUMBER})\s*({alternatives})(?![\w])", re.I)
    return Units(words, pattern)


def decimal(text: str) -> Decimal | None:
    """A number written with a decimal point or comma, else None."""
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def credits_in(text: str, default_unit: str | None = None) -> list[Credits]:
    """Every 'number unit' statement in a short text; a bare number counts only given a default unit (a column's
    header, a field's key; "" for a number without a unit)."""
    table = units()
    found: list[Credits] = []
    for match in table.pattern.finditer(text):
        number = decimal(match.group(1))
        if number is None:
            continue
        written_unit = " ".join(match.group(2).split())
        system, factor = table.unit(written_unit) or ("", None)
        found.append(Credits(number, match.group(1), written_unit, system, factor))
    if not found and default_unit is not None:
        bare = re.fullmatch(rf"\s*\(?({_NUMBER})\)?\s*\**\s*", text)
        if bare and (number := decimal(bare.group(1))) is not None:
            system, factor = table.unit(default_unit) or ("", None) if default_unit else ("", None)
            found.append(Credits(number, bare.group(1), default_unit, system, factor))
    return found
