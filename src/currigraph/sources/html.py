"""HTML as published, read with lxml's HTML parser into the normalised document model.

Navigation, scripts, page headers and footers are left out; headings, paragraphs, nested lists, data tables,
definition lists and label/value pairs are kept with their source lines. Layout tables (tables holding tables)
are read as containers. Bold-only lines ("Compulsory", "Typical Year One Modules") become pseudo-headings, since
CMS pages often style their section titles instead of marking them up. Embedded schema.org data (JSON-LD,
microdata, RDFa) is read with extruct, and JSON inside other scripts is kept for the converters to look at.
"""

from __future__ import annotations

import json
from typing import Any

import lxml.html
from lxml import etree

from currigraph.sources.model import DocumentModel, Field, Heading, ListItem, Paragraph, Table, is_placeholder_header

# Not <form>: ASP.NET pages wrap the whole page in one.
_DROP = {"script", "style", "noscript", "template", "nav", "aside", "iframe", "svg", "button", "select",
         "input", "textarea", "object", "embed", "canvas", "map", "video", "audio"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
_BLOCK = {"address", "article", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt",
          "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
          "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
          "ul", "br", "caption", "form", "nav", "aside"}
_EMPHASIS = {"b", "strong", "em", "i", "u"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
MAX_LABELS = 8  # styled labels kept below a heading


def read_html(data: bytes, text: str) -> DocumentModel:
    """An HTML page (its bytes and its decoded text) as the normalised document model."""
    model = DocumentModel(syntax="html")
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return model
    model.language = (root.get("lang") or "").strip()
    title = root.find(".//title")
    if title is not None and (title.text_content() or "").strip():
        model.title, model.title_line, model.title_origin = " ".join(title.text_content().split()), title.sourceline or 1, "html-title"
    _embedded(model, text, root)
    body = root.find("body")
    if body is None:
        return model
    _strip_boilerplate(body, model)
    main = body.find(".//main")
    if main is None:
        main = body.find(".//article")
    Walker(model).walk(main if main is not None else body)
    h1 = next((h for h in model.headings() if h.level == 1 and not h.pseudo), None)
    if h1 is not None:
        model.title, model.title_line, model.title_origin = h1.text, h1.line, "h1"
    return model


def _strip_boilerplate(body: Any, model: DocumentModel) -> None:
    """Remove scripts, navigation, page-level headers/footers and link lists: what a reader of the page skips."""
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            if element.getparent() is not None:
                element.drop_tree() if hasattr(element, "drop_tree") else element.getparent().remove(element)
            continue
        tag = element.tag.lower()
        if element.getparent() is None:
            continue
        role = (element.get("role") or "").lower()
        page_level = tag in ("header", "footer") and not _inside(element, ("article", "main"))
        if tag in _DROP or role in _DROP_ROLES or page_level:
            if tag not in ("script", "style", "input", "noscript"):
                model.dropped.append(tag if not role else f"{tag}[role={role}]")
            element.drop_tree()
    for lst in list(body.iter("ul", "ol")):
        if lst.getparent() is not None and _link_list(lst):
            model.dropped.append("link list")
            lst.drop_tree()


def _inside(element: Any, tags: tuple[str, ...]) -> bool:
    parent = element.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag.lower() in tags:
            return True
        parent = parent.getparent()
    return False


def _link_list(lst: Any) -> bool:
    """A list whose text is nearly all links: a menu, not content."""
    total = len("".join(lst.text_content().split()))
    linked = sum(len("".join(a.text_content().split())) for a in lst.iter("a"))
    return total > 0 and linked / total >= 0.8


def is_label(text: str) -> bool:
    """A bold-only line that reads as a label ('Compulsory', 'Typical Year One Modules'), not a sentence or a figure."""
    words = text.split()
    return (0 < len(words) <= 12 and not text.endswith((".", ";", ",")) and any(c.isalpha() for c in text)
            and not (text[:1].isdigit() and len(words) <= 3))


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _emphasis_only(element: Any) -> bool:
    """True when every word of the element sits inside <b>/<strong>/<em>/<i>: a styled label."""
    def outside(el: Any, inside: bool) -> bool:
        here = inside or (isinstance(el.tag, str) and el.tag.lower() in _EMPHASIS)
        if el.text and el.text.strip() and not here:
            return True
        for child in el:
            if isinstance(child.tag, str) and outside(child, here):
                return True
            if child.tail and child.tail.strip() and not here:
                return True
        return False
    return bool(_text(element)) and not outside(element, False)


def _leading_strong(element: Any) -> str:
    if element.text and element.text.strip():
        return ""
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() in ("b", "strong"):
            return _text(child)
        if isinstance(child.tag, str) and child.tag.lower() in ("em", "i", "span", "font"):
            return _leading_strong(child)
        return ""
    return ""


class Walker:
    """Walks the content tree in reading order, turning elements into blocks under the current headings."""

    def __init__(self, model: DocumentModel) -> None:
        self.model = model
        self.headings: list[Heading] = []
        self.items: list[str] = []

    def walk(self, element: Any) -> None:
        """Read one element and everything in it."""
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        line = element.sourceline or 1
        if tag in _HEADINGS:
            self._heading(_text(element), _HEADINGS[tag], line, False)
        elif tag in ("ul", "ol"):
            self._list(element, tag == "ol")
        elif tag == "table":
            self._table(element)
        elif tag == "dl":
            self._definitions(element)
        elif tag in ("br", "hr", "img"):
            return
        elif self._has_blocks(element):
            self._mixed(element)
        else:
            self._inline(element, line)

    def _has_blocks(self, element: Any) -> bool:
        return any(isinstance(c.tag, str) and c.tag.lower() in _BLOCK for c in element)

    def _mixed(self, element: Any) -> None:
        """A container: inline runs between its block children are paragraphs of their own."""
        children = [c for c in element if isinstance(c.tag, str)]
        blocks = [c for c in children if c.tag.lower() in _BLOCK and c.tag.lower() not in ("br",)]
        if len(blocks) == 2 and not (element.text or "").strip() and all(not self._has_blocks(b) for b in blocks):
            key, value = _text(blocks[0]), _text(blocks[1])
            if key and value and len(key.split()) <= 5 and blocks[0].tag.lower() not in _HEADINGS:
                self.model.fields.append(Field(key.rstrip(":").strip(), value, blocks[0].sourceline or 1, "html"))
        run: list[str] = [element.text or ""]
        run_line = element.sourceline or 1
        for child in element:
            if not isinstance(child.tag, str):
                run.append(child.tail or "")
                continue
            if child.tag.lower() in _BLOCK:
                self._flush(run, run_line)
                run = []
                self.walk(child)
                run.append(child.tail or "")
                run_line = child.sourceline or run_line
            else:
                run.append(child.text_content() or "")
                run.append(child.tail or "")
        self._flush(run, run_line)

    def _flush(self, run: list[str], line: int) -> None:
        text = " ".join("".join(run).split())
        if text:
            self._paragraph(text, line, "", False)

    def _inline(self, element: Any, line: int) -> None:
        text = _text(element)
        if not text:
            return
        if self.items:
            self.model.blocks.append(Paragraph(line, tuple(self.headings), text=text))
            return
        only = _emphasis_only(element)
        if only and is_label(text):
            self._heading(text, self._pseudo_level(), line, True)
            return
        self._paragraph(text, line, _leading_strong(element), only)

    def _paragraph(self, text: str, line: int, strong: str, only: bool) -> None:
        self.model.blocks.append(Paragraph(line, tuple(self.headings), text=text, strong=strong, emphasis_only=only))
        key, sep, value = text.partition(":")
        if sep and value.strip() and 0 < len(key.split()) <= 5 and not key.strip().startswith(("http", "www")):
            self.model.fields.append(Field(key.strip(), value.strip(), line, "line"))

    def _pseudo_level(self) -> int:
        real = [h.level for h in self.headings if not h.pseudo]
        return (real[-1] if real else 1) + 1

    def _heading(self, text: str, level: int, line: int, pseudo: bool) -> None:
        if not text:
            return
        if pseudo:
            # Styled labels stack below the last real heading ("Typical Year One Modules", then "Compulsory"):
            # converters read them in order, a later label refining or replacing what an earlier one said.
            labels = [h for h in self.headings if h.pseudo][-(MAX_LABELS - 1):]
            self.headings = [h for h in self.headings if not h.pseudo] + labels + [Heading(text, level, line, True)]
        else:
            self.headings = [h for h in self.headings if h.level < level and not h.pseudo] + [Heading(text, level, line)]

    def _list(self, element: Any, ordered: bool) -> None:
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() != "li":
                continue
            own = [c for c in item if isinstance(c.tag, str) and c.tag.lower() in ("ul", "ol")]
            parts = [item.text or ""]
            for child in item:
                if child in own:
                    parts.append(child.tail or "")
                elif isinstance(child.tag, str):
                    parts.append(child.text_content() or "")
                    parts.append(child.tail or "")
            text = " ".join("".join(parts).split())
            if text:
                self.model.blocks.append(ListItem(item.sourceline or 1, tuple(self.headings), text=text,
                                                  strong=_leading_strong(item), depth=len(self.items) + 1,
                                                  parents=tuple(self.items), ordered=ordered))
            self.items.append(text)
            for nested in own:
                self._list(nested, nested.tag.lower() == "ol")
            self.items.pop()

    def _table(self, element: Any) -> None:
        rows = [r for r in element.iter("tr") if _own_table(r) is element]
        if element.find(".//table") is not None or not rows:
            for row in rows:  # a layout table: its cells are containers
                for cell in row:
                    if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                        self.walk(cell)
            for nested in element.iter("table"):
                if nested is not element and _own_table(nested.getparent()) is element:
                    pass
            return
        cells = [[c for c in r if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")] for r in rows]
        widths = {len(c) for c in cells if c}
        if max(widths, default=0) <= 1:  # one column: a stack of paragraphs
            for row in cells:
                for cell in row:
                    self.walk(cell)
            return
        texts = [[_text(c) for c in row] for row in cells]
        table = Table(rows[0].sourceline or 1, tuple(self.headings))
        first = cells[0]
        if all(c.tag.lower() == "th" for c in first) or all(_emphasis_only(c) for c in first if _text(c)) and any(_text(c) for c in first):
            table.header = texts[0]
            texts, rows = texts[1:], rows[1:]
        if is_placeholder_header(table.header):
            table.header = None
        table.rows = [t for t in texts if any(t)]
        table.row_lines = [r.sourceline or table.line for r, t in zip(rows, texts, strict=False) if any(t)]
        self.model.blocks.append(table)

    def _definitions(self, element: Any) -> None:
        term = None
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag.lower() == "dt":
                term = _text(child)
            elif child.tag.lower() == "dd" and term:
                self.model.fields.append(Field(term, _text(child), child.sourceline or 1, "definition"))
                self.model.blocks.append(Paragraph(child.sourceline or 1, tuple(self.headings), text=f"{term}: {_text(child)}"))


def _own_table(element: Any) -> Any:
    parent = element.getparent() if element is not None else None
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _embedded(model: DocumentModel, text: str, root: Any) -> None:
    """schema.org items (JSON-LD, microdata, RDFa) through extruct; JSON values inside other scripts as found."""
    import extruct  # imported here: only HTML pages need it, and it pulls in several parsers

    try:
        found = extruct.extract(text, syntaxes=["json-ld", "microdata", "rdfa"], uniform=True, errors="ignore")
    except Exception:  # a page extruct cannot read still has its visible text  # noqa: BLE001
        found = {}
    for syntax in ("json-ld", "microdata", "rdfa"):
        for item in found.get(syntax) or []:
            if isinstance(item, dict):
                model.embedded.append(item)
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if kind == "application/ld+json" or not script.text:
            continue
        for value in json_values(script.text):
            model.script_data.append((value, script.sourceline or 1))


def json_values(code: str) -> list[Any]:
    """JSON objects and arrays written inside script code (also inside a JS string literal), parsed with json."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    index = 0
    while index < len(code):
        start = min((p for p in (code.find("{", index), code.find("[", index)) if p >= 0), default=-1)
        if start < 0:
            break
        value, end = _decode_at(decoder, code, start)
        if value is None:
            index = start + 1
            continue
        if isinstance(value, str):  # a JSON document inside a string
            inner = json_values(value)
            found.extend(inner)
        elif isinstance(value, dict | list) and value:
            found.append(value)
        index = end
    return found


def _decode_at(decoder: json.JSONDecoder, code: str, start: int) -> tuple[Any, int]:
    if start == 0 or code[start - 1] != "'":
        try:
            return decoder.raw_decode(code, start)
        except ValueError:
            return None, start + 1
    # A JSON array or object inside a single-quoted JS string: undo the string's own backslash escapes first.
    if True:
        end = start
        while True:
            end = code.find("'", end)
            if end < 0:
                return None, start + 1
            if code[end - 1] != "\\":
                break
            end += 1
        literal = code[start:end].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        try:
            return json.loads(literal), end + 1
        except ValueError:
            return None, start + 1
    return None, start + 1
