"""The extraction report of one document: its kind and why, what was read, what was not understood, facts per class.

Every conversion makes one, so no document is ever accepted silently: `currigraph convert --explain` prints it,
the build keeps it in the document's named graph (cg:extractionNote / cg:extractionWarning on the source
document, shown on its page) and counts its warnings (`currigraph build --strict` fails on them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from currigraph.vocab import CG, RDF

# The classes whose instances make a document worth something; a document with none of them is a warning.
_YIELD = {CG.Programme: "programme", CG.Course: "course", CG.Organisation: "organisation", CG.University: "organisation",
          CG.Funder: "organisation", CG.Person: "person", CG.Track: "track", CG.Requirement: "requirement"}


@dataclass
class ExtractionReport:
    """What a converter made of one document."""

    file: str
    kind: str
    syntax: str = ""
    encoding: str = ""
    reasons: list[str] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)

    def read(self, what: str) -> None:
        """Note something the converter read."""
        if what not in self.reads:
            self.reads.append(what)

    def not_understood(self, what: str) -> None:
        """Note a section, key or column the converter did not understand."""
        if what not in self.unread:
            self.unread.append(what)

    def warn(self, message: str) -> None:
        """Note a problem a person should look at."""
        if message not in self.warnings:
            self.warnings.append(message)

    def count(self, triples: Any) -> None:
        """Count the entities of each class the conversion made, and warn when it made nothing worth keeping."""
        counts: Counter[str] = Counter()
        for _s, p, o in triples:
            if p == RDF.type and isinstance(o, URIRef) and o in _YIELD:
                counts[_YIELD[o]] += 1
        self.facts = dict(sorted(counts.items()))
        if not {"programme", "course", "organisation"} & set(counts):
            self.warn(f"no programme, course or organisation found in this {self.kind} document")

    def notes(self) -> list[str]:
        """The report as short lines, the form kept in the graph (cg:extractionNote)."""
        lines = [f"kind: {self.kind} ({'; '.join(self.reasons)})" if self.reasons else f"kind: {self.kind}"]
        if self.syntax:
            lines.append(f"read as {self.syntax}" + (f", {self.encoding}" if self.encoding and self.encoding != "utf-8" else ""))
        lines += [f"read: {r}" for r in self.reads]
        lines += [f"not understood: {u}" for u in self.unread[:40]]
        if len(self.unread) > 40:
            lines.append(f"not understood: {len(self.unread) - 40} more")
        if self.facts:
            lines.append("facts: " + ", ".join(f"{n} {k}" for k, n in self.facts.items()))
        return lines

    def as_json(self) -> dict[str, Any]:
        """The report as a JSON-ready mapping (`currigraph convert --explain --format json`)."""
        return {"file": self.file, "kind": self.kind, "why": self.reasons, "syntax": self.syntax, "encoding": self.encoding,
                "read": self.reads, "not_understood": self.unread, "facts": self.facts, "warnings": self.warnings}

    def text(self) -> str:
        """The report for people: one block per document."""
        out = [f"{self.file}", f"  kind: {self.kind}" + (f" — {'; '.join(self.reasons)}" if self.reasons else "")]
        if self.syntax:
            out.append(f"  read as: {self.syntax}" + (f" ({self.encoding})" if self.encoding else ""))
        for label, items in (("read", self.reads), ("not understood", self.unread)):
            if items:
                out.append(f"  {label}:")
                out += [f"    - {item}" for item in items]
        out.append("  facts: " + (", ".join(f"{n} {k}" for k, n in self.facts.items()) or "none"))
        out += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(out)
