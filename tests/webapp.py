"""The app in-process: its configuration as `currigraph serve` makes it, and Flask's test client behind the live Server's interface.

A test written against `request(method, path, body, headers) -> (status, headers, body)` runs unchanged on an
AppClient (no socket: Flask's test client) or on a tests.live.Server (`currigraph serve` on 127.0.0.1).
"""

from pathlib import Path
from typing import Any

from flask import Flask

from currigraph import cli
from currigraph.project import Project
from tests.stores import Oxigraph


def serve_config(root: Path, **overrides: Any) -> dict[str, Any]:
    """The configuration `currigraph serve` hands to create_app for a built project (cli.serve, its defaults), with overrides."""
    project = Project(root)
    option = cli.serve.make_context("serve", []).params  # the options as `currigraph serve` alone sets them
    config: dict[str, Any] = {
        "TESTING": True,
        "BUILD_DIR": str(project.build_dir),
        "TIMEOUT": option["timeout"],
        "CORS": option["cors"],
        "UPDATE": option["update"],
        "TOKEN": None,
        "WORKERS": option["workers"],
        "QUEUE_TIMEOUT": option["queue_timeout"],
        "MAX_BODY_BYTES": option["max_body"],
        "QUERIES_DIR": str(project.queries_dir),
        "ASSETS_DIR": str(project.root / "node_modules"),
        "PROJECT_ROOT": str(project.root),
        "STORE_QUERY_URL": None,
        "STORE_UPDATE_URL": None,
        "STORE_TOKEN": None,
    }
    config.update(overrides)
    return config


def remote_config(root: Path, store: Oxigraph, **overrides: Any) -> dict[str, Any]:
    """The configuration of `currigraph serve --store QUERY_URL --store-update UPDATE_URL` on a project."""
    return serve_config(root, STORE_QUERY_URL=store.query_url, STORE_UPDATE_URL=store.update_url, BASE=Project(root).base,
                        **overrides)


class AppClient:
    """Flask's test client with the interface of tests.live.Server: request() gives (status, lower-case headers, body)."""

    url = "http://localhost"  # what the app sees as its own address (the service description names it)

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
        """One request to the app (timeout is the live server's socket timeout: the app's own time limits apply here)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        response = self.client.open(path, method=method, data=data, headers=headers or {})
        try:
            return response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.get_data()
        finally:
            response.close()
