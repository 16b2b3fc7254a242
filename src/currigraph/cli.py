"""The `currigraph` command line: build, convert, validate, query, export, serve, publish."""

import errno
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from currigraph.errors import InputError
from currigraph.formats import DATASETS, Format, find, names_of
from currigraph.project import Project, find_project

EXIT_VIOLATIONS = 1
EXIT_UNUSABLE = 2


def _fail(message: str, code: int = EXIT_UNUSABLE) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError (and any other failure) into a one-line message and an exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as err:
            _fail(str(err))
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as err:  # a bug of ours: say so plainly rather than dumping a traceback on users
            _fail(f"internal error ({type(err).__name__}): {err}. Please report it.", 3)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project directory (holds ontology/, shapes/, data/); default: found from the current directory.",
)
@click.option("--base", envvar="CURRIGRAPH_BASE", help="Base IRI of the data (default https://data.currigraph.org/).")
@click.version_option(package_name="currigraph")
@click.pass_context
def main(ctx: click.Context, project_root: Path | None, base: str | None) -> None:
    """currigraph: a knowledge graph of university curricula, validated, reasoned and served as linked data."""
    project = Project(project_root.resolve()) if project_root else find_project()
    if base:
        project = Project(project.root, base)
    if project.lexicon_dir.is_dir():  # a project reads prose with words of its own (data/lexicon/)
        from currigraph.sources.lexicon import use_prose_lexicon

        use_prose_lexicon(project.lexicon_dir)
    from currigraph.sources.links import use_link_table

    use_link_table(project.links_file if project.links_file.is_file() else None)  # the project's link table, if any
    ctx.obj = project


def _project(ctx: click.Context) -> Project:
    return ctx.find_object(Project)  # type: ignore[return-value]


def _dataset_format(name: str) -> Format:
    found = find(DATASETS, name)
    assert found is not None  # click.Choice offered only these names
    return found


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
@click.option("--warnings", "-w", "show_warnings", is_flag=True, help="List every warning, not only their number.")
@click.option("--full", is_flag=True, help="Convert, validate and reason everything again, even what did not change.")
@click.pass_context
@friendly
def build(ctx: click.Context, sources: tuple[Path, ...], quiet: bool, show_warnings: bool, full: bool = False) -> None:
    """Convert the sources (default: data/sources/*), validate, reason and write build/.

    After a first build, only the documents that changed since are converted again, and only what they can
    affect is validated and reasoned again (the result is the same as a full build's; --full does it all).
    Exits 0 when the graph conforms to the shapes; 1 with a report when it does not (build/ is left as it was).
    """
    from rich.console import Console
    from rich.progress import Progress

    from currigraph.build.pipeline import run_build
    from currigraph.validation.report import format_text

    project = _project(ctx)
    files = list(sources) or project.source_files()
    console = Console(stderr=True, quiet=quiet)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("building", total=len(files) + 3)
        # No SOURCES means the whole project: data/sources and the courses published through the API.
        result = run_build(project, list(sources) or None, lambda msg, n: bar.update(task, advance=n, description=msg), full=full)
    if not result.written:
        click.echo(format_text(result.report), err=True)
        click.echo("build failed: the data does not conform to the shapes; build/ was not changed.", err=True)
        sys.exit(EXIT_VIOLATIONS)
    if result.report.problems and show_warnings:
        click.echo(format_text(result.report), err=True)
    elif result.report.problems and not quiet:
        click.echo(f"{len(result.report.problems)} warning(s); `currigraph build --warnings` lists them.", err=True)
    if not quiet:
        how = ("up to date: nothing changed since the last build" if result.up_to_date
               else f"{result.changed} changed document(s) built again" if result.changed is not None else "full build")
        verb = "checked" if result.up_to_date else "built"
        click.echo(
            f"{verb} {project.build_dir} ({how}): {result.graphs} graphs, {result.asserted} asserted and "
            f"{result.inferred} inferred triples"
        )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(names_of(DATASETS), case_sensitive=False), default="turtle", show_default=True,
              help="RDF syntax (TriG and N-Quads keep each document's named graph).")
