"""What a build reports: its validation report, the size of what it wrote, and how much it had to redo."""

from dataclasses import dataclass, field

from currigraph.validation.report import Report


@dataclass
class BuildResult:
    """The outcome of a build, full or incremental."""

    report: Report
    asserted: int
    inferred: int
    graphs: int
    written: bool
    changed: int | None = None  # documents converted again by an incremental build; None for a full build
    up_to_date: bool = False  # nothing changed since the last build: build/ was left as it was
    # (source document, message) of every extraction warning: documents that yielded no programme, course or
    # organisation. With strict=True a build that has any is not written (refused_by_strict).
    warnings: list[tuple[str, str]] = field(default_factory=list)
    refused_by_strict: bool = False
