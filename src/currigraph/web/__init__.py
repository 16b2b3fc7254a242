"""The web application: an app factory and one blueprint per area (SPARQL protocol, health, pages, API, exports)."""

from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from currigraph.web.errors import HttpError

DEFAULTS: dict[str, Any] = {
    "BUILD_DIR": "build",
    "TIMEOUT": 30.0,
    "CORS": False,
    "UPDATE": False,
    "TOKEN": None,
    "MAX_BODY_BYTES": 1024 * 1024,
    "MAX_QUERY_STRING": 16 * 1024,
    "WORKERS": 2,
    "TASK_WORKERS": 1,  # processes that parse and check submitted course data (started on first use)
    "QUEUE_TIMEOUT": 300.0,  # how long a request may wait for a free query worker before it gets 503
    "STORE_QUERY_URL": None,  # a remote SPARQL store to serve from instead of the build's embedded store
    "STORE_UPDATE_URL": None,
    "STORE_TOKEN": None,
    "MAX_ANSWER_BYTES": 256 * 1024 * 1024,  # largest answer a query gives (a worker's, or one read from a remote store)
    "PUBLIC_URL": None,  # the server's public URL (https://data.example.org/): links and catalogue IRIs use it
    "ALLOWED_HOSTS": None,  # Host header values accepted (others get 400); None accepts any
    "PROXY": False,  # trust X-Forwarded-For/Proto/Host/Prefix from one reverse proxy in front
    "CACHE_BYTES": 128 * 1024 * 1024,  # answers kept per dataset version (0: no cache, `serve --no-cache`)
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app for a built dataset; config keys as in DEFAULTS (configuration is passed in, not global)."""
    from currigraph.serving.backend import open_backend
    from currigraph.serving.cache import AnswerCache
    from currigraph.serving.tasks import TaskPool
    from currigraph.web import api, errors, exports, health, pages, sparql, ui, validation, versioning
    from currigraph.web.data import ProjectFiles

    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    if app.config["ALLOWED_HOSTS"]:
        app.config["TRUSTED_HOSTS"] = list(app.config["ALLOWED_HOSTS"])  # Flask answers other Host headers with 400
    if app.config["PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)  # type: ignore[method-assign]
    if not app.config.get("BASE"):
        from currigraph.build.manifest import read_manifest

        app.config["BASE"] = read_manifest(Path(app.config["BUILD_DIR"])).base
    app.extensions["currigraph.backend"] = open_backend(app.config)
    app.extensions["currigraph.files"] = ProjectFiles(app.config.get("PROJECT_ROOT"), Path(app.config["BUILD_DIR"]))
    app.extensions["currigraph.cache"] = AnswerCache(int(app.config["CACHE_BYTES"]))
    app.extensions["currigraph.spool"] = _spool_folder(app.config)
    app.extensions["currigraph.tasks"] = TaskPool(int(app.config["TASK_WORKERS"]), float(app.config["QUEUE_TIMEOUT"]))
    api.init_app(app)
    for module in (sparql, health, api, ui, validation, exports, pages):
        app.register_blueprint(module.blueprint)
    errors.install(app)
    versioning.install(app)
    _install_guards(app)
    return app


def _spool_folder(config: dict[str, Any]) -> Path:
    """Where exports are written before they are streamed: beside the build, or a folder of its own for a remote store."""
    if config.get("STORE_QUERY_URL") or not Path(config["BUILD_DIR"]).is_dir():
        import tempfile

        return Path(tempfile.mkdtemp(prefix="currigraph-exports-"))
    return Path(config["BUILD_DIR"]) / ".exports"


def _install_guards(app: Flask) -> None:
    """Limits and CORS that apply to every route."""

    @app.before_request
    def limit_query_string() -> Response | None:
        if len(request.query_string) > app.config["MAX_QUERY_STRING"]:
            raise HttpError(414, f"URI too long: the query string is over {app.config['MAX_QUERY_STRING']} bytes; POST the query instead.")
        if request.method == "OPTIONS" and app.config["CORS"]:
            return Response(status=204)
        return None

    @app.after_request
    def cors(response: Response) -> Response:
        # Browsers must not guess another type than the one stated (a stored text sniffed as HTML would run).
        response.headers["X-Content-Type-Options"] = "nosniff"
        if app.config["CORS"]:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
            response.headers["Access-Control-Max-Age"] = "3600"
        return response


def close_app(app: Flask) -> None:
    """Stop the processes an app started (query workers, task workers)."""
    app.extensions["currigraph.tasks"].close()
    app.extensions["currigraph.backend"].close()
    spool: Path = app.extensions["currigraph.spool"]
    if spool.name.startswith("currigraph-exports-"):  # a folder of its own (remote store): nothing outlives the server
        import shutil

        shutil.rmtree(spool, ignore_errors=True)
