"""GET /health: the server is up, and how many triples it serves."""

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from currigraph.remote.client import StoreError
from currigraph.web.data import backend

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health() -> ResponseReturnValue:
    """200 with the triple count of the served dataset; 503 when its store cannot be used."""
    try:
        facts = backend().health()
        manifest = backend().manifest()
    except StoreError as err:
        return jsonify(status="unavailable", message=str(err)), 503
    cache = current_app.extensions["currigraph.cache"].stats()
    return jsonify(status="ok", triples=manifest.triples, graphs=len(manifest.graphs), version=backend().version(), cache=cache, **facts)
