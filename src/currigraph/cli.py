"""The `currigraph` command line: init, build, convert, validate, query, export, serve, publish."""

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
    if project.catalogue_mappings_dir.is_dir():  # and read catalogues with its own mappings
        from currigraph.convert.catalogue import use_catalogue_mappings

        use_catalogue_mappings(project.catalogue_mappings_dir)
    ctx.obj = project


def _project(ctx: click.Context) -> Project:
    return ctx.find_object(Project)  # type: ignore[return-value]


def _require_sources(project: Project) -> None:
    """InputError (exit 2) when the project has no data/sources folder to build from."""
    if not project.sources_dir.is_dir():
        raise InputError(f"no data/sources folder in {project.root}: this is not a currigraph project. Make one with "
                         "`currigraph init DIR`, or name one with `currigraph --project DIR ...`", str(project.sources_dir))


def _check_store(build_dir: Path) -> None:
    """InputError (exit 2) when the build's on-disk store does not open or cannot be read."""
    import pyoxigraph as ox

    from currigraph.build.layout import OXIGRAPH_DIR, damaged

    try:
        store = ox.Store.read_only(str(build_dir / OXIGRAPH_DIR))
        store.query("ASK { ?s ?p ?o }")
        del store
    except (OSError, RuntimeError, ValueError) as err:  # RocksDB reports corruption as RuntimeError, missing files as OSError
        raise damaged(build_dir / OXIGRAPH_DIR, err) from None


def _export_elm(project: Project, fmt: str) -> str:
    """The build's ELM export in one of ELM's syntaxes; the LOQ summary goes to stderr."""
    from currigraph.export.elm import ELM_FORMATS, ElmSettingsError, elm_graph, loq_report, project_settings, serialise
    from currigraph.serving.offline import open_store

    chosen = find(ELM_FORMATS, fmt)
    if chosen is None:
        raise InputError(f"the ELM export is offered in {', '.join(f.name for f in ELM_FORMATS)}, not {fmt!r}", "--format")
    try:
        settings = project_settings(project.root, project.base)
    except ElmSettingsError as err:
        raise InputError(str(err), "data/elm.yaml") from None
    elm = elm_graph(open_store(project.build_dir), settings)
    click.echo(loq_report(elm).summary(), err=True)
    return serialise(elm, chosen)


def _dataset_format(name: str) -> Format:
    found = find(DATASETS, name)
    assert found is not None  # click.Choice offered only these names
    return found


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
@click.option("--warnings", "-w", "show_warnings", is_flag=True, help="List every warning, not only their number.")
@click.option("--full", is_flag=True, help="Convert, validate and reason everything again, even what did not change.")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1, build/ unchanged) when a document yields no programme, course or organisation.")
@click.pass_context
@friendly
def build(ctx: click.Context, sources: tuple[Path, ...], quiet: bool, show_warnings: bool, full: bool = False,
          strict: bool = False) -> None:
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
    if not sources:
        _require_sources(project)
    files = list(sources) or project.source_files()
    if not files and not project.published_files():
        click.echo(f"note: {project.sources_dir} holds no documents: the graph will hold only the ontology", err=True)
    console = Console(stderr=True, quiet=quiet)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("building", total=len(files) + 3)
        # No SOURCES means the whole project: data/sources and the courses published through the API.
        result = run_build(project, list(sources) or None, lambda msg, n: bar.update(task, advance=n, description=msg), full=full,
                           strict=strict)
    for source, message in result.warnings if (show_warnings or strict) else []:
        click.echo(f"warning: {source}: {message}", err=True)
    if result.refused_by_strict:
        click.echo(f"build failed (--strict): {len(result.warnings)} extraction warning(s); build/ was not changed. "
                   "`currigraph convert --explain FILE` shows what was read.", err=True)
        sys.exit(EXIT_VIOLATIONS)
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
        if result.warnings and not show_warnings:
            click.echo(f"{len(result.warnings)} extraction warning(s): documents that yielded no programme, course or "
                       "organisation (`currigraph build --warnings` lists them).", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice([*names_of(DATASETS), "text", "json"], case_sensitive=False), default=None,
              help="RDF syntax (TriG and N-Quads keep each document's named graph; default turtle); with --explain: text or json.")
@click.option("--explain", is_flag=True, help="Print each document's extraction report (kind and why, what was read and not "
              "understood, facts per class) instead of the RDF.")
