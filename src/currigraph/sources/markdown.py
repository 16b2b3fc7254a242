"""Markdown bodies: a flat list of blocks for the seed converters, and the normalised document model for all others."""

from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin

from currigraph.sources.html import MAX_LABELS, is_label
from currigraph.sources.model import DocumentModel, Field, Heading, ListItem, Paragraph, Table, is_placeholder_header

_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Block:
    """A paragraph or list item: its plain text, its inline tokens, the headings above it, and its file line."""

    text: str
    inline: tuple[Token, ...]
    headings: tuple[str, ...]
    line: int
    in_list: bool


def plain_text(children: list[Token] | tuple[Token, ...]) -> str:
    """Inline tokens as plain text, entities decoded, soft breaks kept as newlines."""
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "code_inline", "html_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def blocks(body: str, first_line: int = 1) -> Iterator[Block]:
    """Paragraphs and list items of a Markdown body, in order, with their heading path."""
    headings: dict[int, str] = {}
    tokens = _PARSER.parse(body)
    list_depth = 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            headings = {lv: text for lv, text in headings.items() if lv < level}
            headings[level] = plain_text(tokens[i + 1].children or []).strip()
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            line = first_line + (tok.map[0] if tok.map else 0)
            children = tuple(tok.children or [])
            path = tuple(headings[lv] for lv in sorted(headings))
            yield Block(plain_text(children).strip(), children, path, line, list_depth > 0)


def leading_emphasis(block: Block) -> tuple[str, str | None, str]:
    """Split '**Name** *(Note)* rest' into name, note (or None) and the remaining text."""
    toks = [t for t in block.inline if not (t.type == "text" and not t.content)]
    if not toks or toks[0].type != "strong_open":
        return "", None, block.text
    close = next(i for i, t in enumerate(toks) if t.type == "strong_close")
    name = plain_text(toks[1:close]).strip()
    rest = toks[close + 1 :]
    note = None
    while rest and rest[0].type == "text" and not rest[0].content.strip():
        rest = rest[1:]
    if rest and rest[0].type == "em_open":
        end = next(i for i, t in enumerate(rest) if t.type == "em_close")
        note = plain_text(rest[1:end]).strip().strip("()").strip()
        rest = rest[end + 1 :]
    return name, note, plain_text(rest).strip()


# The reader of the normalised model: CommonMark with GFM tables, definition lists and ::: containers
# (VuePress/Docusaurus slots), which real pages use and the seed converters never needed.
_MODEL_PARSER = (
    MarkdownIt("commonmark", {"html": True})
    .enable("table")
    .use(container_plugin, name="any", validate=lambda *_args: True)
    .use(deflist_plugin)
)


def read_markdown(body: str, first_line: int = 1) -> DocumentModel:
    """A Markdown body as the normalised document model (headings, paragraphs, nested lists, tables, fields)."""
    model = DocumentModel(syntax="markdown")
    tokens = _MODEL_PARSER.parse(body)
    headings: list[Heading] = []
    items: list[tuple[str, bool]] = []  # open list items: their text so far, ordered?
    ordered: list[bool] = []
    table: Table | None = None
    row: list[str] | None = None
    in_head = False
    row_line = first_line
    dt_text: str | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = first_line + (tok.map[0] if tok.map else 0)
        kind = tok.type
        if kind == "heading_open":
            level = int(tok.tag[1])
            text = plain_text(tokens[i + 1].children or []).strip()
            headings = [h for h in headings if h.level < level and not h.pseudo] + [Heading(text, level, line)]
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
        elif kind == "list_item_open":
            items.append(("", ordered[-1] if ordered else False))
        elif kind == "list_item_close":
            items.pop()
        elif kind == "table_open":
            table = Table(line, tuple(headings), header=None)
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row, row_line = [], line
        elif kind == "tr_close" and table is not None and row is not None:
            if in_head:
                table.header = row
            else:
                table.rows.append(row)
                table.row_lines.append(row_line)
            row = None
        elif kind == "table_close" and table is not None:
            model.blocks.append(_fix_table(table))
            table = None
        elif kind == "inline" and row is not None:
            row.append(" ".join(plain_text(tok.children or []).split()))
        elif kind == "dt_open":
            dt_text = plain_text(tokens[i + 1].children or []).strip()
        elif kind == "inline" and tokens[i - 1].type == "paragraph_open":
            label = _add_text(model, tok, line, tuple(headings), items, dt_text)
            if label is not None:  # styled labels stack below the last real heading, as in sources.html
                kept = [h for h in headings if h.pseudo][-(MAX_LABELS - 1):]
                headings = [h for h in headings if not h.pseudo] + kept + [label]
            if tokens[i - 2].type == "dd_open" if i >= 2 else False:
                dt_text = None
        elif kind == "html_block":
            model.dropped.append(f"raw HTML block (line {line})")
        i += 1
    model.blocks = _join_split_tables(model.blocks)
    _title(model)
    return model


