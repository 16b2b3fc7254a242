"""Reading source documents: bytes to text, front matter with line numbers, and the kind of document."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from currigraph.errors import InputError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

PROGRAMME_PAGE = "programme-page"
COURSE_PAGE = "course-page"
PROSE = "prose"

# Front-matter keys that only a course page carries (the course page format's own fields).
COURSE_KEYS = {"studycredits", "credits", "ects", "semester", "pillar", "tracks", "english-only", "alternates", "option"}
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

    @property
    def stem(self) -> str:
        """The file name without its extension: the document's identity in IRIs."""
        return self.path.stem

    def line_of(self, offset: int) -> int:
        """1-based file line of a character offset into the body."""
        return self.body_line + self.body.count("\n", 0, offset)


def read_text(path: Path, data: bytes | None = None) -> str:
    """Decode a document's bytes as UTF-8 text, refusing missing, empty, huge or binary files."""
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
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes); expected UTF-8 text", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 text (byte {err.start})", name, line) from None


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


def detect_kind(metadata: dict[str, Any], body: str) -> str:
    """The kind of document, read from its content rather than its file name."""
    if metadata:
        if COURSE_KEYS & {k.lower() for k in metadata}:
            return COURSE_PAGE
        if _EMPHASISED_ITEM.search(body) or re.search(r"^#{1,6} .*semester", body, re.I | re.M):
            return PROGRAMME_PAGE
        return COURSE_PAGE if "title" in metadata else PROSE
    return PROSE


def load_document(path: Path, data: bytes | None = None) -> Document:
    """Read and classify one source document; raise InputError with file and line on bad input."""
    text = read_text(path, data)
    metadata, lines, body, body_line = split_front_matter(text, str(path))
    kind = detect_kind(metadata, body)
    if kind == PROSE and len(re.findall(r"[A-Za-z]{2,}", body)) < 5:
        raise InputError("unknown kind of document: no front matter and too little prose to read", str(path))
    return Document(path, text, kind, metadata, lines, body, body_line)
