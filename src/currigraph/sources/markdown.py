"""Markdown bodies as a flat list of blocks, each knowing its headings and its line in the file."""

from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

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
