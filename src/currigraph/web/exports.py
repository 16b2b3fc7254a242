"""Exports over HTTP (/export), the project's JSON-LD context (/context.jsonld) and the dataset's DCAT/VoID description."""

import hashlib
import json
import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_file
from flask.typing import ResponseReturnValue

from currigraph.build.manifest import GRAPH_KINDS
from currigraph.export.catalogue import dataset_description
from currigraph.export.rdf import jsonld_context, write_jsonld
from currigraph.formats import DATASETS, GRAPHS, HTML, JSON_LD, N_QUADS, TURTLE, Format, negotiate
from currigraph.serving.engine import Job
from currigraph.serving.tasks import TaskFailed, TaskPool
from currigraph.web.data import answer_body, backend, project_files, site_url, timeout
from currigraph.web.errors import HttpError

blueprint = Blueprint("exports", __name__)


def graph_iris(kinds: frozenset[str]) -> list[str]:
    """The named graphs of the build of the given kinds (source, published, shared, ontology, inferred)."""
    return backend().manifest().iris(kinds)


def dump(graphs: list[str], fmt: Format) -> bytes:
    """The chosen graphs serialised by a worker (named graphs kept in TriG and N-Quads)."""
    return answer_body(Job(text="", kind="export", format=(fmt.name,), graphs=tuple(graphs)), timeout() * 4)


def context() -> dict:
    """The published JSON-LD context (the same one the CLI's JSON-LD export uses)."""
    return {"@context": jsonld_context(project_files().ontology, current_app.config["BASE"])}


@blueprint.get("/context.jsonld")
def context_document() -> ResponseReturnValue:
    """The JSON-LD context the JSON-LD export is compacted against."""
    return Response(json.dumps(context(), indent=2), mimetype="application/ld+json")


@blueprint.get("/export")
def export() -> ResponseReturnValue:
    """The whole dataset, or its asserted or inferred part, in one RDF syntax; or through a profile (profile=elm)."""
    profile = request.args.get("profile")
    if profile is not None:
        return _profile_export(profile)
    fmt = negotiate(DATASETS, "", request.args.getlist("format") or [TURTLE.name])
    which = request.args.get("graphs", "all")
    if which not in GRAPH_KINDS:
        raise HttpError(400, f"graphs must be one of {', '.join(GRAPH_KINDS)}")
    path = _exported(which, fmt)
    response = send_file(path, mimetype=fmt.content_type, conditional=False, etag=False, max_age=0)
    response.headers["Content-Disposition"] = f'inline; filename="currigraph-{which}.{fmt.extension}"'
    return response


_SPOOL_LOCK = threading.Lock()


def _exported(which: str, fmt: Format) -> Path:
    """The export file of this version of the dataset, written once (by a worker, into the spool folder) and streamed.

    Files of earlier versions are removed when a newer one is written; one export is written at a time.
    """
    folder: Path = current_app.extensions["currigraph.spool"]
    version = backend().version()
    stem = hashlib.sha256(version.encode()).hexdigest()[:16]
    path = folder / f"{stem}-{which}.{fmt.extension}"
    with _SPOOL_LOCK:
        if path.is_file():
            return path
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if not old.name.startswith(stem):
                old.unlink(missing_ok=True)
        if fmt is JSON_LD:
            nquads = _exported_unlocked(folder, stem, which, N_QUADS)
            _jsonld_from(nquads, path)
        else:
            _exported_unlocked(folder, stem, which, fmt)
    return path


def _exported_unlocked(folder: Path, stem: str, which: str, fmt: Format) -> Path:
    path = folder / f"{stem}-{which}.{fmt.extension}"
    if not path.is_file():
        job = Job(text="", kind="export", format=(fmt.name,), graphs=tuple(graph_iris(GRAPH_KINDS[which])), spool=str(path))
        answer = backend().run(job, timeout() * 4)
        if answer.status != 200:
            raise HttpError(answer.status if answer.status >= 500 else 502, answer.body.decode("utf-8", "replace"))
    return path


def _jsonld_from(nquads: Path, target: Path) -> None:
    """The JSON-LD export, compacted against the project's context, made from the N-Quads export in a task worker."""
    pool: TaskPool = current_app.extensions["currigraph.tasks"]
    try:
        pool.call(write_jsonld, (str(nquads), str(target), context()["@context"], current_app.config["BASE"]), timeout() * 4)
    except TaskFailed as err:
        raise HttpError(err.status, str(err)) from None


def _profile_export(profile: str) -> Response:
    """The ELM export (European Learning Model, LOQ profile), made in a task worker and kept per dataset version."""
    from currigraph.export.elm import ELM_FORMATS
    from currigraph.export.elm.tasks import export_nquads

    if profile != "elm":
        raise HttpError(400, f"profile must be elm, not {profile!r}")
    root = current_app.config.get("PROJECT_ROOT")
    if not root:
        raise HttpError(404, "the ELM export needs the project's settings (data/elm.yaml); this server has no project")
    fmt = negotiate(ELM_FORMATS, "", request.args.getlist("format") or [TURTLE.name])
    cache = current_app.extensions.setdefault("currigraph.elm", {})
    key = (backend().version(), fmt.name)
    if key not in cache:
        data = dump(graph_iris(GRAPH_KINDS["all"]), N_QUADS)
        pool: TaskPool = current_app.extensions["currigraph.tasks"]
        try:
            text, summary = pool.call(export_nquads, (data, root, current_app.config["BASE"], fmt.name), timeout() * 4)
        except TaskFailed as err:
            raise HttpError(err.status, str(err)) from None
        if len(cache) > 6:  # a few formats of the current version are enough
            cache.clear()
        cache[key] = (text, summary)
    text, summary = cache[key]
    response = Response(text, content_type=fmt.content_type)
    response.headers["Content-Disposition"] = f'inline; filename="currigraph-elm.{fmt.extension}"'
    response.headers["X-LOQ-Validation"] = summary.splitlines()[0][:300] if summary else ""
    return response


@blueprint.get("/.well-known/void")
def void() -> ResponseReturnValue:
    """DCAT-AP catalogue and VoID statistics of the dataset, negotiated (Turtle by default, and for browsers).

    The statistics are counted by the build and, after a write, in the background: never on a request.
    """
    statistics = backend().statistics(wait=20.0)  # a count under way (after a start or a write) is waited for, briefly
    if statistics is None:
        raise HttpError(503, "the dataset's statistics are being counted after a change; try again in a few seconds",
                        {"Retry-After": "5"})
    manifest = backend().manifest()
    cache = current_app.extensions.setdefault("currigraph.void", {})
    key = (site_url(), statistics.version)
    if key not in cache:
        cache.clear()
        cache[key] = dataset_description(statistics, site_url(), current_app.config["BASE"], manifest.kinds())
    fmt = negotiate((*GRAPHS, HTML), request.headers.get("Accept"), request.args.getlist("format"))
    fmt = TURTLE if fmt is HTML else fmt
    response = Response(cache[key].serialize(format=fmt.rdflib), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response
