"""GET /health: the server is up, and how many triples it serves."""

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health() -> ResponseReturnValue:
    """200 with the triple count of the served dataset."""
    manifest = current_app.config["MANIFEST"]
    pool = current_app.extensions["currigraph.pool"]
    return jsonify(status="ok", triples=manifest["triples"], graphs=len(manifest["graphs"]), workers=pool.size)
