"""Structured catalogues (JSON, CSV, XLSX exports of student-information systems) to RDF, through declarative mappings.

A catalogue is a kind of source document that has no headings or sentences: records. Which records become which
resources is said by a mapping file (mappings/catalogues/*.yaml; docs/catalogues.md), never by code per catalogue.
The one entry point for the kind dispatcher is `convert_catalogue`; `catalogue_format` tells whether a file is a
catalogue at all. A file that is a catalogue but that no mapping reads is an error that says how to write one.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from currigraph import __version__
from currigraph.convert.facts import TripleList
from currigraph.errors import InputError
from currigraph.iris import Minter
from currigraph.mapping.executor import Context, Executor
from currigraph.mapping.reading import CSV, JSON, XLSX, Record, Rows, parse_json, read_bytes, read_csv, read_xlsx, sniff_format
from currigraph.mapping.spec import Mapping, load_mapping
from currigraph.resources import default_file
from currigraph.vocab import CG, DCTERMS, PROV, RDF, RDFS

DOCUMENT_KIND = "catalogue"
NO_MAPPING = "no catalogue mapping matches this file; write one: docs/catalogues.md"
# The mappings of this repository (or the wheel's copy), used when no project names its own folder (tests, benchmarks, the API).
DEFAULT_MAPPINGS = default_file("mappings/catalogues")

_active = {"folder": DEFAULT_MAPPINGS}
_loaded: dict[tuple[str, tuple[tuple[str, int, int], ...]], list[Mapping]] = {}


def use_catalogue_mappings(folder: Path) -> None:
    """Read catalogues with the mappings of this folder from now on (a project's mappings/catalogues/)."""
    _active["folder"] = folder


def catalogue_mappings_path() -> Path:
    """The folder the active catalogue mappings come from."""
    return _active["folder"]


def mapping_files(folder: Path) -> list[Path]:
    """The mapping files of a folder (*.yaml, *.yml), in name order; none when there is no such folder."""
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def catalogue_mappings(folder: Path | None = None) -> list[Mapping]:
    """The mappings of a folder (default: the active one), read once per process and again when a file changes."""
    folder = folder or _active["folder"]
    files = mapping_files(folder)
    key = (str(folder), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = [load_mapping(p) for p in files]
    return _loaded[key]


@dataclass
class CatalogueWriter:
    """One converted catalogue: its named graph's triples, as a FactWriter holds a document's (same attributes)."""

    path: Path
    mapping: Mapping
    source: URIRef
    graph_iri: URIRef
    graph: TripleList = field(default_factory=TripleList)
    # (subject, predicate) -> the row a value came from (CSV and XLSX; JSON values have no line of their own).
    lines: dict[tuple[Node, Node], int] = field(default_factory=dict)
    records: int = 0
    report: Any = None  # the extraction report convert.write_source gives it (a catalogue's kind, records, facts)

    def add(self, s: Node, p: URIRef, o: Node, line: int | None = None) -> None:
        """Add one triple, remembering the row its value came from."""
        self.graph.add((s, p, o))
        if line is not None:
            self.lines[(s, p)] = line


class Catalogue:
    """A catalogue file's bytes, parsed once whatever the number of mappings tried on it."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.data = data
        self.format = sniff_format(data, path.name)
        self._json: Any = None
        self._tables: dict[tuple[Any, ...], Rows] = {}
        self._first_keys: dict[str, set[str] | None] = {}

    @property
    def json(self) -> Any:
        """The parsed JSON document."""
        if self._json is None:
            self._json = parse_json(self.data, str(self.path))
        return self._json

    def table(self, mapping: Mapping) -> Rows:
        """The rows of the table as the mapping reads it (its delimiter, header row, encoding, sheet)."""
        key = (mapping.format, mapping.delimiter, mapping.header_row, mapping.encoding, mapping.sheet)
        if key not in self._tables:
            name = str(self.path)
            self._tables[key] = (read_xlsx(self.data, name, mapping.sheet, mapping.header_row) if mapping.format == XLSX
                                 else read_csv(self.data, name, mapping.delimiter, mapping.header_row, mapping.encoding))
        return self._tables[key]

    def records(self, mapping: Mapping) -> list[Record]:
        """The records the mapping reads: the values its JSONPath selects, or the table's rows."""
        if mapping.format == JSON:
            assert mapping.records is not None
            return [Record(node.value) for node in mapping.records.finditer(self.json)]
        return self.table(mapping).records

    def claims(self, mapping: Mapping) -> bool:
        """True when the mapping reads this file: its format, its file-name globs, and its record keys all agree."""
        if not mapping.name_matches(self.path.name):
            return False
        if mapping.format == JSON:
            if self.format != JSON:
                return False
            assert mapping.records is not None
            path = str(mapping.records)
            if path not in self._first_keys:
                first = next(iter(mapping.records.finditer(self.json)), None)
                self._first_keys[path] = set(first.value) if first is not None and isinstance(first.value, dict) else None
            keys = self._first_keys[path]
        elif mapping.format == XLSX:
            if self.format != XLSX:
                return False
            keys = set(self._header(mapping))
        else:
            # Delimited text is claimed by its header, whatever the file is called; JSON and workbooks are not text tables.
            if self.format in (JSON, XLSX):
                return False
            keys = set(self._header(mapping))
        return keys is not None and set(mapping.record_keys) <= keys

    def _header(self, mapping: Mapping) -> list[str]:
        if mapping.format == CSV and self.format != CSV:
            # Text not named .csv: read only the header's lines, so that trying a prose document costs nothing.
            head = b"\n".join(self.data.split(b"\n", mapping.header_row + 1)[: mapping.header_row])
            try:
                return read_csv(head, str(self.path), mapping.delimiter, mapping.header_row, mapping.encoding).header
            except InputError:
                return []
        try:
            return self.table(mapping).header
        except InputError:
            return []

    def describe(self) -> str:
        """What the file looks like, for the message that asks for a mapping."""
        if self.format == JSON:
            root = self.json
            if isinstance(root, list):
                first = next((item for item in root if isinstance(item, dict)), None)
                keys = f"; its first object has the keys {', '.join(map(str, first))}" if first else ""
                return f"a JSON array of {len(root)} items{keys}"
            if isinstance(root, dict):
                return f"a JSON object with the keys {', '.join(map(str, root))}"
            return "a JSON value that is neither an array nor an object"
        try:
            header = read_xlsx(self.data, str(self.path), None, 1).header if self.format == XLSX else \
                read_csv(self.data, str(self.path), None, 1, "utf-8").header
        except InputError as err:
            return f"a {self.format.upper() if self.format else 'text'} table that cannot be read: {err.message}"
        return f"a {'workbook' if self.format == XLSX else 'table'} whose header row reads {', '.join(h for h in header if h)}"


def catalogue_format(path: Path, data: bytes, mappings: list[Mapping] | None = None) -> str | None:
    """The catalogue format of a file (json, csv, xlsx) read from its content, or None when it is not a catalogue.

    JSON and XLSX are told by their bytes; delimited text by a .csv/.tsv name or by a CSV mapping that claims its
    header. The kind dispatcher calls this first, and convert_catalogue when it answers.
    """
    found = sniff_format(data, path.name)
    if found is not None:
        return found
    catalogue = Catalogue(path, data)
    candidates = mappings if mappings is not None else catalogue_mappings()
    return CSV if any(m.format == CSV and catalogue.claims(m) for m in candidates) else None


def find_mapping(catalogue: Catalogue, mappings: list[Mapping]) -> Mapping | None:
    """The mapping that reads a catalogue: of those that claim it, the most specific (most record keys, then globs)."""
    claiming = [m for m in mappings if catalogue.claims(m)]
    return max(claiming, key=lambda m: m.specificity) if claiming else None


def convert_catalogue(path: Path, data: bytes | None = None, minter: Minter | None = None,
                      mapping: Mapping | None = None, mappings: list[Mapping] | None = None) -> CatalogueWriter:
    """Convert one catalogue file into its named graph, with the given mapping or the one that claims the file.

    Module-level and free of shared state beyond the cached mappings, so worker processes can call it. Raises
    InputError when the file is no catalogue, when no mapping reads it, or when the mapping reads nothing from it.
    """
    data = read_bytes(path) if data is None else data
    minter = minter or Minter()
    catalogue = Catalogue(path, data)
    if mapping is None:
        mapping = find_mapping(catalogue, mappings if mappings is not None else catalogue_mappings())
        if mapping is None:
            if catalogue.format is None:
                raise InputError("not a catalogue: neither JSON, an XLSX workbook nor a CSV table", str(path))
            raise InputError(f"{NO_MAPPING} (it is {catalogue.describe()})", str(path))
    writer = CatalogueWriter(path, mapping, minter.source(path.stem), minter.graph(path.stem))
    context = Context(path.name, path.stem)
    executor = Executor(mapping, minter.base, writer.source, writer.add)
    env = executor.document_env(catalogue.json if mapping.format == JSON else None, context)
    title = (mapping.title.render(env) if mapping.title is not None else []) or [f"{path.name} ({mapping.name})"]
    _describe_source(writer, data, title[0], minter)
    records = catalogue.records(mapping)
    if not records:
        where = f"at {mapping.records_text}" if mapping.format == JSON else "below the header row"
        raise InputError(f"the catalogue mapping '{mapping.name}' ({mapping.path.name}) finds no records {where}", str(path))
    run = executor.records(records, env, context)
    if not run.nodes:
        raise InputError(f"the catalogue mapping '{mapping.name}' ({mapping.path.name}) read {run.records} records but made "
                         "nothing of them: check the fields its node IRIs use", str(path))
    writer.records = run.records
    return writer


def _describe_source(writer: CatalogueWriter, data: bytes, title: str, minter: Minter) -> None:
    """The provenance every converter writes (docs/model.md, Provenance), for a catalogue file."""
    src, graph = writer.source, writer.graph_iri
    activity = URIRef(f"{src}/conversion")
    agent = minter.agent(__version__)
    for triple in (
        (src, RDF.type, CG.SourceDocument), (src, RDF.type, PROV.Entity), (src, CG.fileName, Literal(writer.path.name)),
        (src, CG.documentKind, Literal(DOCUMENT_KIND)), (src, CG.sha256, Literal(hashlib.sha256(data).hexdigest())),
        (src, DCTERMS.title, Literal(title[:200])), (graph, PROV.wasDerivedFrom, src), (graph, PROV.wasGeneratedBy, activity),
        (activity, RDF.type, PROV.Activity), (activity, PROV.used, src), (activity, PROV.wasAssociatedWith, agent),
        (agent, RDF.type, PROV.SoftwareAgent), (agent, RDFS.label, Literal(f"currigraph {__version__} converter")),
    ):
        writer.graph.add(triple)
