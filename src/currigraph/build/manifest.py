"""The manifest of a dataset: which named graphs it has, of which kind, and how big each is.

A build writes it as build/manifest.json; `currigraph publish` keeps the same facts in a remote store as a graph
(remote.manifest); servers read it for /health, exports, the service description and VoID. One type for all of them.
"""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from currigraph.build.layout import DATASET_FILE, MANIFEST_FILE, damaged
from currigraph.errors import InputError
from currigraph.files import atomic_file

# The kinds of graph a dataset holds, and which of them each export choice takes.
GRAPH_KINDS = {"asserted": frozenset({"source", "published", "shared"}), "inferred": frozenset({"inferred"}),
               "all": frozenset({"source", "published", "shared", "ontology", "inferred"})}


@dataclass(frozen=True)
class GraphEntry:
    """One named graph: its IRI, its kind (source, published, shared, ontology, inferred), its size and origin."""

    iri: str
    kind: str
    triples: int
    source: str | None = None  # the file a source graph was converted from
    origin: str | None = None  # "api" for a graph a server wrote into a remote store (a later publish keeps it)


@dataclass
class Manifest:
    """The dataset's base IRI and graphs (in the dataset file's order), and what made it."""

    base: str
    graphs: list[GraphEntry] = field(default_factory=list)
    generator: str | None = None
    conforms: bool = True
    build: str | None = None  # the id of the build (build.state records the same id)

    @property
    def triples(self) -> int:
        """The number of statements over all graphs."""
        return sum(g.triples for g in self.graphs)

    def iris(self, kinds: Iterable[str]) -> list[str]:
        """The IRIs of the graphs of these kinds, in order."""
        wanted = set(kinds)
        return [g.iri for g in self.graphs if g.kind in wanted]

    def kinds(self) -> dict[str, str]:
        """Graph IRI -> kind."""
        return {g.iri: g.kind for g in self.graphs}

    def replaced(self, entries: Iterable[GraphEntry]) -> "Manifest":
        """The manifest with these graphs added, or replacing graphs of the same IRI (which then move to the end)."""
        new = list(entries)
        names = {e.iri for e in new}
        return replace(self, graphs=[g for g in self.graphs if g.iri not in names] + new)

    def to_json(self) -> bytes:
        """The manifest as build/manifest.json holds it."""
        data: dict[str, Any] = {"base": self.base, "triples": self.triples,
                                "graphs": [{k: v for k, v in asdict(g).items() if k != "origin" or v is not None} for g in self.graphs]}
        data.update({k: v for k, v in (("generator", self.generator), ("conforms", self.conforms), ("build", self.build)) if v is not None})
        return json.dumps(data, indent=2).encode("utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Manifest":
        """A manifest from the JSON a build wrote (ValueError when it is not one)."""
        try:
            graphs = [GraphEntry(**g) for g in data["graphs"]]
            return cls(str(data["base"]), graphs, data.get("generator"), bool(data.get("conforms", True)), data.get("build"))
        except (KeyError, TypeError) as err:
            raise ValueError(f"not a currigraph manifest ({err})") from None


def read_manifest(build_dir: Path) -> Manifest:
    """The manifest of a build; InputError when there is no usable build."""
    path = build_dir / MANIFEST_FILE
    if not path.exists() or not (build_dir / DATASET_FILE).exists():
        raise InputError("no built graph here; run `currigraph build` first", str(build_dir))
    try:
        return Manifest.from_json(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError) as err:
        raise damaged(path, err, "unreadable build manifest: the build is damaged") from None


def write_manifest(build_dir: Path, manifest: Manifest) -> None:
    """Write build/manifest.json atomically (readers see the old or the new one)."""
    with atomic_file(build_dir / MANIFEST_FILE) as handle:
        handle.write(manifest.to_json())
