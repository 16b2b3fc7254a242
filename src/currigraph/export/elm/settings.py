"""ELM export settings (data/elm.yaml): what LOQ requires and the sources do not say, written down by people.

The file has a `catalogue` section (defaults for every programme), overrides per programme, course, pillar and
organisation IRI (absolute, or relative to the base: `programme/xaim`), and `country_hints`, which reads the
country abbreviations partner lists use. Every value is checked here: an unknown key, a code that is not on the
EU list the key takes, or a malformed URL stops the export before anything is written.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from currigraph.export.elm.terms import CFG
from currigraph.export.elm.vocabulary import VocabularyError, language_tag, resolve

DEFAULT_BASE = "https://data.currigraph.org/"


@dataclass(frozen=True)
class Key:
    """One settings key: the kind of its values and whether it takes a list."""

    kind: str  # a concept scheme of vocabulary.SCHEMES, or tag, url, bool, text
    many: bool = False


PROGRAMME_KEYS = {
    "text_language": Key("tag"),
    "teaching_language": Key("tag"),
    "isced_f": Key("isced-f", many=True),
    "eqf_level": Key("eqf"),
    "nqf_level": Key("nqf", many=True),
    "mode": Key("mode", many=True),
    "learning_setting": Key("learning-setting"),
    "homepage": Key("url"),
    "homepage_from_iri": Key("bool"),
    "learning_outcomes": Key("text", many=True),
    "exclude": Key("bool"),
}
SCOPES: dict[str, dict[str, Key]] = {
    "catalogue": PROGRAMME_KEYS,
    "programmes": PROGRAMME_KEYS,
    "courses": {"isced_f": Key("isced-f", many=True), "learning_outcomes": Key("text", many=True)},
    "pillars": {"isced_f": Key("isced-f", many=True)},
    "organisations": {"country": Key("country"), "registration": Key("text"), "vat_identifier": Key("text"),
                      "tax_identifier": Key("text"), "eidas_legal_identifier": Key("text")},
}


class ElmSettingsError(ValueError):
    """Settings that cannot be used: the message names the file and the key."""


@dataclass(frozen=True)
class ElmSettings:
    """Checked ELM settings plus where the mappings are; build with load_settings or project_settings."""

    mappings: Path
    catalogue: Mapping[str, Any] = field(default_factory=dict)
    programmes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    courses: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    pillars: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    organisations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    country_hints: Mapping[str, str] = field(default_factory=dict)
    source: Path | None = None

    def without(self, scope: str, key: str, iri: str | None = None) -> "ElmSettings":
        """A copy with one key removed (from the catalogue, the country hints, or one IRI's entry)."""
        if scope == "catalogue":
            return _replace(self, catalogue={k: v for k, v in self.catalogue.items() if k != key})
        if scope == "country_hints":
            return _replace(self, country_hints={k: v for k, v in self.country_hints.items() if k != key})
        entries = {i: dict(v) for i, v in getattr(self, scope).items()}
        entries.get(iri or "", {}).pop(key, None)
        return _replace(self, **{scope: entries})

    def with_values(self, scope: str, values: Mapping[str, Any], iri: str | None = None) -> "ElmSettings":
        """A copy with keys set (checked like the file's), in the catalogue or in one IRI's entry."""
        if scope not in SCOPES:
            raise ElmSettingsError(f"unknown settings section {scope!r}")
        checked = _check_entry(scope, values, f"{scope}.{iri or ''}")
        if scope == "catalogue":
            return _replace(self, catalogue={**self.catalogue, **checked})
        entries = {i: dict(v) for i, v in getattr(self, scope).items()}
        entries[iri or ""] = {**entries.get(iri or "", {}), **checked}
        return _replace(self, **{scope: entries})

    def with_hints(self, hints: Mapping[str, str]) -> "ElmSettings":
        """A copy with more country hints."""
        return _replace(self, country_hints={**self.country_hints, **_check_hints(hints, "country_hints")})

    def graph(self, ignore_exclusions: bool = False) -> Graph:
        """The settings as triples in the cfg: namespace, which the mappings read."""
        graph = Graph()
        for key, value in self.catalogue.items():
            if not (ignore_exclusions and key == "exclude"):
                _add(graph, CFG.catalogue, key, value)
        for scope in ("programmes", "courses", "pillars", "organisations"):
            for iri, entry in getattr(self, scope).items():
                for key, value in entry.items():
                    if not (ignore_exclusions and key == "exclude"):
                        _add(graph, URIRef(iri), key, value)
        for hint, country in sorted(self.country_hints.items()):
            node = BNode()
            graph.add((node, RDF.type, CFG.CountryHint))
            graph.add((node, CFG.hint, Literal(hint)))
            graph.add((node, CFG.country, URIRef(country)))
        return graph


def _replace(settings: ElmSettings, **changes: Any) -> ElmSettings:
    values = {name: getattr(settings, name) for name in ElmSettings.__dataclass_fields__}
    return ElmSettings(**{**values, **changes})


def predicate(key: str) -> URIRef:
    """The cfg: predicate of a settings key (text_language -> cfg:textLanguage)."""
    head, *rest = key.split("_")
    return CFG[head + "".join(part.capitalize() for part in rest)]


def _add(graph: Graph, subject: URIRef, key: str, value: Any) -> None:
    for item in value if isinstance(value, list) else [value]:
        obj: Node
        if isinstance(item, URIRef):
            obj = item
        elif isinstance(item, bool):
            obj = Literal(item)
        elif key == "homepage":
            obj = Literal(item, datatype=XSD.anyURI)
        else:
            obj = Literal(str(item))
        graph.add((subject, predicate(key), obj))


def _check_value(key: str, spec: Key, value: Any, where: str) -> Any:
    try:
        if spec.kind == "bool":
            if not isinstance(value, bool):
                raise ElmSettingsError(f"{where}: {key} takes true or false, not {value!r}")
            return value
        if spec.kind == "tag":
            return language_tag(value)
        if spec.kind == "url":
            parts = urlsplit(str(value))
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ElmSettingsError(f"{where}: {key} takes an http(s) URL, not {value!r}")
            return str(value)
        if spec.kind == "text":
            if not isinstance(value, str) or not value.strip():
                raise ElmSettingsError(f"{where}: {key} takes text, not {value!r}")
            return " ".join(value.split())
        if spec.kind == "isced-f" and isinstance(value, int):
            # YAML reads 0613 as an octal number: the code would silently change.
            raise ElmSettingsError(f"{where}: write ISCED-F codes in quotes ({key}: \"0613\"), not {value!r}")
        return resolve(spec.kind, value)
    except VocabularyError as error:
        raise ElmSettingsError(f"{where}: {key}: {error}") from None


def _check_entry(scope: str, entry: Any, where: str) -> dict[str, Any]:
    if entry is None:
        return {}
    if not isinstance(entry, Mapping):
        raise ElmSettingsError(f"{where}: expected keys and values, not {entry!r}")
    keys = SCOPES[scope]
    checked: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in keys:
            raise ElmSettingsError(f"{where}: unknown key {key!r} (known here: {', '.join(sorted(keys))})")
        spec = keys[key]
        if spec.many:
            values = value if isinstance(value, list) else [value]
            checked[key] = [_check_value(key, spec, v, where) for v in values]
        elif isinstance(value, list):
            raise ElmSettingsError(f"{where}: {key} takes one value, not a list")
        else:
            checked[key] = _check_value(key, spec, value, where)
    return checked


def _check_hints(hints: Any, where: str) -> dict[str, str]:
    if not isinstance(hints, Mapping):
        raise ElmSettingsError(f"{where}: expected hint: country pairs, not {hints!r}")
    checked = {}
    for hint, country in hints.items():
        try:
            checked[str(hint)] = str(resolve("country", country))
        except VocabularyError as error:
            raise ElmSettingsError(f"{where}.{hint}: {error}") from None
    return checked


def _iri(key: Any, base: str, where: str) -> str:
    text = str(key)
    if text.startswith(("http://", "https://")):
        return text
    if "://" in text or text.startswith("/") or not text:
        raise ElmSettingsError(f"{where}: {text!r} is neither an http(s) IRI nor a path under the base {base}")
    return base + text


def load_settings(path: Path | None, mappings: Path, base: str = DEFAULT_BASE) -> ElmSettings:
    """Read and check a settings file (no file, or path None: no settings at all)."""
    if path is None or not path.exists():
        return ElmSettings(mappings=mappings)
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as error:
        raise ElmSettingsError(f"{path}: not YAML: {error}") from None
    if not isinstance(raw, Mapping):
        raise ElmSettingsError(f"{path}: expected sections ({', '.join(SCOPES)}, country_hints)")
    unknown = set(raw) - set(SCOPES) - {"country_hints"}
    if unknown:
        raise ElmSettingsError(f"{path}: unknown section(s) {', '.join(sorted(map(str, unknown)))}")
    sections: dict[str, Any] = {"catalogue": _check_entry("catalogue", raw.get("catalogue"), f"{path}: catalogue")}
    for scope in ("programmes", "courses", "pillars", "organisations"):
        entries = raw.get(scope) or {}
        if not isinstance(entries, Mapping):
            raise ElmSettingsError(f"{path}: {scope}: expected IRIs with their keys")
        sections[scope] = {_iri(iri, base, f"{path}: {scope}"): _check_entry(scope, entry, f"{path}: {scope}.{iri}")
                           for iri, entry in entries.items()}
    hints = _check_hints(raw.get("country_hints") or {}, f"{path}: country_hints")
    return ElmSettings(mappings=mappings, country_hints=hints, source=path, **sections)


def project_settings(root: Path, base: str = DEFAULT_BASE) -> ElmSettings:
    """The settings of a project: data/elm.yaml (if any), with the mappings of mappings/elm/."""
    return load_settings(root / "data" / "elm.yaml", root / "mappings" / "elm", base)
