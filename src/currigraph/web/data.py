"""What a request reaches of the served dataset: the backend, answers of jobs, and the project's ontology and shapes."""

import threading
from functools import cached_property
from pathlib import Path

from flask import current_app, request
from rdflib import Graph

from currigraph.project import Project, load_turtle_dir
from currigraph.remote.client import StoreError
from currigraph.serving.backend import Backend
from currigraph.serving.cache import AnswerCache
from currigraph.serving.engine import Answer, Job


def backend() -> Backend:
    """The store the current app serves from."""
    return current_app.extensions["currigraph.backend"]


def site_url() -> str:
    """This server's public URL, ending in '/': the configured PUBLIC_URL, else the URL the request came to.

    Links, the catalogue's IRIs and the service description use it. Without PUBLIC_URL, the request's Host is only
    trusted when it is one of ALLOWED_HOSTS (Flask's TRUSTED_HOSTS), and X-Forwarded-* only behind PROXY.
    """
    public = current_app.config.get("PUBLIC_URL")
    return public.rstrip("/") + "/" if public else request.host_url


def timeout() -> float:
    """The query time limit of the current app, in seconds."""
    return float(current_app.config["TIMEOUT"])


def run(job: Job, limit: float | None = None) -> Answer:
    """Answer a job: from the answer cache when this version of the dataset answered it before, else from the store."""
    cache: AnswerCache = current_app.extensions["currigraph.cache"]
    store = backend()
    version = store.version()
    answer = cache.get(version, job)
    if answer is None:
        answer = store.run(job, timeout() if limit is None else limit)
        cache.put(version, job, answer)
    return answer


def answer_body(job: Job, limit: float | None = None) -> bytes:
    """Run a job on the store: the body of its answer, or StoreError carrying the failure (5xx kept, others 502)."""
    answer = run(job, limit)
    if answer.status != 200:
        raise StoreError(answer.status if answer.status >= 500 else 502, answer.body.decode("utf-8", "replace"))
    return answer.body


class ProjectFiles:
    """The project's ontology and shapes (parsed on first use: the server is ready before they are needed)."""

    def __init__(self, root: str | None, build_dir: Path) -> None:
        self.project = Project(Path(root)) if root else None
        self.published_dir = self.project.published_dir if self.project else build_dir / "published"
        self._lock = threading.Lock()

    def _load(self, folder: Path | None) -> Graph:
        with self._lock:  # two first requests at once parse the files once
            return load_turtle_dir(folder) if folder else Graph()

    @cached_property
    def ontology(self) -> Graph:
        """The ontology graph (empty without a project)."""
        return self._load(self.project.ontology_dir if self.project else None)

    @cached_property
    def shapes(self) -> Graph:
        """The SHACL shapes graph (empty without a project)."""
        return self._load(self.project.shapes_dir if self.project else None)


def project_files() -> ProjectFiles:
    """The current app's ontology, shapes and published-course folder."""
    return current_app.extensions["currigraph.files"]
