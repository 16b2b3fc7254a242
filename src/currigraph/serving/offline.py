"""Running SPARQL on the built graph from the command line, with pyoxigraph as the engine."""

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from currigraph.build.layout import DATASET_FILE, damaged
from currigraph.build.manifest import read_manifest
from currigraph.errors import InputError
from currigraph.project import Project


def open_store(build_dir: Path) -> ox.Store:
    """An in-memory pyoxigraph store holding every graph of the build."""
    read_manifest(build_dir)
    store = ox.Store()
    try:
        store.bulk_load(path=str(build_dir / DATASET_FILE), format=ox.RdfFormat.N_QUADS)
    except (SyntaxError, OSError) as err:
        raise damaged(build_dir / DATASET_FILE, err) from None
    return store


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    return term.value


def run_cli_query(project: Project, text: str, fmt: str) -> str:
    """Run a query on the built graph (default graph = union of all graphs) and render it for a terminal."""
    store = open_store(project.build_dir)
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise InputError(f"SPARQL syntax error: {err}", "query") from None
    if isinstance(result, bool | ox.QueryBoolean):  # pyoxigraph 0.5 answers ASK with a QueryBoolean
        answer = bool(result)
        return {"json": json.dumps({"boolean": answer}) + "\n"}.get(fmt, f"{str(answer).lower()}\n")
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8")
    variables = [v.value for v in result.variables]
    rows = [[_term(solution[v]) for v in variables] for solution in result]
    if fmt == "json":
        return result_json(variables, rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(rows)
        return out.getvalue()
    return _table(variables, rows)


def result_json(variables: list[str], rows: list[list[str]]) -> str:
    """Rows as a JSON list of objects keyed by variable name."""
    return json.dumps([dict(zip(variables, row, strict=True)) for row in rows], indent=2, ensure_ascii=False) + "\n"


def _table(variables: list[str], rows: list[list[str]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*variables, show_lines=False)
    for row in rows:
        table.add_row(*row)
    console = Console(file=io.StringIO(), width=200, force_terminal=False)
    console.print(table)
    console.print(f"{len(rows)} row(s)")
    return console.file.getvalue()  # type: ignore[attr-defined]