@click.pass_context
@friendly
def convert(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Convert source documents (programme pages, course pages, prose) to RDF on stdout."""
    from currigraph.convert import convert_paths
    from currigraph.export.rdf import serialise
    from currigraph.iris import Minter

    conversion = convert_paths(files, Minter(_project(ctx).base))
    click.echo(serialise(conversion.dataset, _dataset_format(fmt), _project(ctx).base), nl=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.pass_context
@friendly
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Validate RDF files or source documents against the shapes, in the context of the built graph.

    Exit 0: conforms; 1: violations; 2: unusable input (missing, empty, binary, unparseable, unknown kind).
    """
    from currigraph.validation.courses import check_files
    from currigraph.validation.report import format_text, to_json, to_turtle

    report = check_files(_project(ctx), list(files))
    render = {"text": format_text, "json": to_json, "turtle": to_turtle}[fmt]
    click.echo(render(report))
    sys.exit(0 if report.conforms else EXIT_VIOLATIONS)


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_context
@friendly
def query(ctx: click.Context, query: str, fmt: str) -> None:
    """Run a SPARQL query (text, or a .rq file) against the built graph."""
    from currigraph.serving.offline import run_cli_query

    text = query
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise InputError("query file not found", query)
        text = path.read_text("utf-8")
    click.echo(run_cli_query(_project(ctx), text, fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(names_of(DATASETS), case_sensitive=False), default="turtle", show_default=True,
              help="RDF syntax (TriG and N-Quads keep the named graphs).")
@click.option("--graphs", type=click.Choice(["asserted", "inferred", "all"]), default="all", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (atomically).")
@click.pass_context
@friendly
def export(ctx: click.Context, fmt: str, graphs: str, output: Path | None) -> None:
    """Export the built graph: asserted, inferred or all triples, in one RDF syntax."""
    from currigraph.export.rdf import export_build
    from currigraph.project import load_turtle_dir

    project = _project(ctx)
    data = export_build(project.build_dir, _dataset_format(fmt), graphs, load_turtle_dir(project.ontology_dir))
    if output:
        from currigraph.files import atomic_file

        with atomic_file(output) as handle:
            handle.write(data.encode("utf-8"))
    else:
        click.echo(data, nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Time limit (s) of a query, an update, and of parsing and checking submitted course data.")
@click.option("--cors", is_flag=True, help="Send CORS headers so that web pages on other origins can query.")
@click.option("--update", is_flag=True, help="Allow SPARQL Update (needs CURRIGRAPH_TOKEN unless bound to loopback).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@click.option("--queue-timeout", default=300.0, show_default=True, type=click.FloatRange(0.1, 86400),
              help="How long a query may wait for a free worker before it is answered 503 (its time limit starts after).")
@click.option("--max-body", default=1024 * 1024, show_default=True, type=click.IntRange(1, 1024 ** 3), help="Largest request body (bytes).")
@click.option("--max-answer", default=256, show_default=True, type=click.IntRange(1, 64 * 1024),
              help="Largest answer a query may produce (MiB); past it the client gets 503 and a message.")
@click.option("--public-url", metavar="URL", help="The server's public URL (e.g. https://data.example.org/): links, the "
              "catalogue and the service description use it instead of the Host a request names.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="Accept only requests whose Host header is this (repeat for several); others get 400.")
@click.option("--proxy", is_flag=True, help="Behind one reverse proxy: trust its X-Forwarded-For/Proto/Host/Prefix headers.")
@click.option("--rebuild/--no-rebuild", default=True, help="Build first when build/ is missing or older than its inputs.")
@click.option("--store", "store_url", metavar="QUERY_URL",
              help="Serve from a remote SPARQL store (its query URL) instead of build/; see `currigraph publish`.")
@click.option("--store-update", "store_update_url", metavar="UPDATE_URL",
              help="The remote store's SPARQL Update URL: publishing courses and --update write through to it.")
@click.pass_context
@friendly
def serve(
    ctx: click.Context, host: str, port: int, timeout: float, cors: bool, update: bool, workers: int, queue_timeout: float, max_body: int,
    max_answer: int, public_url: str | None, allowed_hosts: tuple[str, ...], proxy: bool, rebuild: bool,
    store_url: str | None, store_update_url: str | None,
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol (and the query UI) with a production WSGI server.

    The graph is build/ (built first when stale), or with --store a remote SPARQL store that
    `currigraph publish` filled; the server then keeps no data of its own, and several can share the store.
    """
    import os

    from currigraph.build.layout import OXIGRAPH_DIR, is_stale
    from currigraph.build.loading import write_oxigraph
    from currigraph.remote.client import StoreURL
    from currigraph.vocab import is_absolute_iri
    from currigraph.web import close_app, create_app
    from currigraph.web.server import is_loopback
    from currigraph.web.server import serve as run_server

    project = _project(ctx)
    token = os.environ.get("CURRIGRAPH_TOKEN") or None
    store_token = os.environ.get("CURRIGRAPH_STORE_TOKEN") or None
    if update and not token and not is_loopback(host):
        _fail(f"--update without CURRIGRAPH_TOKEN is only allowed on a loopback address, not {host}; set a token")
    if store_update_url and not store_url:
        _fail("--store-update needs --store (the store's query URL)")
    if public_url and not (is_absolute_iri(public_url) and public_url.startswith(("http://", "https://"))):
        _fail(f"--public-url must be an absolute http:// or https:// URL, got {public_url!r}")
    if store_url:
        StoreURL.parse(store_url, what="--store URL")
        if store_update_url:
            StoreURL.parse(store_update_url, what="--store-update URL")
    else:
        if rebuild and project.sources_dir.is_dir() and is_stale(project.build_dir, project.inputs()):
            click.echo("build/ is missing or older than its inputs: building first", err=True)
            ctx.invoke(build, sources=(), quiet=False, show_warnings=False)
        if not (project.build_dir / OXIGRAPH_DIR).is_dir():
            write_oxigraph(project.build_dir)
    config = {"BUILD_DIR": str(project.build_dir), "TIMEOUT": timeout, "CORS": cors, "UPDATE": update, "TOKEN": token,
              "WORKERS": workers, "QUEUE_TIMEOUT": queue_timeout, "MAX_BODY_BYTES": max_body, "QUERIES_DIR": str(project.queries_dir),
              "MAX_ANSWER_BYTES": max_answer * 1024 * 1024, "PUBLIC_URL": public_url, "ALLOWED_HOSTS": list(allowed_hosts) or None,
              "PROXY": proxy, "ASSETS_DIR": str(project.root / "node_modules"), "PROJECT_ROOT": str(project.root),
              "STORE_QUERY_URL": store_url, "STORE_UPDATE_URL": store_update_url, "STORE_TOKEN": store_token}
    if store_url:
        config["BASE"] = project.base
    source = f"the store at {store_url}" if store_url else str(project.build_dir)
    app = create_app(config)
    try:
        run_server(app, host, port, lambda url: click.echo(f"currigraph serving {source} on {url} (SPARQL at {url}sparql)", err=True))
    except OSError as err:
        reason = "the port is already in use" if err.errno == errno.EADDRINUSE else err.strerror or str(err)
        _fail(f"cannot listen on {host}:{port}: {reason}")
    finally:
        close_app(app)


@main.command()
@click.option("--to", "gsp_url", required=True, metavar="GSP_URL",
              help="The store's SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://host:7878/store).")
@click.option("--token", envvar="CURRIGRAPH_STORE_TOKEN", help="Bearer token for the store (or user:password@ in the URL).")
@click.option("--default-graph", type=click.Choice(["union", "keep"]), default="union", show_default=True,
              help="union: also write the set union of all graphs as the store's default graph, so that queries without GRAPH "
                   "see everything on any store; keep: leave it alone (for stores whose default graph is already the union).")
@click.option("--rebuild/--no-rebuild", default=True, help="Build first when build/ is missing or older than its inputs.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
@click.pass_context
@friendly
def publish(ctx: click.Context, gsp_url: str, token: str | None, default_graph: str, rebuild: bool, quiet: bool) -> None:
    """Push the built dataset to a SPARQL store, one PUT per named graph: publishing again replaces, never duplicates.

    Exit 0 when every graph was accepted; 2 when the store is unreachable or refuses (publishing again completes it).
    """
    import time

    from rich.console import Console
    from rich.progress import Progress

    from currigraph.build.layout import is_stale
    from currigraph.build.manifest import read_manifest
    from currigraph.remote.client import GraphStoreClient, StoreError, StoreURL
    from currigraph.remote.publish import publish_to_store

    project = _project(ctx)
    target = StoreURL.parse(gsp_url, token, "--to URL")
    if rebuild and project.sources_dir.is_dir() and is_stale(project.build_dir, project.inputs()):
        click.echo("build/ is missing or older than its inputs: building first", err=True)
        ctx.invoke(build, sources=(), quiet=quiet, show_warnings=False)
    graphs = len(read_manifest(project.build_dir).graphs)
    client = GraphStoreClient(target)
    console = Console(stderr=True, quiet=quiet)
    began = time.monotonic()
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("publishing", total=graphs + 2)
            result = publish_to_store(project.build_dir, client, default_graph == "union",
                                   lambda msg, n: bar.update(task, advance=n, description=msg))
    except StoreError as err:
        _fail(f"{err}\nnothing was lost: publishing again replaces what was sent and completes the rest")
    finally:
        client.close()
    if not quiet:
        click.echo(f"published {result.graphs} graphs ({result.triples} triples) to {target.url} in {time.monotonic() - began:.1f} s"
                   + (f"; default graph: {result.union_triples} triples" if default_graph == "union" else "")
                   + (f"; removed {result.removed} graphs the build no longer has" if result.removed else "")
                   + (f"; kept {result.kept} graphs published through a server" if result.kept else ""))
