"""Fixtures shared by the suite, in the manner of Flask's tutorial: a built project, the app made from it, its test client.

Routes are tested through Flask's test client (`client`): the real app, its real backend (the build's on-disk
store with its query worker processes, or an `oxigraph serve` it was published to), no socket. Tests that are
about the socket, the process or real HTTP clients (the W3C protocol suite, SPARQLWrapper, chromium, time limits,
SIGKILL and restarts, concurrency) start `currigraph serve` instead (tests.live, `live_server`).

The built project is made once per session and only read: a test that writes (publishes, updates, rebuilds)
works on its own copy (`built_copy`), and a module that needs another configuration overrides `app_config`.
"""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from currigraph.build.pipeline import run_build
from currigraph.project import Project
from currigraph.web import create_app
from tests.live import Server, copy_project, start, stop
from tests.stores import BACKENDS, Oxigraph, oxigraph, publish, serve_remote
from tests.webapp import AppClient, remote_config, serve_config


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's ontology, shapes, queries and data, built once (run_build); tests only read it."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_build(Project(root))
    assert result.written, result.report
    return root


@pytest.fixture(scope="session")
def built_copy(built_project: Path) -> Callable[[Path], Path]:
    """Copy the built project to a directory of one's own (build/ included, times kept: `serve` does not build again)."""

    def copy(target: Path) -> Path:
        shutil.copytree(built_project, target, symlinks=True)
        return target

    return copy


@pytest.fixture(scope="session")
def published_store(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """`oxigraph serve` holding the built project (`currigraph publish`); tests only read it."""
    with oxigraph(tmp_path_factory.mktemp("published") / "store") as store:
        publish(built_project, store)
        yield store


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store a module's app and live server serve from: the build's embedded store, or an oxigraph server."""
    return request.param


@pytest.fixture(scope="module")
def backend_config(backend: str, built_project: Path, request: pytest.FixtureRequest) -> dict[str, Any]:
    """The configuration of the built project served from `backend` (a module's app_config may use it)."""
    if backend == "embedded":
        return serve_config(built_project)
    return remote_config(built_project, request.getfixturevalue("published_store"))


@pytest.fixture(scope="module")
def app_config(built_project: Path) -> dict[str, Any]:
    """The app's configuration, as `currigraph serve` passes it; modules override this fixture for their own."""
    return serve_config(built_project)


@pytest.fixture(scope="module")
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """The app (create_app) for the module's configuration; its backend's query workers stop at the end."""
    application = create_app(app_config)
    try:
        yield application
    finally:
        application.extensions["currigraph.backend"].close()


@pytest.fixture
def client(app: Flask) -> AppClient:
    """Flask's test client, with the live Server's request() interface."""
    return AppClient(app)


@pytest.fixture(scope="module")
def live_server(backend: str, built_project: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    """`currigraph serve` on 127.0.0.1 for the built project, from `backend` (for tests that need a real socket)."""
    if backend == "embedded":
        server = start(built_project)
    else:
        server = serve_remote(built_project, request.getfixturevalue("published_store"))
    try:
        yield server
    finally:
        stop(server)
