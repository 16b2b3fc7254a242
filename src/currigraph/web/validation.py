"""Validating new course data over HTTP (/validate, API and web form) and publishing it (/courses).

The web process does I/O only: parsing, checking and reasoning over what a client sent run in task workers with
the query time limit (courses.publication, serving.tasks); the context a check needs comes from the store through
a query worker. Publishing writes the course's file first (fsynced), then the live store; if the store refuses,
the file is put back, so that what is answered is what is stored.
"""

import errno
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue

from currigraph.courses import publication
from currigraph.courses.storage import graph_names, write_published
from currigraph.files import atomic_file
from currigraph.formats import HTML, JSON, TURTLE, negotiate
from currigraph.remote.client import StoreError
from currigraph.serving.engine import Job
from currigraph.serving.tasks import TaskFailed, TaskPool
from currigraph.validation.report import Report, to_json, to_turtle
from currigraph.vocab import CG_NS, is_absolute_iri
from currigraph.web.auth import writes
from currigraph.web.data import answer_body, backend, project_files, timeout
from currigraph.web.errors import HttpError

blueprint = Blueprint("validation", __name__)
_PUBLISH_LOCK = threading.Lock()


def _task(function: Callable[..., Any], *args: Any) -> Any:
    """Run one step in a task worker within the time limit; a step past it is a 503 that says so."""
    pool: TaskPool = current_app.extensions["currigraph.tasks"]
    try:
        return pool.call(function, args, timeout())
    except TaskFailed as err:
        raise HttpError(err.status, f"{err}; nothing was changed") from None


def _query_nt(query: str | None) -> bytes:
    """The N-Triples a CONSTRUCT gives, fetched through a query worker (the web process holds no store)."""
    return answer_body(Job(text=query, format=("nt",))) if query else b""


def _programme() -> str | None:
    value = request.args.get("programme")
    if value is None:
        return None
    if not is_absolute_iri(value):
        raise HttpError(400, f"the programme parameter must be an absolute IRI, got {value!r}")
    return value


def _report_response(report: Report, status: int, submission_text: str | None = None, extra: dict | None = None) -> Response:
    fmt = negotiate((JSON, TURTLE, HTML), request.headers.get("Accept"), request.args.getlist("format"))
    if fmt is TURTLE:
        return Response(to_turtle(report), status=status, content_type=TURTLE.content_type)
    if fmt is HTML:
        lines = (submission_text or "").splitlines()
        return Response(render_template("validation_report.html", report=report, lines=lines, extra=extra or {}), status=status)
    body = json.loads(to_json(report))
    body.update(extra or {})
    return Response(json.dumps(body, indent=2, ensure_ascii=False), status=status, mimetype="application/json")


def _submitted() -> tuple[bytes, str | None, str]:
    """The submitted bytes, media type and a name for messages, from a raw body or from the web form."""
    if request.mimetype == "multipart/form-data" or request.mimetype == "application/x-www-form-urlencoded":
        upload = request.files.get("file")
        if upload is not None and upload.filename:
            return upload.read(), upload.mimetype if upload.mimetype != "application/octet-stream" else None, upload.filename
        text = request.form.get("data", "")
        kind = request.form.get("type") or None
        return text.encode("utf-8"), kind, "pasted data"
    return request.get_data(cache=True), request.mimetype or None, "request body"


@blueprint.get("/validate")
def form() -> ResponseReturnValue:
    """A page where a person pastes or uploads a course and sees the report."""
    return render_template("validate_form.html")


@blueprint.post("/validate")
def validate_route() -> ResponseReturnValue:
    """Validate the body (Markdown course page or RDF) against the shapes in the context of the graph."""
    data, media_type, name = _submitted()
    parsed: publication.Parsed = _task(publication.parse, data, media_type, name, current_app.config["BASE"], _programme(), False)
    checked: publication.Checked = _task(publication.check_parsed, parsed, _query_nt(parsed.context_query),
                                         current_app.config.get("PROJECT_ROOT"))
    text = data.decode("utf-8", "replace") if media_type in (None, "text/markdown") else None
    return _report_response(checked.report, 200, text)


