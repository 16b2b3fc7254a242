"""`pip install currigraph` is complete: the wheel, installed in a fresh venv, makes a project and serves it with the UI.

The wheel is built with the standard build front end (`python -m build`: sdist, then the wheel from the sdist) without
network (--no-isolation: setuptools comes from the test environment). It is installed with --no-deps into a new venv
that sees the test environment's packages through a .pth path line (no index is asked for anything), so that
currigraph itself is the wheel's copy, never the checkout. Then `currigraph init` and `currigraph serve` run from that
venv, and chromium loads the query UI and a programme page's chart, with every request outside 127.0.0.1 refused.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from currigraph import bundle
from tests.browser import browser
from tests.live import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `python -m build` makes from the checkout (through its sdist)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    wheels = list(out.glob("currigraph-*.whl"))
    assert len(wheels) == 1 and list(out.glob("currigraph-*.tar.gz"))
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed (--no-deps); its dependencies are the test environment's, by a .pth line."""
    env_dir = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    # Plain path lines: the test environment's own .pth files (its editable currigraph) are not processed.
    (Path(site) / "test-environment.pth").write_text("\n".join(sorted(ours)) + "\n", "utf-8")
    result = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    where = subprocess.run([str(python), "-c", "import currigraph; print(currigraph.__file__)"], capture_output=True, text=True,
                           cwd=env_dir, check=True).stdout.strip()
    assert where.startswith(site), where  # the wheel's package, not the checkout's
    return env_dir


def test_the_wheel_holds_assets_licences_and_project_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in bundle.ASSETS:
        assert f"currigraph/{bundle.ASSETS_FOLDER}/{name}" in names, name
    for package in bundle.LICENCES:
        assert f"currigraph/{bundle.LICENCES_FOLDER}/{bundle.licence_name(package)}" in names, package
    for folder, pattern in bundle.PROJECT_FILES:
        for path in (ROOT / folder).glob(pattern):
            assert f"currigraph/{bundle.PROJECT_FOLDER}/{folder}/{path.name}" in names, path
    assert "currigraph/export/elm/vendor/LOQ-constraints.ttl" in names and "currigraph/web/templates/base.html" in names
    licence = zipfile.ZipFile(wheel).read(f"currigraph/{bundle.LICENCES_FOLDER}/yasgui-LICENSE.txt").decode()
    assert "MIT License" in licence
    assert not any(name.startswith(("tests/", "node_modules/", "build/")) for name in names)


def _wait(port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {process.stdout.read().decode() if process.stdout else ''}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            response = conn.getresponse()
            if response.status == 200 and "workers" in json.loads(response.read()):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise AssertionError("serve did not come up")


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`currigraph init` then `currigraph serve` from the fresh venv, in the new project's folder (as a user would)."""
    project = tmp_path_factory.mktemp("new") / "my-curricula"
    tool = installed / "bin" / "currigraph"
    made = subprocess.run([str(tool), "init", str(project)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    process = subprocess.Popen([str(tool), "serve", "--port", str(port)], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=environment, start_new_session=True)
    try:
        _wait(port, process, time.monotonic() + 180)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_assets_come_from_the_package(served: str) -> None:
    for name, (package, inside) in bundle.ASSETS.items():
        conn = http.client.HTTPConnection("127.0.0.1", urlparse(served).port, timeout=30)
        conn.request("GET", f"/assets/{name}")
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, name
        assert body == (ROOT / "node_modules" / package / inside).read_bytes(), name


def test_query_ui_and_chart_load_offline_in_chromium(served: str) -> None:
    outside: list[str] = []
    errors: list[str] = []
    with browser() as chromium:
        page = chromium.new_page()

        def guard(route) -> None:  # noqa: ANN001
            if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost"):
                outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", guard)
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(served + "/", wait_until="networkidle")
        page.locator(".yasqe .CodeMirror").first.wait_for(timeout=15000)
        page.locator("a[role=tab]", has_text="Courses of a programme by semester").click()
        page.locator(".tabPanel.active .yasqe_queryButton").click()
        page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for(timeout=20000)
        page.goto(served + "/programme/xaim", wait_until="networkidle")
        page.locator("#pillar-chart svg .mark-rect path").first.wait_for(timeout=15000)
        bars = page.locator("#pillar-chart svg .mark-rect path").count()
    assert bars >= 3
    assert outside == [] and errors == []


COURSE_PAGE = """---
title: Graph Learning
semester: 2
studycredits: 5
pillar: AI
programme: xaim
---
A course written for the packaging test.
"""


def test_a_course_page_is_checked_by_the_installed_package(served: str) -> None:
    """Submitted data is parsed in task worker processes: they find the lexicons and mappings in the wheel too."""
    conn = http.client.HTTPConnection("127.0.0.1", urlparse(served).port, timeout=120)
    conn.request("POST", "/validate", body=COURSE_PAGE.encode(), headers={"Content-Type": "text/markdown", "Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, body
    assert json.loads(body)["conforms"] is True


def test_convert_outside_a_project(installed: Path, tmp_path: Path) -> None:
    """`currigraph convert` in a folder that is no project reads with the lexicons and mappings the wheel carries."""
    for document in sorted((ROOT / "data" / "sources").iterdir()):  # a programme page, a course page, two prose articles
        result = subprocess.run([str(installed / "bin" / "currigraph"), "convert", str(document)], capture_output=True, text=True,
                                cwd=tmp_path, timeout=120)
        assert result.returncode == 0 and "error" not in result.stderr, (document.name, result.stderr)
        assert "schema.org/name" in result.stdout or "schema:name" in result.stdout, document.name
    probe = "from currigraph.convert.catalogue import DEFAULT_MAPPINGS as m; print(m.is_dir() and any(m.glob('*.yaml')))"
    found = subprocess.run([str(installed / "bin" / "python"), "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert found.stdout.strip() == "True", found.stderr
