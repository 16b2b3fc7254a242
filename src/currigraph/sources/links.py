"""The link table: what a project knows about organisations that its documents do not say (data/links.yaml).

Each entry names an organisation (and the aliases documents use for it) and may give its ROR id, Wikidata item,
ISO 3166-1 country and, for a unit, the entry of its parent. Country hints map the abbreviations programme pages
write after partners ("D", "UK") to ISO codes. The format is in docs/identity.md. Names are compared as slugs
(case, accents and punctuation folded), the way organisation IRIs are minted.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import langcodes
import yaml

from currigraph.errors import InputError
from currigraph.iris import slugify

ROR_PREFIX = "https://ror.org/"
WIKIDATA_PREFIX = "http://www.wikidata.org/entity/"
_ROR = re.compile(r"^(?:https?://ror\.org/)?(?P<id>0[0-9a-hjkmnp-tv-z]{6}[0-9]{2})$")
_QID = re.compile(r"^(?:https?://www\.wikidata\.org/(?:entity|wiki)/)?(?P<id>Q[1-9][0-9]*)$")
_ENTRY_KEYS = {"name", "aliases", "ror", "wikidata", "country", "parent"}

_active: dict[str, Path | None] = {"links": None}
_cache: dict[tuple[str, int, int], "LinkTable"] = {}


@dataclass(frozen=True)
class LinkEntry:
    """One organisation of the table."""

    name: str
    aliases: tuple[str, ...] = ()
    ror: str | None = None  # the bare id ("05f82e368")
    wikidata: str | None = None  # the QID ("Q219317")
    country: str | None = None  # ISO 3166-1 alpha-2
    parent: str | None = None  # the name of the parent's entry
    line: int = 0  # its line in the table file, for provenance

    def iris(self) -> list[str]:
        """The external identifiers of the organisation, as IRIs (ROR, then Wikidata)."""
        return [prefix + value for prefix, value in ((ROR_PREFIX, self.ror), (WIKIDATA_PREFIX, self.wikidata)) if value]


@dataclass
class LinkTable:
    """The entries of a link table, found by any of their names; empty when a project has none."""

    path: Path | None = None
    entries: list[LinkEntry] = field(default_factory=list)
    country_hints: dict[str, str] = field(default_factory=dict)
    hint_lines: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    _by_key: dict[str, LinkEntry] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.entries or self.country_hints)

    def find(self, name: str) -> LinkEntry | None:
        """The entry one of whose names is this name (compared as slugs), or None."""
        return self._by_key.get(slugify(name)) if name.strip() else None

    def parent_of(self, entry: LinkEntry) -> LinkEntry | None:
        """The entry of an entry's parent, or None."""
        return self.find(entry.parent) if entry.parent else None

    def hint_country(self, hint: str) -> str | None:
        """The ISO country of a country hint as a programme page writes it ("D" -> "DE"), or None."""
        return self.country_hints.get(hint.strip())


def use_link_table(path: Path | None) -> None:
    """Apply this link table from now on (a project's data/links.yaml; None: no table)."""
    _active["links"] = path


def link_table_path() -> Path | None:
    """The file the active link table comes from, or None."""
    return _active["links"]


def active_link_table() -> LinkTable:
    """The active link table, read once per version of its file (empty when none is active)."""
    path = link_table_path()
    if path is None:
        return LinkTable()
    try:
        stat = path.stat()
    except OSError as err:
        raise InputError(f"cannot read the link table: {err.strerror}", str(path)) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_link_table(path)
    return _cache[key]