@click.pass_context
@friendly
def convert(ctx: click.Context, files: tuple[Path, ...], fmt: str | None, explain: bool) -> None:
    """Convert source documents (programme pages, course pages, prose, HTML, catalogues read through mappings, ...) to RDF on stdout."""
    import json

    from currigraph.convert import convert_paths
    from currigraph.export.rdf import serialise
    from currigraph.iris import Minter

    conversion = convert_paths(files, Minter(_project(ctx).base))
    if explain:
        if (fmt or "text").lower() == "json":
            click.echo(json.dumps([r.as_json() for r in conversion.reports], ensure_ascii=False, indent=2))
        else:
            click.echo("\n\n".join(r.text() for r in conversion.reports))
        return
    if fmt and fmt.lower() in ("text", "json"):
        raise click.BadParameter("text and json are the formats of --explain; RDF formats: " + ", ".join(names_of(DATASETS)))
    click.echo(serialise(conversion.dataset, _dataset_format(fmt or "turtle"), _project(ctx).base), nl=False)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@click.option("--profile", type=click.Choice(["elm"]), help="Check the built graph against an export profile instead: "
              "elm = the European Learning Model's LOQ shapes, with what each programme still lacks.")
@click.pass_context
@friendly
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, profile: str | None) -> None:
    """Validate RDF files or source documents against the shapes, in the context of the built graph.

    With --profile elm, validate the ELM export of the built graph against the LOQ profile and list, per programme,
    what stands between it and a valid record. Exit 0: conforms; 1: violations; 2: unusable input (missing, empty,
    binary, unparseable, unknown kind; for --profile, unusable settings).
    """
    from currigraph.validation.courses import check_files
    from currigraph.validation.report import format_text, to_json, to_turtle

    if profile == "elm":
        _validate_elm(_project(ctx), fmt)
        return
    if not files:
        raise click.UsageError("give the files to validate (or --profile elm to check the built graph's ELM export)")
    report = check_files(_project(ctx), list(files))
    render = {"text": format_text, "json": to_json, "turtle": to_turtle}[fmt]
    click.echo(render(report))
    sys.exit(0 if report.conforms else EXIT_VIOLATIONS)


def _validate_elm(project: Project, fmt: str) -> None:
    """The LOQ report of the build's ELM export and each programme's readiness; exits 0 or 1."""
    import json

    from currigraph.export.elm import ElmSettingsError, elm_graph, loq_report, project_settings, readiness
    from currigraph.serving.offline import open_store

    try:
        settings = project_settings(project.root, project.base)
    except ElmSettingsError as err:
        raise InputError(str(err), "data/elm.yaml") from None
    store = open_store(project.build_dir)
    report = loq_report(elm_graph(store, settings))
    records = readiness(store, settings)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "violations": report.violations, "warnings": report.warnings,
                               "records": [{"iri": r.iri, "kind": r.kind, "title": r.title, "excluded": r.excluded,
                                            "ready": r.ready, "gaps": [str(g) for g in r.gaps]} for r in records]}, indent=2))
    else:
        click.echo(report.text())
        for record in records:
            state = "excluded" if record.excluded else "ready" if record.ready else "not ready"
            click.echo(f"{record.kind} {record.iri} ({record.title}): {state}")
            for gap in record.gaps:
                click.echo(f"  - {gap}")
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
@click.option("--profile", type=click.Choice(["elm"]), help="Export through a profile instead: elm = programmes and courses in "
              "the European Learning Model (Turtle, JSON-LD with ELM's context, RDF/XML), per data/elm.yaml.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (atomically).")
@click.pass_context
@friendly
def export(ctx: click.Context, fmt: str, graphs: str, profile: str | None, output: Path | None) -> None:
    """Export the built graph: asserted, inferred or all triples, in one RDF syntax (or through a profile)."""
    from currigraph.export.rdf import export_build
    from currigraph.project import load_turtle_dir

    project = _project(ctx)
    if profile == "elm":
        data = _export_elm(project, fmt)
    else:
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
@click.option("--cache", "cache_mib", default=128, show_default=True, type=click.IntRange(0, 64 * 1024),
              help="Memory for answers kept per dataset version (MiB); every build or write empties it.")
@click.option("--no-cache", is_flag=True, help="Keep no answers (every query runs; the benchmarks' cold rows).")
@click.option("--rebuild/--no-rebuild", default=True, help="Build first when build/ is missing or older than its inputs.")
@click.option("--store", "store_url", metavar="QUERY_URL",
              help="Serve from a remote SPARQL store (its query URL) instead of build/; see `currigraph publish`.")
