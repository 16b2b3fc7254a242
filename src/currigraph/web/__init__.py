"""The web application: an app factory and one blueprint per area (SPARQL protocol, health, pages, API)."""

import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from currigraph.remote.client import StoreError
from currigraph.serving.backend import Backend, open_backend
from currigraph.serving.engine import Job

DEFAULTS: dict[str, Any] = {
    "BUILD_DIR": "build",
    "TIMEOUT": 30.0,
    "CORS": False,
    "UPDATE": False,
    "TOKEN": None,
    "MAX_BODY_BYTES": 1024 * 1024,
    "MAX_QUERY_STRING": 16 * 1024,
    "WORKERS": 2,
    "QUEUE_TIMEOUT": 300.0,  # how long a request may wait for a free query worker before it gets 503
    "STORE_QUERY_URL": None,  # a remote SPARQL store to serve from instead of the build's embedded store
    "STORE_UPDATE_URL": None,
    "STORE_TOKEN": None,
    "MAX_RESULT_BYTES": 256 * 1024 * 1024,  # largest answer read from a remote store
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app for a built dataset; config keys as in DEFAULTS (configuration is passed in, not global)."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    if not app.config.get("BASE"):
        from currigraph.build.manifest import read_manifest

        app.config["BASE"] = read_manifest(Path(app.config["BUILD_DIR"])).base
    app.extensions["currigraph.backend"] = open_backend(app.config)

    from currigraph.web import api, exports, health, pages, sparql, ui, validation

    api.init_app(app)
    _load_schema(app)
    for module in (sparql, health, api, ui, validation, exports, pages):
        app.register_blueprint(module.blueprint)
    _install_guards(app)
    return app


class SchemaFiles(dict):
    """The ontology and shapes, parsed on first use (so that the server is ready before they are needed)."""

    def __init__(self, root: str | None, build_dir: Path) -> None:
        from currigraph.project import Project

        project = Project(Path(root)) if root else None
        super().__init__(published_dir=project.published_dir if project else build_dir / "published")
        self._project = project
        self._lock = threading.Lock()

    def __missing__(self, key: str) -> object:
        from rdflib import Graph

        from currigraph.project import load_turtle_dir

        with self._lock:
            if key not in ("ontology", "shapes"):
                raise KeyError(key)
            if key not in self:
                folder = getattr(self._project, f"{key}_dir", None) if self._project else None
                self[key] = load_turtle_dir(folder) if folder else Graph()
            return dict.__getitem__(self, key)


def _load_schema(app: Flask) -> None:
    """Where validation finds the ontology and shapes (from the project when one is configured)."""
    app.extensions["currigraph.schema"] = SchemaFiles(app.config.get("PROJECT_ROOT"), Path(app.config["BUILD_DIR"]))


def _install_guards(app: Flask) -> None:
    """Limits, CORS and error pages that apply to every route."""

    @app.before_request
    def limit_query_string() -> Response | None:
        if len(request.query_string) > app.config["MAX_QUERY_STRING"]:
            return plain(414, f"URI too long: the query string is over {app.config['MAX_QUERY_STRING']} bytes; POST the query instead.")
        if request.method == "OPTIONS" and app.config["CORS"]:
            return Response(status=204)
        return None

    @app.after_request
    def cors(response: Response) -> Response:
        if app.config["CORS"]:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
            response.headers["Access-Control-Max-Age"] = "3600"
        return response

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        messages = {413: f"request body too large: the limit is {app.config['MAX_BODY_BYTES']} bytes"}
        return plain(err.code or 500, messages.get(err.code or 0, f"{err.name}: {err.description}"))

    @app.errorhandler(StoreError)
    def store_error(err: StoreError) -> Response:
        return plain(err.status, str(err))

    @app.errorhandler(Exception)
    def internal_error(err: Exception) -> Response:
        app.logger.exception("unhandled error")
        return plain(500, f"internal error ({type(err).__name__}); the request was not carried out")


def backend() -> Backend:
    """The store the current app serves from."""
    from flask import current_app

    return current_app.extensions["currigraph.backend"]


def answer_body(job: Job, timeout: float) -> bytes:
    """Run a job on the store: the body of its answer, or StoreError carrying the failure (5xx kept, others 502)."""
    answer = backend().run(job, timeout)
    if answer.status != 200:
        raise StoreError(answer.status if answer.status >= 500 else 502, answer.body.decode("utf-8", "replace"))
    return answer.body


def plain(status: int, message: str) -> Response:
    """A text/plain response with a message for people."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
