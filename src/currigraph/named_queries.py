"""Named queries (queries/*.rq): grlc-style `#+` headers with title, description and typed parameters.

Parameters are `?_name` variables in the query. Each value is checked against its declared type and
written as one RDF term (an IRI without any delimiter characters, or a fully escaped literal) in a
`VALUES` block opening the query's outermost group, so FILTERs see it and no value can change the
query's structure: it can only ever be a single term.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from currigraph.errors import InputError
from currigraph.sparql import QueryFacts, SparqlRefused, inspect_query
from currigraph.vocab import XSD_NS, is_absolute_iri, sparql_string

PARAM_TYPES = {"iri", "string", "integer", "decimal", "boolean", "language"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

# (kind, value, datatype): a checked parameter value, before it is written as a SPARQL term.
Term = tuple[str, str, str | None]


class ParameterError(ValueError):
    """A parameter value that is missing, unknown or not of its declared type."""


@dataclass(frozen=True)
class Param:
    """A declared parameter of a named query."""

    name: str
    type: str
    description: str = ""
    default: str | None = None

    @property
    def required(self) -> bool:
        """A parameter without a default must be given."""
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name (file stem), header fields and text."""

    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)

    @cached_property
    def facts(self) -> QueryFacts:
        """What the parser says of the query (checked when the file was read)."""
        return inspect_query(self.text)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        return self.facts.form


