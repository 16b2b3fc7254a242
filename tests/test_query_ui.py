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


def _run_tab(page, name: str) -> int:  # noqa: ANN001
    """Open a named query's tab, run it, and count the rows of its result table."""
    page.locator("a[role=tab]", has_text=name).click()
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_function("() => document.querySelector('.tabPanel.active .yasr_response_chip, .tabPanel.active .yasr table') !== null",
                           timeout=15000)
    page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for(timeout=15000)
    return page.locator(".tabPanel.active .yasr table tbody tr").count()


@pytest.mark.parametrize("name", ["Courses on a topic", "Teaching languages"])
def test_tabs_with_text_and_language_parameters_bind_their_defaults(server, name: str) -> None:
    with browser() as chromium:
        page = chromium.new_page()
        page.goto(server.url + "/", wait_until="networkidle")
        assert _run_tab(page, name) > 0


def test_tabs_and_edits_persist_across_reloads(server) -> None:
    with browser() as chromium:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(server.url + "/", wait_until="networkidle")
        tabs = page.locator(".tabsList a[role=tab]").count()
        page.locator("a[role=tab]", has_text="Courses on a topic").click()
        page.locator(".tabPanel.active .CodeMirror").click()  # as a person edits: select all, type, leave the editor
        page.keyboard.press("Control+A")
        page.keyboard.type('SELECT ("kept across reloads" AS ?note) WHERE {}')
        page.locator("h1").click()
        page.wait_for_timeout(300)
        page.reload(wait_until="networkidle")
        assert page.locator(".tabsList a[role=tab]").count() == tabs  # the named queries are not added a second time
        page.locator("a[role=tab]", has_text="Courses on a topic").click()
        assert "kept across reloads" in page.evaluate("window.currigraphYasgui.getTab().getYasqe().getValue()")
        fresh = chromium.new_context().new_page()  # another browser profile starts from the named queries
        fresh.goto(server.url + "/", wait_until="networkidle")
        fresh.locator("a[role=tab]", has_text="Courses on a topic").click()
        assert "kept across reloads" not in fresh.evaluate("window.currigraphYasgui.getTab().getYasqe().getValue()")
