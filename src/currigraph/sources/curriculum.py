"""Course entries of a curriculum, read from the document model in any layout and language.

A curriculum lists courses in tables (a name column beside code, credits, semester or term columns), in lists
under year/semester/status headings ("*__Name__, 7,5 hp (G1N)*", "Modul: Name (5 LP)", "Name"), as short
paragraphs under such headings (accordion pages), or as headings with a small credits table each. Where an entry
sits says the rest: the year, semester, term, track and mandatory/elective status come from the headings, styled
labels, list items and section introductions above it. The words come from the lexicon (sources.lexicon).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from currigraph.sources.model import Block, DocumentModel, Heading, ListItem, Paragraph, Table
from currigraph.sources.page_lexicon import Lexicon, norm

MAX_NAME_WORDS = 14


@dataclass
class Context:
    """What the headings and labels above a block say: period, term, status, track, and the section's role."""

    year: int | None = None
    semester: int | None = None
    term: str | None = None
    status: str | None = None
    track: str | None = None
    section: str | None = None
    track_list: bool = False  # under a heading that introduces a list of tracks ("Specialisations:")

    @property
    def curricular(self) -> bool:
        """True when something above says this is part of a course list."""
        return bool(self.year or self.semester or self.status or self.track or self.section == "courses")


@dataclass
class Entry:
    """One course entry: its name and what the document says about it there, with the line and the text read."""

    name: str
    line: int
    evidence: str
    code: str = ""
    credits_text: str = ""
    credits_unit: str = ""  # the unit a column header gives to bare numbers
    year: int | None = None
    semester: int | None = None
    term: str | None = None
    status: str | None = None
    track: str | None = None
    layout: str = ""  # "table", "list", "label", "paragraph", "heading"


@dataclass
class Curriculum:
    """What a document's curriculum reading found: entries, tracks, periods, and what it could not place."""

    entries: list[Entry] = field(default_factory=list)
    tracks: list[tuple[str, int]] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    semesters: set[int] = field(default_factory=set)
    period_credits: list[tuple[str, int, str, int]] = field(default_factory=list)  # (kind, n, credits text, line)
    columns_unread: set[str] = field(default_factory=set)


