"""Reading source documents: bytes to text (any declared or detected encoding), front matter with line numbers,
the normalised document model (sources.model) and the kind of document (sources.kinds)."""

import codecs
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from currigraph.errors import InputError

if TYPE_CHECKING:
    from currigraph.sources.model import DocumentModel

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

PROGRAMME_PAGE = "programme-page"
COURSE_PAGE = "course-page"
PROSE = "prose"
# Structured records (JSON, CSV, spreadsheets) that a declarative mapping of the project describes: converted by
# convert.catalogue when that module is installed (the hook: CONVERTERS in convert/__init__.py).
CATALOGUE = "catalogue"
# Nothing the converters can read: kept with its extraction report and a warning, never converted silently.
UNKNOWN = "unknown"
CATALOGUE_SYNTAXES = ("json", "csv", "tsv", "xlsx")

# Front-matter keys that only a course page carries (the course page format's own fields).
COURSE_KEYS = {"studycredits", "credits", "ects", "semester", "pillar", "tracks", "english-only", "alternates", "option"}
# Every key of the seed course-page format; a front matter with other keys (Name, PrelCode, HEC...) is another
# schema, read by the generic course converter through the lexicons.
SEED_COURSE_KEYS = COURSE_KEYS | {"title", "name", "weight", "tags", "keywords", "pillars", "track", "alternate", "english_only",
                                  "programme", "programmes", "program", "programs", "language", "languages", "lang",
                                  "inlanguage", "layout", "permalink", "description", "date"}
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.S | re.M)
_EMPHASISED_ITEM = re.compile(r"^\*\*[^*\n]+\*\*\s*\*\([^)\n]+\)\*", re.M)


@dataclass
class Document:
    """A source document: its text split into front matter and body, and its detected kind."""

    path: Path
    text: str
    kind: str
    metadata: dict[str, Any] = field(default_factory=dict)
    metadata_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # 1-based line of the body's first line in the file
    data: bytes = b""  # the file's bytes as read
    syntax: str = "markdown"  # "markdown", "text", "html", "json", "csv", "tsv", "xlsx"
    encoding: str = "utf-8"
    layout: str = ""  # "seed" for the seed layouts the original converters read, "" for every other layout
    reasons: list[str] = field(default_factory=list)  # the signals that decided the kind, for the report

    @cached_property
    def model(self) -> "DocumentModel":
        """The normalised document model (read on first use: the seed layouts never need it)."""
        from currigraph.sources.kinds import read_model

        return read_model(self)

    @property
    def stem(self) -> str:
        """The file name without its extension: the document's identity in IRIs."""
        return self.path.stem

    def line_of(self, offset: int) -> int:
        """1-based file line of a character offset into the body."""
        return self.body_line + self.body.count("\n", 0, offset)


def read_bytes(path: Path, data: bytes | None = None) -> bytes:
    """A document's bytes, refusing missing, empty or huge files."""
    name = str(path)
    if data is None:
        if not path.exists():
            raise InputError("file not found", name)
        if path.is_dir():
            raise InputError("is a directory, not a document", name)
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise InputError(f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB; not a source document", name)
        data = path.read_bytes()
    if not data.strip():
        raise InputError("file is empty", name)
    return data


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Labels that browsers read as windows-1252 (WHATWG Encoding Standard): pages that say latin-1 mean it.
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp1252", "windows-1252"}


def decode(data: bytes, name: str, html: bool = False) -> tuple[str, str]:
    """Text and encoding of a document: its BOM, then (HTML) its declared charset, then UTF-8, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes); expected a text document", name)
    declared = declared_charset(data) if html else None
    if declared:
        return data.decode(declared, errors="replace"), declared
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace"), encoding


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in <meta charset> or <meta http-equiv=Content-Type>, read with lxml."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data[:16384].decode("latin-1"))
    except Exception:  # not HTML enough to say: detection decides  # noqa: BLE001
        return None
    for meta in root.iter("meta"):
        charset = meta.get("charset")
        if not charset and (meta.get("http-equiv") or "").lower() == "content-type":
            charset = (meta.get("content") or "").lower().partition("charset=")[2]
        if charset:
            label = charset.strip().strip("\"'; ").lower()
            if label in _WINDOWS_1252:
                return "cp1252"
            try:
                return codecs.lookup(label).name
            except LookupError:
                return None
    return None


def sniff_syntax(data: bytes, text: str | None) -> str:
    """The syntax of a document from its content: spreadsheet, JSON, CSV/TSV, HTML, Markdown or plain text."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if text is None:
        return "text"
    start = text.lstrip()[:1]
    if start in "{[":
        try:
            json.loads(text)
            return "json"
        except ValueError:
            pass
    if start == "<" and not _FRONT_MATTER.match(text):
        head = text.lstrip()[:1024].lower()
        if head.startswith(("<!doctype html", "<html", "<!--", "<head", "<body", "<meta", "<div", "<p", "<table", "<h1")):
            return "html"
    delimited = _delimited(text)
    if delimited:
        return delimited
    return "markdown"


def _delimited(text: str) -> str | None:
    """'csv' or 'tsv' when the first lines are records with one same number (2+) of fields."""
    import csv
    import io

    lines = [ln for ln in text.splitlines()[:6] if ln.strip()]
    if len(lines) < 3 or any(ln.lstrip()[:1] in "#-*|>" for ln in lines):
        return None
    for delimiter, name in (("\t", "tsv"), (",", "csv"), (";", "csv")):
        widths = {len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)}
        if len(widths) == 1 and widths.pop() >= 2:
            return name
    return None


