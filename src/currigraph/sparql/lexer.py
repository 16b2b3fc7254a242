"""SPARQL 1.1 terminals with Oxigraph's lexical rules, and the checks Oxigraph makes on their values.

The terminals are those of the SPARQL 1.1 grammar (section 19.8) as Oxigraph's parser (spargebra) reads them:

* `\\uXXXX` and `\\UXXXXXXXX` are escapes only inside IRI references and string literals. Elsewhere a backslash is
  an ordinary character, so `\\u0053ERVICE` is not the keyword SERVICE (the SPARQL specification would decode it
  first; Oxigraph does not, and what matters is that we read the text as the engine will).
* PN_CHARS_BASE stops at U+FFFD (no supplementary-plane characters), and a PN_LOCAL holds at most one run of dots
  followed by name characters (`ex:a.b` is one name, `ex:a.b.c` is `ex:a.b` then `.` then `c`).
* An IRI reference is `<` then anything up to the next `>`; its value must then be a valid IRI (RFC 3987), resolved
  against the base IRI when there is one and absolute otherwise.
* Whitespace is space, tab, CR and LF; a comment runs from `#` to the end of the line. NIL `()` and ANON `[]` allow
  only whitespace (no comment) between their brackets.
* Keywords are matched ASCII-case-insensitively (never through Unicode case folding).

`tokenize()` splits a text into these terminals for display and measurement; the parser calls the same regular
expressions directly, at the position where the grammar expects a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME_REST = _PN_CHARS_U + "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

WS = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
WS_ONLY = re.compile(r"[ \t\r\n]*")
PN_PREFIX = re.compile(f"[{_PN_CHARS_BASE}][{_PN_CHARS}]*(?:\\.+[{_PN_CHARS}]+)*")
PNAME_NS = re.compile(f"(?:[{_PN_CHARS_BASE}][{_PN_CHARS}]*(?:\\.+[{_PN_CHARS}]+)*)?:")
PN_LOCAL = re.compile(f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:[{_PN_CHARS}:]|{_PLX})*(?:\\.+(?:[{_PN_CHARS}:]|{_PLX})+)?")
BLANK_NODE_LABEL = re.compile(f"_:[0-9{_PN_CHARS_U}][{_PN_CHARS}]*(?:\\.+[{_PN_CHARS}]+)*")
VAR = re.compile(f"[?$]([0-9{_PN_CHARS_U}][{_VARNAME_REST}]*)")
VARNAME_START = re.compile(f"[0-9{_PN_CHARS_U}]")
IRIREF = re.compile(r"<([^>]*)>")
LANGTAG = re.compile(r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)(--[a-zA-Z]+)?")
INTEGER = re.compile(r"[0-9]+")
DECIMAL = re.compile(r"[0-9]*\.[0-9]+")
DOUBLE = re.compile(r"(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+")
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\"'\\]"
STRING_LITERAL_LONG1 = re.compile(f"'''((?:(?:''|')?(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*)'''")
STRING_LITERAL_LONG2 = re.compile(f'"""((?:(?:""|")?(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*)"""')
STRING_LITERAL1 = re.compile(f"'((?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*)'")
STRING_LITERAL2 = re.compile(f'"((?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*)"')
NIL = re.compile(r"\([ \t\r\n]*\)")
ANON = re.compile(r"\[[ \t\r\n]*\]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


def _code_point(hex_digits: str) -> str | None:
    value = int(hex_digits, 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return None  # Rust's char::from_u32 refuses these, so Oxigraph refuses the escape
    return chr(value)


def unescape_string(body: str) -> str | None:
    """The value of a string literal's body (between its quotes), or None when an escape is invalid."""
    if "\\" not in body:
        return body
    out: list[str] = []
    last = 0
    for match in _STRING_ESCAPE.finditer(body):
        out.append(body[last:match.start()])
        short, long, char = match.groups()
        if char is not None:
            if char not in _ESCAPES:
                return None
            out.append(_ESCAPES[char])
        else:
            decoded = _code_point(short or long)
            if decoded is None:
                return None
            out.append(decoded)
        last = match.end()
    if body.find("\\", last) >= 0:
        return None
    out.append(body[last:])
    return "".join(out)


def unescape_iri(body: str) -> str | None:
    """The IRI written between `<` and `>` with its \\u escapes decoded, or None when it has another backslash."""
    if "\\" not in body:
        return body
    out: list[str] = []
    last = 0
    for match in _STRING_ESCAPE.finditer(body):
        short, long, char = match.groups()
        if char is not None:
            return None
        out.append(body[last:match.start()])
        decoded = _code_point(short or long)
        if decoded is None:
            return None
        out.append(decoded)
        last = match.end()
    if body.find("\\", last) >= 0:
        return None
    out.append(body[last:])
    return "".join(out)


def unescape_local(local: str) -> str:
    """A PN_LOCAL's contribution to the IRI: its backslashes removed (%HH stays as written)."""
    return local.replace("\\", "")


# RFC 3987 IRI syntax, as Oxigraph's oxiri checks it.
_UCSCHAR = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
    "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd"
    "\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd"
    "\U000e1000-\U000efffd"
)
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCSCHAR}"
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_IPCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT = f"{_IPCHAR}*"
_SEGMENT_NZ_NC = f"(?:[{_UNRESERVED}{_SUB_DELIMS}@]|{_PCT})+"
_DEC_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = rf"{_DEC_OCTET}\.{_DEC_OCTET}\.{_DEC_OCTET}\.{_DEC_OCTET}"
_IP_LITERAL = rf"\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~{_SUB_DELIMS}:]+)\]"
_HOST = f"(?:{_IP_LITERAL}|{_IPV4}|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"
_AUTHORITY = f"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?{_HOST}(?::[0-9]*)?"
_QUERY = f"(?:\\?(?:{_IPCHAR}|[{_IPRIVATE}/?])*)?"
_FRAGMENT = f"(?:#(?:{_IPCHAR}|[/?])*)?"
_ABSOLUTE_IRI = re.compile(
    f"[A-Za-z][A-Za-z0-9+\\-.]*:(?://{_AUTHORITY}(?:/{_SEGMENT})*|/(?:{_IPCHAR}+(?:/{_SEGMENT})*)?|{_IPCHAR}+(?:/{_SEGMENT})*|)"
    f"{_QUERY}{_FRAGMENT}"
)
_RELATIVE_REF = re.compile(
    f"(?://{_AUTHORITY}(?:/{_SEGMENT})*|/(?:{_IPCHAR}+(?:/{_SEGMENT})*)?|{_SEGMENT_NZ_NC}(?:/{_SEGMENT})*|)"
    f"{_QUERY}{_FRAGMENT}"
)
_IPV6_CHECK = re.compile(r"\[([0-9A-Fa-f:.]+)\]")
_PARTS = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)


def _ipv6_ok(iri: str) -> bool:
    match = _IPV6_CHECK.search(iri)
    if not match:
        return True
    import ipaddress

    try:
        ipaddress.IPv6Address(match.group(1))
    except ValueError:
        return False
    return True


def is_absolute_iri(iri: str) -> bool:
    """True when the text is an absolute IRI (with a scheme) by RFC 3987."""
    return _ABSOLUTE_IRI.fullmatch(iri) is not None and _ipv6_ok(iri)


def _remove_dot_segments(path: str) -> str:
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if output:
                output.pop()
        elif path == "/..":
            path = "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            start = 1 if path.startswith("/") else 0
            end = path.find("/", start)
            end = len(path) if end < 0 else end
            output.append(path[:end])
            path = path[end:]
    return "".join(output)


def resolve_iri(reference: str, base: str | None) -> str | None:
    """The IRI that a reference denotes (RFC 3986 section 5.2), or None when it is not a valid IRI reference."""
    if base is None:
        return reference if is_absolute_iri(reference) else None
    if is_absolute_iri(reference):
        scheme, authority, path, query, fragment = _PARTS.match(reference).groups()  # type: ignore[union-attr]
        return _recompose(scheme, authority, _remove_dot_segments(path), query, fragment)
    if _RELATIVE_REF.fullmatch(reference) is None or not _ipv6_ok(reference):
        return None
    _, r_authority, r_path, r_query, r_fragment = _PARTS.match(reference).groups()  # type: ignore[union-attr]
    b_scheme, b_authority, b_path, b_query, _ = _PARTS.match(base).groups()  # type: ignore[union-attr]
    if r_authority is not None:
        authority, path, query = r_authority, _remove_dot_segments(r_path), r_query
    elif r_path == "":
        authority, path, query = b_authority, b_path, (r_query if r_query is not None else b_query)
    else:
        authority, query = b_authority, r_query
        if r_path.startswith("/"):
            path = _remove_dot_segments(r_path)
        else:
            if b_authority is not None and b_path == "":
                merged = "/" + r_path
            else:
                cut = b_path.rfind("/")
                merged = b_path[: cut + 1] + r_path if cut >= 0 else r_path
            path = _remove_dot_segments(merged)
    return _recompose(b_scheme, authority, path, query, r_fragment)


def _recompose(scheme: str | None, authority: str | None, path: str, query: str | None, fragment: str | None) -> str:
    out = f"{scheme}:" if scheme is not None else ""
    if authority is not None:
        out += "//" + authority
    out += path
    if query is not None:
        out += "?" + query
    if fragment is not None:
        out += "#" + fragment
    return out


# BCP 47 (RFC 5646) well-formed language tags, as Oxigraph's oxilangtag checks them.
_LANGTAG = re.compile(
    r"(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+"
    r"|en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay|i-tsu"
    r"|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang)"
)


def is_language_tag(tag: str) -> bool:
    """True when the tag is a well-formed BCP 47 language tag."""
    return _LANGTAG.fullmatch(tag.lower()) is not None


@dataclass(frozen=True)
class Token:
    """One terminal of a SPARQL text: its kind, its text and where it starts (0-based offset)."""

    kind: str
    text: str
    offset: int


_TOKEN_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("IRIREF", re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")),
    ("STRING", re.compile(f"{STRING_LITERAL_LONG1.pattern}|{STRING_LITERAL_LONG2.pattern}|{STRING_LITERAL1.pattern}|"
                          f"{STRING_LITERAL2.pattern}")),
    ("PNAME", re.compile(f"{PNAME_NS.pattern}(?:{PN_LOCAL.pattern})?")),
    ("BLANK_NODE_LABEL", BLANK_NODE_LABEL),
    ("VAR", VAR),
    ("LANGTAG", LANGTAG),
    ("NUMBER", re.compile(f"{DOUBLE.pattern}|{DECIMAL.pattern}|{INTEGER.pattern}")),
    ("NIL", NIL),
    ("ANON", ANON),
    ("WORD", WORD),
    ("PUNCT", re.compile(r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*/|^?+\-!=<>]")),
]


def token_at(text: str, offset: int) -> Token | None:
    """The terminal that starts at this offset (None at the end of the text or on a character no terminal starts)."""
    for kind, pattern in _TOKEN_RULES:
        match = pattern.match(text, offset)
        if match and match.end() > offset:
            return Token(kind, match.group(), offset)
    return None


def tokenize(text: str) -> Iterator[Token]:
    """The terminals of a text in order, skipping whitespace and comments; an unknown character is a 'ERROR' token."""
    offset = WS.match(text, 0).end()
    while offset < len(text):
        token = token_at(text, offset) or Token("ERROR", text[offset], offset)
        yield token
        offset = WS.match(text, offset + len(token.text)).end()
