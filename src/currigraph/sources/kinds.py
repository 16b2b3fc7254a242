"""The kind of a document, from its content: which converter reads it, and the signals that decided (for the report).

Seed layouts are recognised first, exactly as before (front matter keys, '**Course** *(Pillar)*' entries), so the
documents the project started from convert as they always did and cost nothing more. Every other document is read
into the normalised model and judged by what it holds: a curriculum (3+ course entries) is a programme page; one
course's fields (code, credits, outcomes, contents, embedded schema:Course) a course page; running text prose;
structured records (JSON, CSV, spreadsheets) a catalogue; anything else is of unknown kind, reported, not guessed.
"""

from __future__ import annotations

from typing import Any

from currigraph.sources.document import (
    CATALOGUE,
    CATALOGUE_SYNTAXES,
    COURSE_PAGE,
    PROGRAMME_PAGE,
    PROSE,
    UNKNOWN,
    Document,
    seed_kind,
)
from currigraph.sources.model import DocumentModel, Field, Paragraph, Table, table_fields
from currigraph.sources.page_lexicon import page_lexicon

MIN_ENTRIES = 3  # course entries that make a curriculum
MIN_PROSE_WORDS = 5
COURSE_TYPES = {"Course", "CourseInstance", "LearningResource"}
PROGRAMME_TYPES = {"EducationalOccupationalProgram", "WorkBasedProgram"}
COURSE_SCRIPT_KEYS = {"name", "code", "credits", "semester", "language", "term", "year"}


def read_model(document: Document) -> DocumentModel:
    """The normalised model of a document, by its syntax; front matter becomes fields (and the title)."""
    if document.syntax == "html":
        from currigraph.sources.html import read_html

        return read_html(document.data, document.text)
    if document.syntax in CATALOGUE_SYNTAXES:
        return DocumentModel(syntax=document.syntax)
    from currigraph.sources.markdown import read_markdown

    model = read_markdown(document.body, document.body_line)
    model.syntax = "markdown" if document.metadata or model.headings() else "text"
    front = [Field(str(k), v, document.metadata_lines.get(str(k), 1), "front-matter") for k, v in document.metadata.items()]
    model.fields[:0] = front
    for block in model.blocks:
        if isinstance(block, Table) and block.header is None:
            model.fields.extend(table_fields(block))
    title = document.metadata.get("title")
    if isinstance(title, str | int | float) and str(title).strip():
        model.title, model.title_line, model.title_origin = str(title).strip(), document.metadata_lines.get("title", 1), "front-matter"
    if not model.title:
        first = next((b for b in model.blocks if isinstance(b, Paragraph)), None)
        if first is not None and len(first.text.split()) <= 15:
            model.title, model.title_line, model.title_origin = first.text, first.line, "first-line"
    language = document.metadata.get("lang") or document.metadata.get("language")
    if isinstance(language, str):
        model.language = language
    return model


def detect(document: Document) -> None:
    """Set the document's kind, layout and the reasons for them."""
    if document.syntax in CATALOGUE_SYNTAXES:
        document.kind = CATALOGUE
        document.reasons = [f"{document.syntax.upper()} records: a catalogue read through a declarative mapping"]
        return
    seed = seed_kind(document.metadata, document.body)
    if seed:
        document.kind, document.layout = seed[0], "seed"
        document.reasons = [seed[1]]
        return
    document.kind, document.reasons = judge(document.model)


def judge(model: DocumentModel) -> tuple[str, list[str]]:
    """The kind the model's content shows, and the signals that decided it."""
    from currigraph.sources.curriculum import Reader

    lexicon = page_lexicon()
    curriculum = Reader(lexicon).read(model)
    named = {e.name for e in curriculum.entries}
    if len(named) >= MIN_ENTRIES:
        layouts = sorted({e.layout for e in curriculum.entries})
        return PROGRAMME_PAGE, [f"{len(named)} course entries ({', '.join(layouts)})"]
    course = course_signals(model)
    if len(course) >= 2:
        return COURSE_PAGE, course
    embedded_programme = [i for i in model.embedded if _types(i) & PROGRAMME_TYPES]
    if embedded_programme:
        return PROGRAMME_PAGE, ["embedded schema.org EducationalOccupationalProgram"]
    words = sum(len(b.text.split()) for b in model.blocks if isinstance(b, Paragraph))
    if words >= MIN_PROSE_WORDS and sum(1 for b in model.blocks if isinstance(b, Paragraph)):
        reasons = [f"running text ({words} words)"]
        if curriculum.entries or course:
            reasons.append("too few course entries or course fields for a page: " + "; ".join(course or ["entries"]))
        return PROSE, reasons
    if course:
        return COURSE_PAGE, course
    return UNKNOWN, ["no front matter, curriculum, course fields or running text found"]


def course_signals(model: DocumentModel) -> list[str]:
    """What makes a page one course's page: course keys among its fields, course sections, embedded course data."""
    lexicon = page_lexicon()
    signals: list[str] = []
    roles = {lexicon.key_role(f.key): f.key for f in model.fields if _filled(f.value)}
    for role in ("code", "credits"):
        if role in roles:
            signals.append(f"a course {role} field ({roles[role]})")
    from currigraph.convert.units import credits_in

    if model.title and credits_in(model.title) and model.title_origin in ("h1", "front-matter", "html-title"):
        signals.append(f"credits in the title ({model.title})")
    sections = sorted({r for h in model.headings() if (r := lexicon.section_role(h.text)) in ("outcomes", "contents", "prerequisites")})
    if sections:
        signals.append(f"course sections ({', '.join(sections)})")
    if any(_types(i) & COURSE_TYPES for i in model.embedded):
        signals.append("embedded schema.org Course")
    if any(_course_records(value) for value, _ in model.script_data):
        signals.append("course records in a script's JSON")
    return signals


def _filled(value: Any) -> bool:
    text = str(value).strip() if value is not None else ""
    return bool(text) and text not in ("[]", "??", "-", "–", "n/a", "N/A", "{}")


def _types(item: dict[str, Any]) -> set[str]:
    kinds = item.get("@type") or []
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _course_records(value: Any) -> list[dict[str, Any]]:
    """Dicts in a JSON value whose keys are curriculum keys of the lexicon (name plus one more)."""
    lexicon = page_lexicon()
    records = value if isinstance(value, list) else [value]
    found = []
    for record in records:
        if isinstance(record, dict):
            roles = {lexicon.key_role(str(k)) for k in record}
            if "name" in roles and len(roles & COURSE_SCRIPT_KEYS) >= 2:
                found.append(record)
    return found


course_records = _course_records
