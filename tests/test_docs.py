"""The documentation covers the interface, in Datasette's manner: every CLI command and option, every route of the app.

A command is documented when `currigraph <command>` appears in README.md or docs/*.md. One of its options is
documented when it appears in a section whose heading names the command (docs/cli.md has one per command) or on
a line that shows the command (`currigraph serve --store URL`). A route is documented when `METHOD /path`
appears, with any placeholder for a variable part (`GET /api/queries/NAME`).
"""

import re
from collections.abc import Iterator

import click
from flask import Flask

from currigraph.cli import main
from tests.helpers import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = "\n".join(path.read_text("utf-8") for path in DOCS)


def sections() -> list[tuple[str, str]]:
    """(heading, body) of every Markdown section of the docs; a '#' line inside a code block is no heading."""
    found: list[tuple[str, str]] = []
    for path in DOCS:
        heading, body, fenced = path.name, [], False
        for line in path.read_text("utf-8").splitlines():
            fenced ^= line.startswith("```")
            if not fenced and re.match(r"#{1,6} ", line):
                found.append((heading, "\n".join(body)))
                heading, body = line.lstrip("#").strip().replace("`", ""), []
            else:
                body.append(line)
        found.append((heading, "\n".join(body)))
    return found


def commands(group: click.Group, path: str = "currigraph") -> Iterator[tuple[str, click.Command]]:
    """Every command of the CLI with its full name, the group itself first."""
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


def names_the(path: str, text: str) -> bool:
    """True when the text shows this command (and not a subcommand of it, for the group)."""
    others = "|".join(re.escape(name) for name in main.commands)
    after = rf"(?![\w-])(?! (?:{others})\b)" if path == "currigraph" else r"(?![\w-])"
    return re.search(rf"(?<![\w/.-]){re.escape(path)}{after}", text) is not None


def mentions(text: str, flag: str) -> bool:
    """True when an option flag appears as itself (`--store` is not found in `--store-update`)."""
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text) is not None


def test_every_command_and_option_is_documented() -> None:
    missing = []
    parts = sections()
    for path, command in commands(main):
        if not names_the(path, TEXT):
            missing.append(path)
        places = [body for heading, body in parts if names_the(path, heading)]
        places += [line for line in TEXT.splitlines() if names_the(path, line)]
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden:
                continue
            flags = [f for f in (*param.opts, *param.secondary_opts) if f.startswith("--")]
            if not any(mentions(place, flag) for place in places for flag in flags):
                missing.append(f"{path} {flags[0]}")
    assert not missing, "not in README.md or docs/*.md: " + ", ".join(missing)


def route_pattern(method: str, rule: str) -> re.Pattern[str]:
    """`METHOD /path` with any placeholder where the rule has a variable part."""
    parts = re.split(r"<[^>]+>", rule)
    path = r"[^\s`|)\]]+".join(re.escape(part) for part in parts)
    return re.compile(rf"(?<![A-Z]){method} {path}(?![\w/-])")


def test_every_route_is_documented(app: Flask) -> None:
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if not route_pattern(method, rule.rule).search(TEXT):
                missing.append(f"{method} {rule.rule}")
    assert not missing, "not in README.md or docs/*.md: " + ", ".join(missing)


def test_the_checks_can_fail(app: Flask) -> None:
    assert not names_the("currigraph nonsense", TEXT) and not mentions(TEXT, "--no-such-option")
    assert not route_pattern("GET", "/no/such/route").search(TEXT)
    assert route_pattern("GET", "/api/queries/<name>").search("`GET /api/queries/NAME?x=1`")
    assert not route_pattern("GET", "/sparql").search("GET /sparql/ only") and not mentions("--store-update", "--store")
    assert names_the("currigraph", "currigraph --project DIR build") and not names_the("currigraph", "currigraph build")
