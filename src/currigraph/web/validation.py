"""Validating new course data over HTTP (/validate, API and web form) and publishing it (/courses)."""

import errno
import json
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from rdflib import Graph, URIRef

from currigraph.courses.storage import course_graphs, course_slug, graph_names, write_published
from currigraph.courses.submission import Submission, foreign_subjects, parse_submission, schema_changes
from currigraph.errors import InputError
from currigraph.files import atomic_file
from currigraph.formats import HTML, JSON, TURTLE, negotiate
from currigraph.iris import Minter
from currigraph.remote.client import StoreError
from currigraph.serving.engine import Job
from currigraph.validation.courses import attach_programme, check, context_query
from currigraph.validation.report import Report, to_json, to_turtle
from currigraph.vocab import CG_NS, is_absolute_iri
from currigraph.web.auth import writes
from currigraph.web.data import answer_body, backend, project_files, timeout
from currigraph.web.errors import HttpError

blueprint = Blueprint("validation", __name__)
_PUBLISH_LOCK = threading.Lock()


def _minter() -> Minter:
    return Minter(current_app.config["BASE"])


def _context(submission: Submission) -> Graph:
    """The graph around the submission, fetched through a query worker (the web process holds no store)."""
    query = context_query(submission.graph)
    if query is None:
        return Graph()
    body = answer_body(Job(text=query, format=("nt",)))
    return Graph().parse(data=body.decode("utf-8"), format="nt")


def _programme() -> URIRef | None:
    value = request.args.get("programme")
    if value is None:
        return None
    if not is_absolute_iri(value):
        raise InputError(f"programme must be an absolute IRI, got {value!r}", "programme")
    return URIRef(value)


def _validate(submission: Submission, programme: URIRef | None = None) -> tuple[Report, Graph]:
    files = project_files()
    if programme is not None:
        attach_programme(submission, programme)
    context = _context(submission)
    return check(submission, context, files.ontology, files.shapes), context


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
    programme = _programme()
    submission = parse_submission(data, media_type, name, _minter())
    report, _ = _validate(submission, programme)
    text = data.decode("utf-8", "replace") if media_type in (None, "text/markdown") else None
    return _report_response(report, 200, text)


@blueprint.post("/courses")
@writes("publishing courses", lambda config: bool(config.get("TOKEN")), "start the server with CURRIGRAPH_TOKEN set to turn it on")
def publish() -> ResponseReturnValue:
    """Validate a course and, when it conforms, write it durably and into the live graph (201), else 422."""
    data, media_type, name = _submitted()
    minter = _minter()
    programme = _programme()
    submission = parse_submission(data, media_type, name, minter)
    courses = submission.courses()
    if len(courses) != 1:
        raise HttpError(422, f"a publication holds exactly one course (a cg:Course); this one holds {len(courses)}")
    slug = course_slug(courses[0], submission.graph, minter)
    if submission.markdown:
        # Converted again under its published name, so its provenance IRIs belong to this course alone.
        submission = parse_submission(data, media_type, f"published-{slug}.md", minter)
    course = submission.courses()[0]
    refusals = schema_changes(submission.graph) + [
        f"{s} is not part of this course; a publication may only describe the course itself"
        for s in foreign_subjects(submission.graph, course, minter.base)]
    if refusals:
        raise HttpError(422, "refused:\n" + "\n".join(refusals))
    report, context = _validate(submission, programme)
    if not report.conforms:
        return _report_response(report, 422, extra={"course": str(course)})
    earlier = _published_course(slug)
    if earlier is not None and earlier != str(course):
        raise HttpError(409, f"the name {slug!r} is taken by another published course, {earlier}; a different course needs "
                             "a different title (or IRI). Nothing was changed.")
    _store(slug, submission.graph, context)
    replaced = earlier is not None
    message = f"replaced the earlier version of {course}" if replaced else f"published {course}"
    response = _report_response(report, 201, extra={"course": str(course), "replaced": replaced, "message": message})
    response.headers["Location"] = str(course)
    return response


def _published_course(slug: str) -> str | None:
    """The course the store holds under a published name (None when the name is free)."""
    asserted, _ = graph_names(_minter(), slug)
    query = f"SELECT ?c WHERE {{ GRAPH <{asserted}> {{ ?c a <{CG_NS}Course> }} }} LIMIT 1"
    rows = json.loads(answer_body(Job(text=query, format=("json",))))["results"]["bindings"]
    return rows[0]["c"]["value"] if rows else None


def _current(slug: str) -> Graph:
    """The triples the store holds now in the named graphs of a published course (empty the first time)."""
    names = " ".join(f"<{name}>" for name in graph_names(_minter(), slug))
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    body = answer_body(Job(text=query, format=("nt",)))
    return Graph().parse(data=body.decode("utf-8"), format="nt")


def _store(slug: str, graph: Graph, context: Graph) -> None:
    """Durable first, then live; one publication at a time.

    With the embedded store, durable means the fsynced file under data/published (a rebuild reads it); with a
    remote store, the store is the record, and its answer to the update is what makes the course durable.
    """
    store = backend()
    files = project_files()
    with _PUBLISH_LOCK:
        # What an earlier version of this course put in the store is about to be replaced: reasoning must not treat
        # it as known context, or the new inferences would leave out what the old ones already said.
        graphs = course_graphs(_minter(), slug, graph, files.ontology, context - _current(slug))
        path = files.published_dir / f"{slug}.ttl"
        previous = _read_bytes(path) if store.keeps_files else None
        if store.keeps_files:
            _write_file(lambda: write_published(files.published_dir, slug, graph), path)
        try:
            store.replace_graphs(graphs, timeout())
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