def _header(path: Path, text: str) -> dict[str, Any]:
    lines = [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        raise InputError("no '#+' header (summary, description, params)", str(path), 1)
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(f"the '#+' header is not valid YAML: {getattr(err, 'problem', err)}", str(path),
                         mark.line + 1 if mark else 1) from None
    if not isinstance(header, dict):
        raise InputError("the '#+' header must be a mapping (summary:, description:, params:)", str(path), 1)
    return header


def _params(path: Path, raw: Any) -> tuple[Param, ...]:
    params = []
    for item in raw or []:
        if not isinstance(item, dict) or "name" not in item:
            raise InputError("each parameter needs at least a name", str(path), field="params")
        kind = str(item.get("type", "string"))
        if kind not in PARAM_TYPES:
            raise InputError(f"parameter {item['name']!r} has unknown type {kind!r}; use one of {sorted(PARAM_TYPES)}",
                             str(path), field="params")
        default = item.get("default")
        params.append(Param(str(item["name"]), kind, str(item.get("description", "")), None if default is None else str(default)))
    return tuple(params)


def load_query(path: Path) -> NamedQuery:
    """Read one .rq file with its header."""
    text = path.read_text("utf-8")
    header = _header(path, text)
    params = _params(path, header.get("params"))
    for param in params:
        if f"?_{param.name}" not in text:
            raise InputError(f"parameter {param.name!r} is declared but ?_{param.name} is not used", str(path), field="params")
    tags = header.get("tags") or []
    try:
        inspect_query(text)
    except SparqlRefused as err:
        raise InputError(f"not a SPARQL query this endpoint runs: {err}", str(path), err.line) from None
    return NamedQuery(path.stem, str(header.get("summary") or path.stem), str(header.get("description") or ""), text, params,
                      tuple(str(t) for t in (tags if isinstance(tags, list) else [tags])))


def load_queries(folder: Path) -> dict[str, NamedQuery]:
    """Every named query of a folder, by name."""
    if not folder.is_dir():
        return {}
    return {q.name: q for q in (load_query(p) for p in sorted(folder.glob("*.rq")))}


def to_term(param: Param, value: str) -> Term:
    """Check a value against its parameter type and describe the RDF term it becomes."""
    kind = param.type
    if kind == "iri":
        if not is_absolute_iri(value):
            raise ParameterError(f"parameter {param.name!r} must be an absolute IRI, got {value!r}")
        return ("iri", value, None)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
            raise ParameterError(f"parameter {param.name!r} must be a whole number, got {value!r}")
        return ("literal", str(int(value)), XSD_NS + "integer")
    if kind == "decimal":
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ParameterError(f"parameter {param.name!r} must be a decimal number, got {value!r}") from None
        if not number.is_finite():
            raise ParameterError(f"parameter {param.name!r} must be a finite number, got {value!r}")
        return ("literal", str(number), XSD_NS + "decimal")
    if kind == "boolean":
        if value.lower() not in ("true", "false", "1", "0"):
            raise ParameterError(f"parameter {param.name!r} must be true or false, got {value!r}")
        return ("literal", "true" if value.lower() in ("true", "1") else "false", XSD_NS + "boolean")
    if kind == "language":
        if not _LANGUAGE.match(value):
            raise ParameterError(f"parameter {param.name!r} must be a BCP 47 language tag such as 'en', got {value!r}")
        return ("literal", value, None)
    if len(value) > 1000:
        raise ParameterError(f"parameter {param.name!r} is longer than 1000 characters")
    return ("literal", value, None)


def sparql_term(term: Term) -> str:
    """A checked value written as a SPARQL term: <iri> or an escaped "literal"^^<datatype>."""
    kind, value, datatype = term
    if kind == "iri":
        return f"<{value}>"
    try:
        return sparql_string(value) + (f"^^<{datatype}>" if datatype else "")
    except ValueError as err:
        raise ParameterError(f"a parameter value cannot be used: {err}") from None


def bind_text(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with its parameters bound by a VALUES block at the start of the outermost group."""
    bound = bind(query, values)
    if not bound:
        return query.text
    brace = query.facts.where_offset  # found by the parser: the '{' of the query's own WHERE
    if brace is None:
        raise ParameterError(f"{query.name} has no group pattern to bind parameters in")
    names = " ".join(f"?{name}" for name in bound)
    row = " ".join(sparql_term(term) for term in bound.values())
    return f"{query.text[: brace + 1]}\n  VALUES ({names}) {{ ({row}) }}{query.text[brace + 1 :]}"


def bind(query: NamedQuery, values: dict[str, str]) -> dict[str, Term]:
    """Checked terms for a query's parameters (variable name without '?' -> term); defaults fill gaps."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; {query.name} takes: {', '.join(declared) or 'none'}")
    bound: dict[str, Term] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            raise ParameterError(f"parameter {param.name!r} ({param.type}) is required")
        bound[f"_{param.name}"] = to_term(param, value)
    return bound


def openapi(queries: dict[str, NamedQuery], server_url: str = "/") -> dict[str, Any]:
    """An OpenAPI 3.1 document of the named-query API."""
    schema_types = {"iri": ("string", "iri"), "string": ("string", None), "integer": ("integer", None),
                    "decimal": ("number", None), "boolean": ("boolean", None), "language": ("string", None)}
    content = {
        "application/json": {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "object"}}}}},
        "text/csv": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    }
    errors = {"400": {"description": "A parameter is missing, unknown or of the wrong type",
                      "content": {"text/plain": {"schema": {"type": "string"}}}},
              "503": {"description": "The query ran past the time limit", "content": {"text/plain": {"schema": {"type": "string"}}}}}
    listing = {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}
    paths: dict[str, Any] = {
        "/api/queries": {"get": {"operationId": "listQueries", "summary": "List the named queries",
                                 "responses": {"200": {"description": "The named queries and their parameters", "content": listing}}}}
    }
    for query in queries.values():
        parameters = []
        for p in query.params:
            json_type, fmt = schema_types[p.type]
            schema: dict[str, Any] = {"type": json_type}
            if fmt:
                schema["format"] = fmt
            if p.default is not None:
                schema["default"] = p.default
            parameters.append({"name": p.name, "in": "query", "required": p.required, "description": p.description, "schema": schema})
        parameters.append({"name": "format", "in": "query", "required": False, "description": "json, csv or html (overrides Accept)",
                           "schema": {"type": "string", "enum": ["json", "csv", "html"]}})
        paths[f"/api/queries/{query.name}"] = {"get": {
            "operationId": re.sub(r"\W", "_", query.name), "summary": query.title, "description": query.description,
            "tags": list(query.tags), "parameters": parameters,
            "responses": {"200": {"description": "The query's results", "content": content}, **errors}}}
    return {"openapi": "3.1.0", "info": {"title": "currigraph named queries", "version": "1.0.0",
                                          "description": "Curriculum questions answered by SPARQL queries kept in queries/*.rq."},
            "servers": [{"url": server_url}], "paths": paths}
