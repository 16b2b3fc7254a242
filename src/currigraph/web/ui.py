"""The home page at / (what the dataset holds, and the YASGUI query UI, served from local files) and its assets."""

from pathlib import Path

from flask import Blueprint, current_app, render_template, send_from_directory
from flask.typing import ResponseReturnValue

from currigraph.vocab import PREFIXES
from currigraph.web.errors import HttpError

blueprint = Blueprint("ui", __name__)

# The only front-end files served, by public name: (npm package folder, file inside it).
ASSETS = {
    "yasgui.min.js": ("@zazuko/yasgui/build", "yasgui.min.js"),
    "yasgui.min.css": ("@zazuko/yasgui/build", "yasgui.min.css"),
    "vega.min.js": ("vega/build", "vega.min.js"),
    "vega-lite.min.js": ("vega-lite/build", "vega-lite.min.js"),
    "vega-embed.min.js": ("vega-embed/build", "vega-embed.min.js"),
}


@blueprint.get("/assets/<name>")
def asset(name: str) -> ResponseReturnValue:
    """A front-end file installed by `npm ci` (never fetched from a CDN)."""
    if name not in ASSETS:
        raise HttpError(404, f"no asset {name!r}")
    folder, filename = ASSETS[name]
    root = Path(current_app.config.get("ASSETS_DIR") or "node_modules") / folder
    if not (root / filename).is_file():
        raise HttpError(404, f"{name} is not installed: run `npm ci` in the project directory")
    return send_from_directory(root, filename, max_age=86400)


@blueprint.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """No icon: answer 204 rather than a 404 in every browser console."""
    return "", 204


@blueprint.get("/")
def query_ui() -> ResponseReturnValue:
    """The YASGUI query editor with the named queries as ready tabs."""
    queries = current_app.extensions["currigraph.queries"]
    prefixes = dict(PREFIXES)
    prefixes["data"] = current_app.config["BASE"]
    from currigraph.web import page_data
    from currigraph.web.pages import local_path

    tabs = [{"name": q.title, "query": q.text} for q in queries.values()]
    return render_template("ui.html", tabs=tabs, prefixes=prefixes, counts=page_data.counts_by_class(),
                           programmes=page_data.programmes(), local=local_path)
