"""The SPARQL 1.1 Protocol at /sparql: queries by GET and POST, updates by POST when enabled."""

from functools import lru_cache
from urllib.parse import parse_qs

from flask import Blueprint, Response, redirect, request
from flask.typing import ResponseReturnValue

from currigraph.formats import ALL, CONSTRUCTED, RESULTS, FormatError, find, negotiate
from currigraph.serving.engine import Answer, Job
from currigraph.sparql import QueryFacts, ServiceCall, SparqlRefused, inspect_query, inspect_update, with_using
from currigraph.vocab import is_absolute_iri
from currigraph.web.auth import writes
from currigraph.web.data import backend, run, site_url, timeout
from currigraph.web.errors import HttpError
from currigraph.web.service_description import service_description

blueprint = Blueprint("sparql", __name__)


def _params(raw: bytes) -> dict[str, list[str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request parameters are not valid UTF-8") from None
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise HttpError(400, "a request parameter is not valid UTF-8 once its %-escapes are decoded") from None


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise HttpError(400, f"the '{name}' parameter is given {len(values)} times; give it once")
    return values[0] if values else None


def _format(params: dict[str, list[str]]) -> tuple[str, ...]:
    """The format parameter values; clients such as SPARQLWrapper repeat it (name, then media types)."""
    values = tuple(v for v in params.get("format", []) if v.strip())
    for value in values:
        if "/" not in value and not any(find(ALL, part) for part in value.split(",")):
            raise FormatError(400, f"format={value!r} is not a format this endpoint knows; use one of: "
                                   + ", ".join(dict.fromkeys(f.name for f in ALL)))
    return values


def _body_text() -> str:
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as err:
        raise HttpError(400, f"the request body is not valid UTF-8 (byte {err.start})") from None


def _read_request() -> tuple[str, str | None, dict[str, list[str]]]:
    """(kind, text, params) of a protocol request; kind is 'query', 'update' or 'describe-service'."""
    url_params = _params(request.query_string)
    if request.method in ("GET", "HEAD"):  # HEAD: a GET whose body the server leaves out
        if "update" in url_params:
            raise HttpError(405, "SPARQL updates must be sent with POST, not GET")
        query = _one(url_params, "query")
        return ("query", query, url_params) if query is not None else ("describe-service", None, url_params)
    media_type = (request.mimetype or "").lower()
    if media_type == "application/x-www-form-urlencoded":
        form = _params(request.get_data(cache=True))
        query, update = _one(form, "query"), _one(form, "update")
        if query is not None and update is not None:
            raise HttpError(400, "give either 'query' or 'update', not both")
        if query is None and update is None:
            raise HttpError(400, "the form has neither a 'query' nor an 'update' field")
        merged = {**url_params, **{k: v for k, v in form.items() if k not in ("query", "update")}}
        return ("query", query, merged) if query is not None else ("update", update, merged)
    if media_type == "application/sparql-query":
        return "query", _body_text(), url_params
    if media_type == "application/sparql-update":
        return "update", _body_text(), url_params
    if not media_type:
        raise HttpError(400, "POST needs a Content-Type: application/sparql-query, application/sparql-update "
                                 "or application/x-www-form-urlencoded")
    raise HttpError(415, f"unsupported Content-Type {media_type!r}; use application/sparql-query, "
                             "application/sparql-update or application/x-www-form-urlencoded")


def _to_response(answer: Answer) -> Response:
    response = Response(answer.body, status=answer.status, content_type=answer.media_type)
    if answer.status == 200:
        response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/sparql", methods=["GET", "POST"])
@blueprint.route("/sparql/", methods=["GET", "POST"])
def sparql() -> ResponseReturnValue:
    """One SPARQL protocol request: a query, an update, or (GET without query) the service description."""
    kind, text, params = _read_request()
    if kind == "describe-service":
        if request.accept_mimetypes.best == "text/html" and "format" not in params:
            return redirect("/", code=303)
        return service_description(list(_format(params)))
    assert text is not None
    if not text.strip():
        raise HttpError(400, f"the {kind} is empty")
    if kind == "update":
        return _update(text, params)
    return _query(text, params)


def _query(text: str, params: dict[str, list[str]]) -> Response:
    facts = checked_query(text, _base_iri())
    offered = CONSTRUCTED if facts.form in ("CONSTRUCT", "DESCRIBE") else RESULTS
    negotiate(offered, request.headers.get("Accept", ""), _format(params))  # 406 before the query runs, not after
    job = Job(
        text=text,
        default_graphs=_graph_iris(params, "default-graph-uri"),
        named_graphs=_graph_iris(params, "named-graph-uri"),
        accept=request.headers.get("Accept", ""),
        format=_format(params),
        base_iri=_base_iri(),
        names_dataset=facts.declares_dataset,
        form=facts.form,
    )
    return _to_response(run(job))


def _graph_iris(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    """The graph IRIs of a dataset parameter (400 for anything but an absolute IRI)."""
    for value in params.get(name, []):
        if not is_absolute_iri(value):
            raise HttpError(400, f"{name} must be an absolute IRI, got {value!r}")
    return tuple(params.get(name, []))


def _refused(err: SparqlRefused, what: str) -> HttpError:
    return HttpError(400, f"{what} refused: {err}")


def _where(call: ServiceCall) -> str:
    return f"line {call.line}, column {call.column}"


@lru_cache(maxsize=512)
def _inspected_query(text: str, base_iri: str) -> QueryFacts | SparqlRefused:
    try:
        return inspect_query(text, base_iri=base_iri)
    except SparqlRefused as err:
        return err


def checked_query(text: str, base_iri: str) -> QueryFacts:
    """Parse a query as the engine will and refuse what must not run: syntax errors, texts past the size and depth
    limits, SERVICE (the endpoint never contacts anything on a query's behalf), extension functions it lacks."""
    # Repeated texts (named queries, pages, clients polling) are parsed once; long ones are parsed every time.
    facts = _inspected_query(text, base_iri) if len(text) <= 16 * 1024 else _uncached(text, base_iri)
    if isinstance(facts, SparqlRefused):
        raise _refused(facts, "query")
    if facts.services:
        raise HttpError(400, "SERVICE is not allowed: this endpoint never contacts other services on a query's behalf "
                             f"({_where(facts.services[0])})")
    if facts.extension_functions:
        raise HttpError(400, f"the function <{facts.extension_functions[0]}> is not supported by this endpoint")
    return facts


def _uncached(text: str, base_iri: str) -> QueryFacts | SparqlRefused:
    return _inspected_query.__wrapped__(text, base_iri)


def _base_iri() -> str:
    """Relative IRIs in queries and updates resolve against the endpoint's own URL."""
    return site_url() + "sparql"


@writes("SPARQL Update", lambda config: bool(config["UPDATE"]), "start the server with --update to allow it")
def _update(text: str, params: dict[str, list[str]]) -> Response:
    try:
        facts = inspect_update(text, base_iri=_base_iri())
    except SparqlRefused as err:
        raise _refused(err, "update") from None
    if facts.services:
        raise HttpError(400, f"SERVICE is not allowed in updates ({_where(facts.services[0])})")
    if facts.loads:
        raise HttpError(400, f"LOAD <{facts.loads[0].source}> is refused: this endpoint never fetches URLs; "
                             "send the data itself (INSERT DATA, or publish it with `currigraph build`)")
    if facts.extension_functions:
        raise HttpError(400, f"the function <{facts.extension_functions[0]}> is not supported by this endpoint")
    using, using_named = _graph_iris(params, "using-graph-uri"), _graph_iris(params, "using-named-graph-uri")
    if using or using_named:
        try:
            text = with_using(text, facts, list(using), list(using_named))
        except ValueError as err:
            raise HttpError(400, f"using-graph-uri / using-named-graph-uri: {err}") from None
    answer = backend().update(text, _base_iri(), timeout())
    if answer.status == 204:
        return Response(status=204)
    return _to_response(answer)
