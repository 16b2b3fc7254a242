"""The home page at / (what the dataset holds, and the YASGUI query UI, served from local files) and its assets."""

from pathlib import Path

from flask import Blueprint, current_app, render_template, send_file
from flask.typing import ResponseReturnValue

from currigraph.bundle import ASSETS
from currigraph.named_queries import NamedQuery, ParameterError, bind_text
from currigraph.resources import asset_file
from currigraph.vocab import PREFIXES
from currigraph.web.errors import HttpError

blueprint = Blueprint("ui", __name__)


@blueprint.get("/assets/<name>")
def asset(name: str) -> ResponseReturnValue:
    """A front-end file from npm: the installed package's copy, or node_modules in a checkout (never a CDN)."""
    if name not in ASSETS:
        raise HttpError(404, f"no asset {name!r}")
    folder = current_app.config.get("ASSETS_DIR")
    path = asset_file(name, Path(folder) if folder else None)
    if path is None:
        raise HttpError(404, f"{name} is not installed: run `npm ci` in the currigraph checkout, or install currigraph from its wheel")
    return send_file(path, max_age=86400)


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

    tabs = [{"name": q.title, "query": _with_defaults(q)} for q in queries.values()]
    return render_template("ui.html", tabs=tabs, prefixes=prefixes, counts=page_data.counts_by_class(),
                           programmes=page_data.programmes(), local=local_path)


def _with_defaults(query: NamedQuery) -> str:
    """A named query's text with its parameters bound to their defaults (a VALUES line), so that its tab runs as it is."""
    try:
        return bind_text(query, {})
    except ParameterError:  # a parameter without a default: the tab shows the query to be completed
        return query.text
