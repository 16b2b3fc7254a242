"""The layout of a prose document: sections under headings, paragraphs and list items, sentences with their lines.

Web pages saved as text write one paragraph per line; Markdown wraps paragraphs and marks headings and list items.
Both become the same structure here. Markup (emphasis, links, entities) is removed from the text the rules read;
each sentence keeps its text as written for evidence.
"""

import html
import re
from dataclasses import dataclass, field

from currigraph.convert.prose.words import Words
from currigraph.sources.text import sentences

_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[*•\-–]|\d+[.)])[ \t]+(?P<text>\S.*)$")
_BREADCRUMB = re.compile(r"\s[>»]\s")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
# "Name: description" at the start of a list item ("University of Eastbridge: Renowned ...").
_LABEL = re.compile(r"^(?P<label>[^:\n]{2,90}?):\s+\S")
# A short line with no closing punctuation, standing alone: a headline or subheading of a page saved as text.
_LONE_LINE = 90


def clean(text: str) -> str:
    """Text without Markdown or HTML markup, entities decoded, one space between words, typographic apostrophes plain."""
    text = html.unescape(_TAG.sub(" ", text))
    text = _LINK.sub(r"\1", text)
    for _ in range(2):  # nested emphasis: **_x_**
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").split())


@dataclass
class Sentence:
    """A sentence: as written (evidence), as the rules read it, its file line and where it sits in the document."""

    text: str
    clean: str
    line: int
    index: int
    paragraph: int
    section: int


@dataclass
class Paragraph:
    """A paragraph, list item or heading with its sentences; an item may open with a label ("Name: ...")."""

    index: int
    section: int
    kind: str  # "text", "item" or "heading"
    line: int
    text: str
    label: str | None = None
    sentences: list[int] = field(default_factory=list)


@dataclass
class Section:
    """The text under one heading (the first section may have none)."""

    index: int
    heading: str | None
    level: int
    line: int
    paragraphs: list[int] = field(default_factory=list)


@dataclass
class Layout:
    """A document's sections, paragraphs and sentences, in order."""

    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)


def read_layout(body: str, first_line: int, words: Words) -> Layout:
    """Split a body into sections, paragraphs and sentences (first_line: the file line of the body's first line)."""
    layout = Layout([Section(0, None, 0, first_line)])
    blocks = _blocks(body.splitlines(), first_line)
    for kind, line, text, level in blocks:
        if kind == "heading":
            layout.sections.append(Section(len(layout.sections), clean(text), level, line))
        section = layout.sections[-1]
        paragraph = Paragraph(len(layout.paragraphs), section.index, kind, line, text)
        if kind == "item":
            label = _LABEL.match(clean(text))
            paragraph.label = label.group("label").strip() if label else None
        section.paragraphs.append(paragraph.index)
        layout.paragraphs.append(paragraph)
        for offset, sentence in _sentences(text, words):
            cleaned = clean(sentence)
            if not re.search(r"\w", cleaned):
                continue
            index = len(layout.sentences)
            line_of = line + text.count("\n", 0, offset)
            layout.sentences.append(Sentence(sentence, cleaned, line_of, index, paragraph.index, section.index))
            paragraph.sentences.append(index)
    return layout


def _blocks(lines: list[str], first_line: int) -> list[tuple[str, int, str, int]]:
    """(kind, line, text, heading level) of each block: headings, list items and paragraphs."""
    blocks: list[tuple[str, int, str, int]] = []
    current: list[str] = []
    start = 0

    def close() -> None:
        if current:
            blocks.append(("text", start, "\n".join(current), 0))
            current.clear()

    for number, raw in enumerate(lines):
        line = first_line + number
        text = raw.rstrip()
        if not text.strip():
            close()
            continue
        heading = _HEADING.match(text.strip())
        item = _ITEM.match(text)
        if heading:
            close()
            blocks.append(("heading", line, heading.group("text"), len(heading.group("marks"))))
        elif item:
            close()
            blocks.append(("item", line, item.group("text"), 0))
        elif blocks and blocks[-1][0] == "item" and not current and raw[:1] in (" ", "\t"):
            kind, at, body, level = blocks[-1]  # an item's indented continuation line
            blocks[-1] = (kind, at, body + "\n" + text.strip(), level)
        elif _lone(lines, number):
            close()
            blocks.append(("heading", line, text.strip(), 7))
        else:
            if current and _ends_paragraph(current[-1], text):
                close()
            if not current:
                start = line
            current.append(text.strip())
    close()
    return blocks


def _lone(lines: list[str], number: int) -> bool:
    """A plain line that reads as a headline: short, no closing punctuation, not continued by the next line."""
    text = lines[number].strip()
    if len(text) > _LONE_LINE or len(text.split()) < 2 or text[-1] in ".,;:!)\"”'":
        return False
    following = lines[number + 1].strip() if number + 1 < len(lines) else ""
    return not following or not following[0].islower()


def _ends_paragraph(previous: str, text: str) -> bool:
    """Pages saved as text put a paragraph on each line; a wrapped Markdown paragraph continues on the next."""
    return len(previous) > 100 or (previous[-1] in ".!?\"”:" and not text[0].islower())


def _sentences(text: str, words: Words) -> list[tuple[int, str]]:
    """Sentences of a block; a full stop after an abbreviation or honorific, or a day before a month, ends none."""
    pieces: list[tuple[int, str]] = []
    for chunk_start, chunk in _crumbs(text):
        pieces += [(chunk_start + offset, sentence) for offset, sentence in sentences(chunk)]
    merged: list[tuple[int, str]] = []
    keep = tuple(words.abbreviations | words.honorific_prefixes)
    for offset, sentence in pieces:
        if merged:
            previous = merged[-1][1]
            first = sentence.split()[0] if sentence.split() else ""
            if previous.endswith(keep) or (re.search(r"\b\d{1,2}\.$", previous) and first.strip(".,") in words.months):
                merged[-1] = (merged[-1][0], f"{previous} {sentence}")
                continue
        merged.append((offset, sentence))
    return merged


def _crumbs(text: str) -> list[tuple[int, str]]:
    """A breadcrumb line ("Site > Section > Headline") as its parts."""
    parts: list[tuple[int, str]] = []
    start = 0
    for match in _BREADCRUMB.finditer(text):
        parts.append((start, text[start : match.start()]))
        start = match.end()
    parts.append((start, text[start:]))
    return [(s, p) for s, p in parts if p.strip()]
