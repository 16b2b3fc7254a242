"""The words converters read prose with, loaded from data/lexicon/ (knowledge lives in data, not in code)."""

from pathlib import Path
from typing import Any

import yaml

from currigraph.errors import InputError

# The lexicon of this repository, used when no project names its own (tests, benchmarks, the API).
DEFAULT_PROSE = Path(__file__).resolve().parents[3] / "data" / "lexicon" / "prose.yaml"
LISTS = ("degrees", "providing_verbs", "collaboration_nouns", "organisation_words", "honorifics", "role_modifiers",
         "role_titles", "area_qualifiers", "area_introducers", "applicant_words", "completion_verbs")

_active = {"prose": DEFAULT_PROSE}


def use_prose_lexicon(path: Path) -> None:
    """Read prose with this lexicon from now on (a project's data/lexicon/prose.yaml)."""
    _active["prose"] = path


def prose_lexicon_path() -> Path:
    """The file the active prose lexicon comes from."""
    return _active["prose"]


def load_prose_lexicon(path: Path) -> dict[str, Any]:
    """A prose lexicon: word lists by name, and the plural -> singular table of organisational units."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as err:
        raise InputError(f"cannot read the prose lexicon: {err.strerror}", str(path)) from None
    except yaml.YAMLError as err:
        raise InputError(f"the prose lexicon is not valid YAML: {err}", str(path)) from None
    if not isinstance(data, dict):
        raise InputError("the prose lexicon must be a mapping of word lists", str(path))
    for key in LISTS:
        words = data.get(key)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise InputError(f"'{key}' must be a non-empty list of words", str(path))
    units = data.get("organisational_units")
    if not isinstance(units, dict) or not units or not all(isinstance(k, str) and isinstance(v, str) for k, v in units.items()):
        raise InputError("'organisational_units' must map plural words to singular ones", str(path))
    return data
