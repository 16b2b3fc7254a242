"""The normalised document model every reader produces: one shape for HTML, Markdown, text and embedded data.

A document is a title, key/value fields and a sequence of blocks in reading order. Every block knows its line in
the file and the headings above it, so converters read structure (sections, lists, tables) without knowing
which syntax it came from, and every fact can point back at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Heading:
    """A section heading: its text and level (1 = top). `pseudo` marks a bold-only line or cell used as a heading."""

    text: str
    level: int
    line: int
    pseudo: bool = False


@dataclass
class Block:
    """Common part of every block: its 1-based file line and the headings it sits under (outermost first)."""

    line: int
    headings: tuple[Heading, ...]


@dataclass
class Paragraph(Block):
    """A paragraph of running text. `strong` holds the text of its leading bold/strong part, when it has one."""

    text: str = ""
    strong: str = ""
    emphasis_only: bool = False  # the whole paragraph is bold/italic: a label rather than running text


@dataclass
class ListItem(Block):
    """A list item: its own text (without nested items), its leading emphasised name, nesting depth and parents' texts."""

    text: str = ""
    strong: str = ""  # the leading bold/strong (or italic) name, when the item starts with one
    depth: int = 1
    parents: tuple[str, ...] = ()  # texts of the enclosing list items, outermost first
    ordered: bool = False


@dataclass
class Table(Block):
    """A table: its header cells (None for a header-less table) and its rows of cell texts, each row with its line."""

    header: list[str] | None = None
    rows: list[list[str]] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Field:
    """A key/value pair: from front matter, a definition list, a two-column table or a 'Label: value' line."""

    key: str
    value: Any
    line: int
    origin: str  # "front-matter", "table", "definition", "line", "embedded"


@dataclass
class DocumentModel:
    """A whole document: title, language, fields, blocks in reading order, and structured data found in it."""

    title: str = ""
    title_line: int = 1
    title_origin: str = ""  # "front-matter", "h1", "html-title", "first-line"
    language: str = ""  # declared language of the document (<html lang>, front matter), as written
    fields: list[Field] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    embedded: list[dict[str, Any]] = field(default_factory=list)  # schema.org items (JSON-LD, microdata, RDFa)
    script_data: list[tuple[Any, int]] = field(default_factory=list)  # JSON values found in other <script> tags
    syntax: str = ""  # "markdown", "html", "text"
    dropped: list[str] = field(default_factory=list)  # what the reader left out as boilerplate (for the report)

    def headings(self) -> list[Heading]:
        """Every heading in reading order (each once)."""
        seen: dict[Heading, None] = {}
        for block in self.blocks:
            for heading in block.headings:
                seen.setdefault(heading, None)
        return list(seen)

    def of_type(self, kind: type[Block]) -> list[Any]:
        """The blocks of one type, in reading order."""
        return [b for b in self.blocks if isinstance(b, kind)]


def table_fields(table: Table) -> list[Field]:
    """A two-column table as key/value fields (key | value rows), or nothing when it is not one."""
    rows = ([table.header] if table.header else []) + table.rows
    lines = ([table.line] if table.header else []) + table.row_lines
    if not rows or any(len(r) != 2 for r in rows):
        return []
    result: list[Field] = []
    for row, line in zip(rows, lines, strict=False):
        key = row[0].strip().strip("*_").rstrip(":").strip().strip("*_").strip()
        if key and len(key.split()) <= 6:
            result.append(Field(key, row[1].strip(), line, "table"))
    return result


def is_placeholder_header(header: list[str] | None) -> bool:
    """True when a header row carries no words ('. | .', empty cells): the table is header-less in fact."""
    return header is None or not any(any(ch.isalnum() for ch in cell) for cell in header)
