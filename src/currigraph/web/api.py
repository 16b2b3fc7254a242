"""The named-query API: /api/queries lists them, /api/queries/NAME runs one (JSON, CSV or HTML), plus OpenAPI."""

import json

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue

from currigraph.formats import CSV, HTML, JSON, RESULTS_CSV, RESULTS_JSON, negotiate
from currigraph.named_queries import NamedQuery, bind_text, load_queries, openapi
from currigraph.serving.engine import Job
from currigraph.web.data import run, site_url
from currigraph.web.errors import HttpError

blueprint = Blueprint("api", __name__)


def queries() -> dict[str, NamedQuery]:
    """The named queries, read once per app."""
    return current_app.extensions["currigraph.queries"]


def _describe(query: NamedQuery) -> dict:
    return {
        "name": query.name, "title": query.title, "description": query.description, "tags": list(query.tags),
        "form": query.form, "url": f"/api/queries/{query.name}",
        "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default, "description": p.description}
                       for p in query.params],
        "sparql": query.text,
    }


@blueprint.get("/api/queries")
def list_queries() -> ResponseReturnValue:
    """Every named query with its parameters (JSON, or an HTML list for people)."""
    if negotiate((JSON, HTML), request.headers.get("Accept"), request.args.getlist("format")) is HTML:
        return render_template("query_list.html", queries=list(queries().values()))
    return Response(json.dumps([_describe(q) for q in queries().values()], indent=2), mimetype="application/json")


@blueprint.get("/api/openapi.json")
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of this API."""
    return Response(json.dumps(openapi(queries(), site_url()), indent=2), mimetype="application/json")


@blueprint.get("/api/queries/<name>")
def run_query(name: str) -> ResponseReturnValue:
    """Run one named query with typed parameters from the query string."""
    query = queries().get(name)
    if query is None:
        raise HttpError(404, f"no named query {name!r}; GET /api/queries lists them")
    fmt = negotiate((JSON, CSV, HTML), request.headers.get("Accept"), request.args.getlist("format"))
    values = {}
    for key in request.args:
        if key == "format":
            continue
        given = request.args.getlist(key)
        if len(given) > 1:
            raise HttpError(400, f"parameter {key!r} is given {len(given)} times; give it once")
        values[key] = given[0]
    text = bind_text(query, values)
    job = Job(text=text, format=(RESULTS_CSV.name if fmt is CSV else RESULTS_JSON.name,))
    answer = run(job)
    if answer.status != 200:
        raise HttpError(answer.status, answer.body.decode("utf-8", "replace"))
    if fmt is CSV:
        return Response(answer.body, content_type=answer.media_type)
    columns, rows = _rows(answer.body)
    if fmt is HTML:
        return render_template("query_table.html", query=query, columns=columns, rows=rows, values=values)
    return Response(json.dumps({"query": name, "columns": columns, "rows": rows}, indent=2, ensure_ascii=False),
                    mimetype="application/json")


def _rows(body: bytes) -> tuple[list[str], list[dict]]:
    """SPARQL JSON results as column names and rows of plain values."""
    data = json.loads(body)
    if "boolean" in data:
        return ["boolean"], [{"boolean": data["boolean"]}]
    columns = data["head"]["vars"]
    return columns, [{c: b[c]["value"] for c in columns if c in b} for b in data["results"]["bindings"]]


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    """Load the named queries of the project (config QUERIES_DIR) once."""
    from pathlib import Path

    folder = app.config.get("QUERIES_DIR")
    app.extensions["currigraph.queries"] = load_queries(Path(folder)) if folder else {}
