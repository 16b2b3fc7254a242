"""The query UI in headless chromium: it loads offline (no request leaves 127.0.0.1), a named query runs, results show."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser import browser
from tests.live import running


@pytest.fixture(scope="module")
def server(built_project: Path):
    with running(built_project) as live:
        yield live


def test_named_query_runs_in_yasgui(server, tmp_path) -> None:
    outside: list[str] = []
    with browser() as chromium:
        page = chromium.new_page()
        # Offline: every request to anywhere but the server is recorded and refused.
        def guard(route):  # noqa: ANN001
            host = urlparse(route.request.url).hostname
            if host not in ("127.0.0.1", "localhost") and not route.request.url.startswith("data:"):
                outside.append(route.request.url)
                return route.abort()
            return route.continue_()

        page.route("**/*", guard)
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(server.url + "/", wait_until="networkidle")
        assert page.title().startswith("Query the curriculum graph")
        page.locator("a[role=tab]", has_text="Courses of a programme by semester").click()
        page.locator(".tabPanel.active .yasqe_queryButton").click()
        rows = page.locator(".tabPanel.active .yasr table tbody tr")
        rows.first.wait_for(timeout=15000)
        texts = page.locator(".tabPanel.active .yasr table").inner_text()
        page.screenshot(path=str(tmp_path / "ui.png"), full_page=True)
        count = rows.count()
    assert count == 14
    assert "Data Driven Healthcare" in texts and "Trustworthy AI" in texts
    assert outside == []
    assert errors == []