def load_link_table(path: Path) -> LinkTable:
    """Read and check a link table; InputError naming the file and the entry on a mistake."""
    try:
        text = path.read_text("utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except OSError as err:
        raise InputError(f"cannot read the link table: {err.strerror}", str(path)) from None
    except yaml.YAMLError as err:
        raise InputError(f"the link table is not valid YAML: {err}", str(path)) from None
    table = LinkTable(path, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    if data is None:
        return table
    if not isinstance(data, dict) or set(data) - {"organisations", "country_hints"}:
        raise InputError("the link table is a mapping with 'organisations' and 'country_hints'", str(path))
    lines = _lines(node)
    raw_entries = data.get("organisations") or []
    if not isinstance(raw_entries, list):
        raise InputError("'organisations' is a list of entries (name, aliases, ror, wikidata, country, parent)", str(path))
    for number, raw in enumerate(raw_entries, start=1):
        entry = _entry(raw, f"organisations[{number}]", str(path))
        entry = LinkEntry(**{**entry.__dict__, "line": lines.get(("organisations", number - 1), 0)})
        table.entries.append(entry)
        for name in (entry.name, *entry.aliases):
            key = slugify(name)
            other = table._by_key.get(key)
            if other is not None and other is not entry:
                raise InputError(f"'{name}' names two organisations ({other.name} and {entry.name})", str(path), entry.line or None)
            table._by_key[key] = entry
    for entry in table.entries:
        if entry.parent and (table.find(entry.parent) is None or table.find(entry.parent) is entry):
            raise InputError(f"the parent '{entry.parent}' of {entry.name} is not another entry", str(path), entry.line or None)
        _no_cycle(table, entry, str(path))
    hints = data.get("country_hints") or {}
    if not isinstance(hints, dict):
        raise InputError("'country_hints' maps hints as written to ISO 3166-1 codes (D: DE)", str(path))
    for hint, code in hints.items():
        table.country_hints[str(hint)] = _country(code, f"country_hints.{hint}", str(path))
        table.hint_lines[str(hint)] = lines.get(("country_hints", str(hint)), 0)
    return table


def _lines(node: yaml.Node | None) -> dict[tuple[str, object], int]:
    """The 1-based line of each entry and each country hint, from the composed YAML."""
    lines: dict[tuple[str, object], int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key, value in node.value:
        if key.value == "organisations" and isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                lines[("organisations", index)] = item.start_mark.line + 1
        elif key.value == "country_hints" and isinstance(value, yaml.MappingNode):
            for hint, _ in value.value:
                lines[("country_hints", str(hint.value))] = hint.start_mark.line + 1
    return lines


def _entry(raw: Any, where: str, file: str) -> LinkEntry:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise InputError(f"{where}: an entry needs a name", file)
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}", file)
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(f"{where}: 'aliases' must be a list of names", file)
    ror = wikidata = None
    if raw.get("ror") is not None:
        match = _ROR.match(str(raw["ror"]).strip())
        if not match:
            raise InputError(f"{where}: '{raw['ror']}' is not a ROR id (0 and 8 more characters, or https://ror.org/...)", file)
        ror = match.group("id")
    if raw.get("wikidata") is not None:
        match = _QID.match(str(raw["wikidata"]).strip())
        if not match:
            raise InputError(f"{where}: '{raw['wikidata']}' is not a Wikidata item (Q and digits)", file)
        wikidata = match.group("id")
    country = _country(raw["country"], f"{where}.country", file) if raw.get("country") is not None else None
    parent = raw.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise InputError(f"{where}: 'parent' must name another entry", file)
    return LinkEntry(raw["name"].strip(), tuple(a.strip() for a in aliases), ror, wikidata, country, parent)


def _country(code: Any, where: str, file: str) -> str:
    """An ISO 3166-1 alpha-2 code, checked against the CLDR territories langcodes knows."""
    text = str(code).strip()
    if not re.fullmatch(r"[A-Z]{2}", text):
        raise InputError(f"{where}: '{code}' is not an ISO 3166-1 alpha-2 code (two capital letters, such as DE)", file)
    standard = langcodes.standardize_tag(f"und-{text}")
    if standard != f"und-{text}":
        raise InputError(f"{where}: '{text}' is not the ISO code; write {standard.split('-', 1)[1]}", file)
    name = langcodes.Language.get(f"und-{text}").territory_name()
    if name.startswith(("Unknown", "Private")):
        raise InputError(f"{where}: '{text}' is not a country code", file)
    return text


def _no_cycle(table: LinkTable, entry: LinkEntry, file: str) -> None:
    seen = {entry.name}
    current = table.parent_of(entry)
    while current is not None:
        if current.name in seen:
            raise InputError(f"the parents of {entry.name} go round in a circle", file)
        seen.add(current.name)
        current = table.parent_of(current)