def read_text(path: Path, data: bytes | None = None) -> str:
    """A document's text: bytes decoded by BOM, declared charset, UTF-8 or detection (never failing on encoding)."""
    raw = read_bytes(path, data)
    return decode(raw, str(path), html=raw.lstrip()[:1] == b"<")[0]


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """Front matter (values and the 1-based line of each top-level key), body, and the body's first line."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, {}, text, 1
    raw = match.group(1)
    first_line = text[: match.start(1)].count("\n") + 1
    # One parse gives both the values and the key lines; libyaml's parser when PyYAML was built with it.
    loader = _LOADER(raw)
    try:
        node = loader.get_single_node()
        alias = _first_alias(node)
        if alias is not None:
            raise InputError("YAML aliases (*name) are not accepted in front matter: write the value out", name, first_line + alias)
        values = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        context, started = getattr(err, "context", None), getattr(err, "context_mark", None)
        if context and started is not None and started.line != getattr(mark, "line", None):
            problem += f" ({context} that starts on line {first_line + started.line})"
        raise InputError(f"broken YAML front matter: {problem}", name, line) from None
    finally:
        loader.dispose()
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise InputError("front matter must be a mapping of keys to values", name, first_line)
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = first_line + key_node.start_mark.line
    body_line = text[: match.end()].count("\n") + 1
    return {str(k): v for k, v in values.items()}, lines, text[match.end() :], body_line


def _first_alias(node: yaml.Node | None) -> int | None:
    """The 0-based line of the first alias in a composed YAML tree (an alias is a node reached twice), or None.

    Aliases let a few hundred bytes expand into gigabytes (the "billion laughs"); front matter never needs them.
    """
    seen: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return current.start_mark.line
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def seed_kind(metadata: dict[str, Any], body: str) -> tuple[str, str] | None:
    """The kind of a document in one of the seed layouts (kind, the reason), else None: the fast, unchanged path."""
    if not metadata:
        return None
    lowered = {k.lower() for k in metadata}
    keys = COURSE_KEYS & lowered
    if keys and lowered <= SEED_COURSE_KEYS:
        return COURSE_PAGE, f"front matter with course-page keys ({', '.join(sorted(keys))})"
    if "title" in metadata and _EMPHASISED_ITEM.search(body):
        return PROGRAMME_PAGE, "front matter with a title, and '**Course** *(Pillar)*' entries"
    return None


def load_document(path: Path, data: bytes | None = None) -> Document:
    """Read and classify one source document; raise InputError with file and line on unusable input."""
    from currigraph.sources.kinds import detect

    name = str(path)
    raw = read_bytes(path, data)
    if raw.startswith(b"PK\x03\x04"):
        document = Document(path, "", CATALOGUE, data=raw, syntax="xlsx", encoding="")
    else:
        text, encoding = decode(raw, name, html=raw.lstrip()[:1] == b"<")
        syntax = sniff_syntax(raw, text)
        metadata, lines, body, body_line = split_front_matter(text, name) if syntax == "markdown" else ({}, {}, text, 1)
        document = Document(path, text, "", metadata, lines, body, body_line, data=raw, syntax=syntax, encoding=encoding)
    detect(document)
    return document