@blueprint.post("/courses")
@writes("publishing courses", lambda config: bool(config.get("TOKEN")), "start the server with CURRIGRAPH_TOKEN set to turn it on")
def publish() -> ResponseReturnValue:
    """Validate a course and, when it conforms, write it durably and into the live graph (201), else 422."""
    data, media_type, name = _submitted()
    config = current_app.config
    parsed: publication.Parsed = _task(publication.parse, data, media_type, name, config["BASE"], _programme(), True)
    if len(parsed.courses) != 1 or parsed.slug is None:
        raise HttpError(422, f"a publication holds exactly one course (a cg:Course); this one holds {len(parsed.courses)}")
    if parsed.refusals:
        raise HttpError(422, "refused:\n" + "\n".join(parsed.refusals[:20]))
    course, slug = parsed.courses[0], parsed.slug
    with _PUBLISH_LOCK:  # one publication at a time: the earlier version read below is the one replaced
        current = _query_nt(_current_query(slug))
        checked: publication.Checked = _task(publication.check_publication, parsed, _query_nt(parsed.context_query), current,
                                             config.get("PROJECT_ROOT"), config["BASE"])
        if not checked.report.conforms:
            return _report_response(checked.report, 422, extra={"course": course})
        earlier = _published_course(slug)
        if earlier is not None and earlier != course:
            raise HttpError(409, f"the name {slug!r} is taken by another published course, {earlier}; a different course needs "
                                 "a different title (or IRI). Nothing was changed.")
        _store(slug, checked)
    replaced = earlier is not None
    message = f"replaced the earlier version of {course}" if replaced else f"published {course}"
    response = _report_response(checked.report, 201, extra={"course": course, "replaced": replaced, "message": message})
    response.headers["Location"] = course
    return response


def _current_query(slug: str) -> str:
    """The triples the store holds now in the named graphs of a published course (none the first time)."""
    names = " ".join(f"<{name}>" for name in graph_names(_minter_base(), slug))
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} }}"


def _minter_base():  # noqa: ANN202 - a Minter, imported here to keep the module's imports to what the routes use
    from currigraph.iris import Minter

    return Minter(current_app.config["BASE"])


def _published_course(slug: str) -> str | None:
    """The course the store holds under a published name (None when the name is free)."""
    asserted, _ = graph_names(_minter_base(), slug)
    query = f"SELECT ?c WHERE {{ GRAPH <{asserted}> {{ ?c a <{CG_NS}Course> }} }} LIMIT 1"
    rows = json.loads(answer_body(Job(text=query, format=("json",))))["results"]["bindings"]
    return rows[0]["c"]["value"] if rows else None


def _store(slug: str, checked: publication.Checked) -> None:
    """Durable first, then live.

    With the embedded store, durable means the fsynced file under data/published (a rebuild reads it); with a
    remote store, the store is the record, and its answer to the update is what makes the course durable.
    """
    import pyoxigraph as ox

    store = backend()
    graphs = [(entry, list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))) for entry, data in checked.graphs]
    path = project_files().published_dir / f"{slug}.ttl"
    previous = _read_bytes(path) if store.keeps_files else None
    if store.keeps_files:
        assert checked.turtle is not None  # a conforming publication always has its file
        _write_file(lambda: write_published(path.parent, slug, checked.turtle or b""), path)
    try:
        store.replace_graphs(graphs, timeout())  # type: ignore[arg-type]
    except StoreError:
        if store.keeps_files:  # the live graph refused it: the file goes back to what it was, so both agree
            _write_file(lambda: _restore(path, previous), path)
        raise


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise HttpError(503, f"cannot read {path}: {err.strerror}; nothing was changed") from None


def _restore(path: Path, previous: bytes | None) -> None:
    if previous is None:
        path.unlink(missing_ok=True)
        return
    with atomic_file(path) as handle:
        handle.write(previous)


def _write_file(write: Callable[[], object], path: Path) -> None:
    """Write a course file; a full or read-only disk is a 507 / 503 that says which, not a bare 500."""
    try:
        write()
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise HttpError(507, f"the disk holding {path.parent} is full; the course was not published") from None
        if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise HttpError(503, f"{path.parent} cannot be written ({err.strerror}); the course was not published") from None
        raise HttpError(503, f"writing {path} failed ({err.strerror}); the course was not published") from None