def _join_split_tables(blocks: list) -> list:
    """Rule lines between a header and its row make CommonMark see two one-row tables: join them again."""
    joined: list = []
    for block in blocks:
        last = joined[-1] if joined else None
        if (isinstance(block, Table) and isinstance(last, Table) and last.header and not last.rows and block.header
                and len(block.header) == len(last.header) and block.line - last.line <= 4):
            last.rows = [block.header, *block.rows]
            last.row_lines = [block.line, *block.row_lines]
            continue
        joined.append(block)
    return joined


def _add_text(model: DocumentModel, tok: Token, line: int, headings: tuple[Heading, ...],
              items: list[tuple[str, bool]], term: str | None) -> Heading | None:
    """Add a paragraph or list item; a bold-only label line is returned as a pseudo-heading instead."""
    children = tuple(tok.children or [])
    text = " ".join(plain_text(children).split())
    if not text:
        return None
    if term is not None:
        model.fields.append(Field(term, text, line, "definition"))
        return None
    strong, only = _leading_strong(children)
    if items:
        own, is_ordered = items[-1]
        if own:  # a second paragraph of the same item: running text about it
            model.blocks.append(Paragraph(line, headings, text=text))
            return None
        items[-1] = (text, is_ordered)
        parents = tuple(t for t, _ in items[:-1])
        model.blocks.append(ListItem(line, headings, text=text, strong=strong, depth=len(items), parents=parents,
                                     ordered=is_ordered))
        return None
    lines = plain_text(children).split("\n")
    if len(lines) > 1 and all(ln.strip().startswith("|") for ln in lines if ln.strip()):
        model.blocks.append(pipe_table(lines, line, headings))  # a pipe table CommonMark does not accept (rule lines first)
        return None
    if only and is_label(text):
        return Heading(text, max((h.level for h in headings if not h.pseudo), default=0) + 1, line, True)
    model.blocks.append(Paragraph(line, headings, text=text, strong=strong, emphasis_only=only))
    return None


def _leading_strong(children: tuple[Token, ...]) -> tuple[str, bool]:
    """The leading strong text of an inline run (inside emphasis too), and whether emphasis covers all of it."""
    depth, strong_parts, started, plain_outside = 0, [], False, False
    collecting = None
    for tok in children:
        if tok.type in ("strong_open", "em_open"):
            depth += 1
            if tok.type == "strong_open" and collecting is None and not started:
                collecting = depth
        elif tok.type in ("strong_close", "em_close"):
            if collecting == depth:
                collecting = -1
            depth -= 1
        elif tok.type in ("text", "code_inline"):
            if tok.content.strip():
                if depth == 0:
                    plain_outside = True
                if collecting is not None and collecting > 0:
                    strong_parts.append(tok.content)
                elif collecting is None:
                    started = started or depth == 0
        elif tok.type in ("softbreak", "hardbreak") and collecting and collecting > 0:
            strong_parts.append(" ")
    return " ".join("".join(strong_parts).split()), not plain_outside


def pipe_table(lines: list[str], first_line: int, headings: tuple[Heading, ...]) -> Table:
    """A pipe table in a dialect CommonMark refuses (rule lines around the header, no delimiter row) as a Table."""
    rows: list[tuple[list[str], int, bool]] = []
    for offset, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        cells = [c.strip() for c in text.strip("|").split("|")]
        rule = all(c and set(c) <= set("-+:= ") for c in cells)
        rows.append((cells, first_line + offset, rule))
    table = Table(first_line, headings)
    body = [(cells, line) for cells, line, rule in rows if not rule]
    # A row followed by a rule line, before any other row, is the header.
    for index, (cells, _line, rule) in enumerate(rows):
        if not rule:
            if index + 1 < len(rows) and rows[index + 1][2]:
                table.header = cells
                body = body[1:]
            break
    table.rows = [cells for cells, _ in body]
    table.row_lines = [line for _, line in body]
    return table


def _fix_table(table: Table) -> Table:
    if is_placeholder_header(table.header):
        table.header = None
    return table


def _title(model: DocumentModel) -> None:
    for heading in model.headings():
        if heading.level == 1 and not _is_field_heading(heading.text, model, heading.line):
            model.title, model.title_line, model.title_origin = heading.text, heading.line, "h1"
            return


def _is_field_heading(text: str, model: DocumentModel, line: int) -> bool:
    """'# URL: https://...' is metadata an export wrote, not the title: keep it as a field."""
    key, sep, value = text.partition(":")
    if sep and value.strip().startswith(("http://", "https://")) and len(key.split()) <= 3:
        model.fields.append(Field(key.strip(), value.strip(), line, "line"))
        return True
    return False
