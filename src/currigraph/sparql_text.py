"""Lexical facts about SPARQL text that must be known before a query runs (SERVICE, query or update form)."""

import re

# Strings, IRIs and comments are removed before looking for keywords, so `"SERVICE"` or
# `<http://x/SERVICE>` in a query do not count, and `SERVICE` hidden in a comment cannot slip through either way.
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
)
# The same without IRIs, to find the IRIs themselves.
_STRINGS_AND_COMMENTS = re.compile(_NOISE.pattern.rsplit("|<", 1)[0] + r"|#[^\n]*")
_RELATIVE_IRI = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)[^<>\"{}|^`\\\s]*>")
_SERVICE = re.compile(r"\bSERVICE\b", re.I)
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
_QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def skeleton(text: str) -> str:
    """The query with strings, IRIs and comments blanked out (offsets unchanged)."""
    return _NOISE.sub(lambda m: " " * len(m.group()), text)  # same length: offsets stay valid


def uses_service(text: str) -> bool:
    """True when the query calls SERVICE (federation), which the endpoint never does on anyone's behalf."""
    return bool(_SERVICE.search(skeleton(text)))


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query form keyword, upper-cased."""
    match = _QUERY_FORM.search(skeleton(text))
    return match.group(1).upper() if match else None


def declares_dataset(text: str) -> bool:
    """True when the query has FROM or FROM NAMED clauses."""
    return bool(re.search(r"\bFROM\b", skeleton(text), re.I))


def has_relative_iri(text: str) -> bool:
    """True when the text has an IRI reference without a scheme (<course/x>), which resolves against a base IRI."""
    blanked = _STRINGS_AND_COMMENTS.sub(lambda m: " " * len(m.group()), text)
    return bool(_RELATIVE_IRI.search(blanked))