@click.option("--store-update", "store_update_url", metavar="UPDATE_URL",
              help="The remote store's SPARQL Update URL: publishing courses and --update write through to it.")
@click.option("--quiet", "-q", is_flag=True, help="No access log (by default one line per request on stderr, Common Log Format).")
@click.pass_context
@friendly
def serve(
    ctx: click.Context, host: str, port: int, timeout: float, cors: bool, update: bool, workers: int, queue_timeout: float, max_body: int,
    max_answer: int, public_url: str | None, allowed_hosts: tuple[str, ...], proxy: bool, cache_mib: int, no_cache: bool, rebuild: bool,
    store_url: str | None, store_update_url: str | None, quiet: bool = False,
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol (and the query UI) with a production WSGI server.

    The graph is build/ (built first when stale), or with --store a remote SPARQL store that
    `currigraph publish` filled; the server then keeps no data of its own, and several can share the store.
    """
    import os

    from currigraph.build.layout import is_stale, store_present
    from currigraph.build.loading import write_oxigraph
    from currigraph.build.manifest import read_manifest
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
        from currigraph.build.layout import MANIFEST_FILE

        if not project.sources_dir.is_dir() and not (project.build_dir / MANIFEST_FILE).exists():
            raise InputError(f"nothing to serve in {project.root}: no build/ and no data/sources to build it from. Make a "
                             "project with `currigraph init DIR` and serve it with `currigraph --project DIR serve`", str(project.root))
        if rebuild and project.sources_dir.is_dir() and is_stale(project.build_dir, project.inputs()):
            click.echo("build/ is missing or older than its inputs: building first", err=True)
            ctx.invoke(build, sources=(), quiet=False, show_warnings=False)
        read_manifest(project.build_dir)  # a manifest that is missing or not JSON is a message, not a traceback
        if not store_present(project.build_dir):
            write_oxigraph(project.build_dir)
        _check_store(project.build_dir)
    config = {"BUILD_DIR": str(project.build_dir), "TIMEOUT": timeout, "CORS": cors, "UPDATE": update, "TOKEN": token,
              "WORKERS": workers, "QUEUE_TIMEOUT": queue_timeout, "MAX_BODY_BYTES": max_body, "QUERIES_DIR": str(project.queries_dir),
              "MAX_ANSWER_BYTES": max_answer * 1024 * 1024, "PUBLIC_URL": public_url, "ALLOWED_HOSTS": list(allowed_hosts) or None,
              "PROXY": proxy, "CACHE_BYTES": 0 if no_cache else cache_mib * 1024 * 1024,
              "ASSETS_DIR": str(project.root / "node_modules"), "PROJECT_ROOT": str(project.root),
              "STORE_QUERY_URL": store_url, "STORE_UPDATE_URL": store_update_url, "STORE_TOKEN": store_token}
    if store_url:
        config["BASE"] = project.base
    source = f"the store at {store_url}" if store_url else str(project.build_dir)
    app = create_app(config)
    if not quiet:
        from currigraph.web.access_log import AccessLog

        app.wsgi_app = AccessLog(app.wsgi_app, sys.stderr)  # type: ignore[method-assign]
    try:
        run_server(app, host, port, lambda url: click.echo(f"currigraph serving {source} on {url} (SPARQL at {url}sparql)", err=True))
    except OSError as err:
        reason = "the port is already in use" if err.errno == errno.EADDRINUSE else err.strerror or str(err)
        _fail(f"cannot listen on {host}:{port}: {reason}")
    finally:
        close_app(app)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (files of the same name are replaced).")
@friendly
def init(directory: Path, force: bool) -> None:
    """Make a new project in DIRECTORY: ontology, shapes, named queries, ELM mappings, lexicon and example sources.

    `currigraph --project DIRECTORY serve` then builds it and serves it (query UI, pages, charts; nothing is fetched
    from the network). Replace the documents in data/sources with your own. Exit 2 when DIRECTORY is not empty.
    """
    from currigraph.resources import init_project

    written = init_project(directory, force)
    sources = sum(1 for p in written if p.parent.name == "sources")
    click.echo(f"made a currigraph project in {directory} ({len(written)} files, {sources} example source documents in "
               f"data/sources).\nNext: cd {directory} && currigraph serve")


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