class Reader:
    """Reads a document model's curriculum with one lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._contexts: dict[tuple[Heading, ...], Context] = {}

    def read(self, model: DocumentModel) -> Curriculum:
        """Every course entry of the model, in reading order, with its context."""
        found = Curriculum()
        intro: dict[Heading | None, str | None] = {}
        for heading in model.headings():
            period = self.lex.period_of(heading.text)
            if period:
                (found.years if period[0] == "year" else found.semesters).add(period[1])
        heading_entries: dict[Heading, Entry] = {}
        ranges: dict[tuple[str, int], str] = {}
        for index, block in enumerate(model.blocks):
            if isinstance(block, Paragraph) and not _headed(model.blocks, index):
                block = Paragraph(block.line, block.headings, text=block.text, strong=block.strong, emphasis_only=True)
            context = self.context(block)
            key = block.headings[-1] if block.headings else None
            if isinstance(block, Paragraph) and key not in intro:
                intro[key] = self.lex.status_of(block.text) if len(block.text.split()) > 6 else None
            if isinstance(block, Paragraph):
                self._range_statuses(block.text, ranges)
            entries = self._block_entries(block, context, found, heading_entries)
            for entry in entries:
                if entry.status is None and intro.get(key):
                    entry.status = intro[key]
                found.entries.append(entry)
        for entry in found.entries:  # "Years 1-3 consist of mandatory courses", said anywhere on the page
            if entry.status is None and entry.year and ("year", entry.year) in ranges:
                entry.status = ranges[("year", entry.year)]
        return found

    def _range_statuses(self, text: str, ranges: dict[tuple[str, int], str]) -> None:
        """A sentence naming a range of years or semesters and one status ('Årskurs 1--3 består av obligatoriska kurser')."""
        from currigraph.sources.text import sentences

        for _offset, sentence in sentences(text):
            status = self.lex.status_of(sentence)
            if not status or len(sentence.split()) > 20:
                continue
            for match in re.finditer(r"([^\W\d_]+)\s+(\d{1,2})\s*(?:--|-|–|—)\s*(\d{1,2})\b", sentence):
                kind = self.lex.periods.exact(match.group(1))
                low, high = int(match.group(2)), int(match.group(3))
                if kind in ("year", "semester") and low < high <= 12:
                    for number in range(low, high + 1):
                        ranges.setdefault((kind, number), status)

    def context(self, block: Block) -> Context:
        """The context the headings above a block give (cached per heading path), refined by its list parents."""
        path = block.headings
        context = self._contexts.get(path)
        if context is None:
            context = Context()
            for heading in path:
                # The page title (level 1) names the page, not a section: "Curriculum Overview" says nothing of
                # what each section below it lists.
                self._apply(context, heading.text, heading=True, title=heading.level == 1 and not heading.pseudo)
            self._contexts[path] = context
        if isinstance(block, ListItem) and block.parents:
            context = Context(**vars(context))
            for parent in block.parents:
                self._apply(context, parent, heading=False)
        return context

    def _apply(self, context: Context, text: str, heading: bool, title: bool = False) -> None:
        lead = text.split(":")[0] if ":" in text else text
        short = len(lead.split()) <= 12
        period = self.lex.period_of(lead) if short else None
        if period:
            context.status, context.term, context.track_list = None, None, False
            if period[0] == "year":
                context.year, context.semester = period[1], None
            else:
                context.semester = period[1]
        track = self.lex.track_name(text)
        if track:
            context.track, context.status = track, None
        elif heading and short and self.lex.tracks.find(lead) and not period:
            context.track_list = True
        status = self.lex.status_of(lead) if short else None
        if status:
            context.status = status
        if heading:
            role = None if title else self.lex.section_role(text)
            if role:
                context.section = role
                context.track_list = context.track_list and role == "courses"
            elif not (period or status or track):
                term = self.lex.term_of(text) if short else None
                if term:
                    context.term = term

    def _block_entries(self, block: Block, context: Context, found: Curriculum,
                       heading_entries: dict[Heading, Entry]) -> list[Entry]:
        if isinstance(block, Table):
            entries = self._table_entries(block, context, found)
            if entries:
                return entries
        known = len(heading_entries)
        heading_entry = self._heading_entry(block, heading_entries)
        if heading_entry is not None:
            if isinstance(block, Table):
                credits = self._table_credits(block)
                if credits and not heading_entry.credits_text:
                    heading_entry.credits_text, heading_entry.credits_unit = credits
            return [heading_entry] if len(heading_entries) > known else []
        if not context.curricular or context.section in ("outcomes", "contents", "requirements", "prerequisites"):
            return []
        if isinstance(block, ListItem):
            if context.track_list:
                name = block.text.strip().rstrip(".;,")
                if 0 < len(name.split()) <= MAX_NAME_WORDS:
                    found.tracks.append((name, block.line))
                return []
            entry = self._item_entry(block, found)
        elif isinstance(block, Paragraph):
            entry = self._paragraph_entry(block)
        else:
            entry = None
        if entry is None:
            return []
        self._place(entry, context)
        return [entry]

    def _place(self, entry: Entry, context: Context) -> None:
        entry.year = entry.year or context.year
        entry.semester = entry.semester or context.semester
        entry.term = entry.term or context.term
        entry.status = entry.status or context.status
        entry.track = entry.track or context.track

    def _heading_entry(self, block: Block, seen: dict[Heading, Entry]) -> Entry | None:
        """A course named by a heading right under a period heading ('## Semestre 1' / '#### Course name')."""
        path = [h for h in block.headings if not h.pseudo]
        if len(path) < 2:
            return None
        heading, parent = path[-1], path[-2]
        if heading in seen:
            return seen[heading]
        period = self.lex.period_of(parent.text)
        if not period or self.lex.period_of(heading.text) or self.lex.section_role(heading.text):
            return None
        if len(heading.text.split()) > MAX_NAME_WORDS:
            return None
        entry = Entry(heading.text.strip(), heading.line, heading.text, layout="heading")
        entry.status = self.lex.status_of(heading.text)  # placeholder slots name their kind ("Optativa")
        if period[0] == "year":
            entry.year = period[1]
        else:
            entry.semester = period[1]
        seen[heading] = entry
        self._pending = entry
        return entry

    def _table_credits(self, table: Table) -> tuple[str, str] | None:
        if not table.header or len(table.rows) != 1:
            return None
        for index, cell in enumerate(table.header):
            if self.lex.key_role(cell) == "credits" and index < len(table.rows[0]):
                return table.rows[0][index], cell
        return None

    def _table_entries(self, table: Table, context: Context, found: Curriculum) -> list[Entry]:
        if not table.header:
            return []
        roles: dict[str, int] = {}
        for index, cell in enumerate(table.header):
            role = self.lex.key_role(cell)
            if role and role not in roles:
                roles[role] = index
            elif not role and cell.strip():
                found.columns_unread.add(cell.strip())
        if "name" not in roles or not ({"code", "credits", "semester", "term", "year", "status"} & set(roles)):
            return []
        coded = "code" in roles and sum(1 for r in table.rows if _cell(r, roles["code"])) * 2 >= len(table.rows)
        entries: list[Entry] = []
        for row, line in zip(table.rows, table.row_lines, strict=False):
            name = _cell(row, roles["name"])
            if not name or (coded and not _cell(row, roles["code"])) or self.lex.key_role(name) == "total_credits":
                continue
            entry = Entry(name, line, " | ".join(row), layout="table", code=_cell(row, roles.get("code")))
            if "credits" in roles:
                entry.credits_text, entry.credits_unit = _cell(row, roles["credits"]), table.header[roles["credits"]]
            for role in ("semester", "year"):
                value = _cell(row, roles.get(role))
                number = self.lex.number(value) if value and re.fullmatch(r"\w{1,4}\.?", value) else None
                if number and value.strip().rstrip(".").isdigit():
                    setattr(entry, role, number)
                elif value and self.lex.term_of(value):
                    entry.term = value
            term = _cell(row, roles.get("term"))
            if term:
                entry.term = term
            status = _cell(row, roles.get("status"))
            if status:
                yes = {"y", "yes", "ja", "si", "oui", "x"} & {norm(status)}
                entry.status = self.lex.status_of(status) or ("mandatory" if yes else None)
            self._place(entry, context)
            entries.append(entry)
        return entries

    def _item_entry(self, item: ListItem, found: Curriculum) -> Entry | None:
        labelled = self.lex.course_label(item.text)
        if labelled:
            name, credits = _split_credits(labelled[1])
            return Entry(name, item.line, item.text, credits_text=credits, layout="label") if name else None
        if item.strong:
            strong = item.strong.strip().rstrip(",:;").strip()
            period = self.lex.period_of(strong)
            if period:  # "**1st semester:** 30 ECTS": credits of a period, not a course
                rest = item.text[len(item.strong):] if item.text.startswith(item.strong) else item.text
                found.period_credits.append((period[0], period[1], rest, item.line))
                return None
            if self.lex.key_role(strong) or not strong or len(strong.split()) > MAX_NAME_WORDS:
                return None
            rest = item.text.split(item.strong.strip(), 1)[-1] if item.strong.strip() in item.text else ""
            return Entry(strong, item.line, item.text, credits_text=_first_clause(rest), layout="list")
        text = item.text.strip()
        if ":" in text or len(text.split()) > MAX_NAME_WORDS or text.endswith(".") and len(text.split()) > 6:
            return None
        name, credits = _split_credits(text.rstrip(".;,"))
        if not credits and ("," in name or not name[:1].isupper() and not name[:1].isdigit()):
            return None  # a clause of running text, not a course name
        return Entry(name, item.line, item.text, credits_text=credits, layout="list") if name else None

    def _paragraph_entry(self, paragraph: Paragraph) -> Entry | None:
        text = paragraph.text.strip()
        words = text.split()
        if not words or len(words) > 10 or text.endswith((".", ":", "!", "?")) or ":" in text or paragraph.emphasis_only:
            return None
        if text[:1].isdigit() or not text[:1].isupper():
            return None
        name, credits = _split_credits(text)
        return Entry(name, paragraph.line, text, credits_text=credits, layout="paragraph") if name else None


def _headed(blocks: list[Block], index: int) -> bool:
    """A short paragraph followed by a description paragraph under the same headings: an accordion's course title."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return (isinstance(following, Paragraph) and following.headings == blocks[index].headings
            and len(following.text.split()) >= 15)


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _first_clause(text: str) -> str:
    """The start of the text after a course name, up to its first sentence end: where its credits are written."""
    return re.split(r"(?<=[.;])\s", text.strip(" ,*_"), maxsplit=1)[0][:60]


def _split_credits(text: str) -> tuple[str, str]:
    """'Name (5 LP)' -> ('Name', '5 LP'): a trailing parenthesis or comma part holding a number is the credits."""
    # A short word after the parenthesis is the list's conjunction ("(10 LP) und", "(5 hp) and").
    match = re.match(r"^(?P<name>.*?)\s*(?:\((?P<paren>[^()]*\d[^()]*)\)|,\s*(?P<comma>\d[\d.,]*\s*\w+.*))"
                     r"\s*[.,;]?(?:\s+\w{1,4})?\s*$", text)
    if match and match.group("name").strip():
        return match.group("name").strip().rstrip(","), (match.group("paren") or match.group("comma") or "").strip()
    return text.strip(), ""
