"""Where a project's inputs live (ontology, shapes, queries, sources) and its build output goes, and reading its Turtle folders."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from currigraph.errors import InputError
from currigraph.iris import DEFAULT_BASE
from currigraph.vocab import bind_prefixes


@dataclass(frozen=True)
class Project:
    """Paths and settings of one currigraph project directory."""

    root: Path
    base: str = DEFAULT_BASE

    @property
    def ontology_dir(self) -> Path:
        """Directory of the ontology's Turtle files."""
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        """Directory of the SHACL shapes."""
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        """Directory of the named queries (*.rq)."""
        return self.root / "queries"

    @property
    def sources_dir(self) -> Path:
        """Directory of the source documents."""
        return self.root / "data" / "sources"

    @property
    def lexicon_dir(self) -> Path:
        """The words converters read prose with, one file per language (data/lexicon/)."""
        return self.root / "data" / "lexicon"

    @property
    def prose_lexicon(self) -> Path:
        """The English prose words (data/lexicon/prose.yaml); the other languages sit beside it."""
        return self.lexicon_dir / "prose.yaml"

    @property
    def links_file(self) -> Path:
        """The link table: identifiers and countries of organisations, and country hints (data/links.yaml)."""
        return self.root / "data" / "links.yaml"

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Read documents with this project's lexicon (data/lexicon/) and link table (data/links.yaml) meanwhile."""
        from currigraph.sources.lexicon import prose_lexicon_path, use_prose_lexicon
        from currigraph.sources.links import link_table_path, use_link_table

        before = prose_lexicon_path(), link_table_path()
        if self.lexicon_dir.is_dir():
            use_prose_lexicon(self.lexicon_dir)
        use_link_table(self.links_file if self.links_file.is_file() else None)
        try:
            yield
        finally:
            use_prose_lexicon(before[0])
            use_link_table(before[1])

    @property
    def catalogue_mappings_dir(self) -> Path:
        """The mappings structured catalogues are read with (mappings/catalogues/*.yaml, docs/catalogues.md)."""
        return self.root / "mappings" / "catalogues"

    @property
    def published_dir(self) -> Path:
        """Directory of courses published through the API (one Turtle file each)."""
        return self.root / "data" / "published"

    def published_files(self) -> list[Path]:
        """The published courses, in a stable order."""
        return sorted(self.published_dir.glob("*.ttl")) if self.published_dir.is_dir() else []

    @property
    def build_dir(self) -> Path:
        """Directory the built dataset is written to."""
        return self.root / "build"

    def source_files(self) -> list[Path]:
        """The source documents, in a stable order."""
        return sorted(p for p in self.sources_dir.iterdir() if p.is_file() and not p.name.startswith("."))

    def inputs(self) -> list[Path]:
        """Every file a build reads, and the folders that hold them, to decide whether build/ is stale.

        A folder's modification time changes when a file is added or removed, so a deleted source counts too.
        """
        files = [*self.source_files(), *self.published_files()]
        for folder in (self.ontology_dir, self.shapes_dir):
            files += sorted(folder.glob("*.ttl"))
        files += sorted(self.lexicon_dir.glob("*.yaml")) if self.lexicon_dir.is_dir() else []
        files += [self.links_file] if self.links_file.is_file() else []
        folders = (self.sources_dir, self.published_dir, self.ontology_dir, self.shapes_dir, self.lexicon_dir)
        return files + [d for d in folders if d.is_dir()]


def find_project(start: Path | None = None) -> Project:
    """The project whose root holds ontology/ and data/, searching upwards from start (default: cwd)."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "ontology").is_dir() and (candidate / "data").is_dir():
            return Project(candidate)
    return Project(here)


def load_turtle_dir(folder: Path) -> Graph:
    """Parse every *.ttl file of a folder into one graph; a broken file is an InputError naming it."""
    graph = bind_prefixes(Graph())
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise InputError("no Turtle files found", str(folder))
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises several parser exception types
            raise InputError(f"cannot parse Turtle: {err}", str(path)) from None
    return graph
