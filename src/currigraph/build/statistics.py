"""VoID statistics of the dataset (per named graph and for their union), counted once rather than per request.

A build counts them over its store and leaves them in build/statistics.json, tagged with the build they describe;
a server that writes (publishing a course, SPARQL Update) counts them again in the background through its query
workers. The counting is a handful of SPARQL aggregates, so any store that answers SPARQL can be counted the same way.
"""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from currigraph.files import atomic_file

STATISTICS_FILE = "statistics.json"
Rows = list[dict[str, str]]
Select = Callable[[str], Rows]  # runs a SELECT over the dataset, rows of plain values

_COUNTS = ("(COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
           "(COUNT(DISTINCT ?o) AS ?objects)")
# %(skip)s leaves out graphs that are not part of the dataset (a remote store's manifest graph).
QUERIES = {
    "graphs": f"SELECT ?g {_COUNTS} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} %(skip)s }} GROUP BY ?g",
    "graph_entities": "SELECT ?g (COUNT(DISTINCT ?s) AS ?entities) WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?s)) } %(skip)s } GROUP BY ?g",
    "graph_classes": "SELECT ?g (COUNT(DISTINCT ?c) AS ?classes) WHERE { GRAPH ?g { ?s a ?c } %(skip)s } GROUP BY ?g",
    "union": f"SELECT {_COUNTS} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} %(skip)s }}",
    "union_entities": "SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?s)) } %(skip)s }",
    "union_classes": "SELECT (COUNT(DISTINCT ?c) AS ?classes) WHERE { GRAPH ?g { ?s a ?c } %(skip)s }",
}


@dataclass(frozen=True)
class GraphStatistics:
    """VoID's counts for one graph: triples, entities (IRI subjects), classes, properties, distinct subjects/objects."""

    triples: int = 0
    entities: int = 0
    classes: int = 0
    properties: int = 0
    subjects: int = 0
    objects: int = 0


@dataclass
class Statistics:
    """The counts of every named graph and of their union, and the build (or write) they describe."""

    version: str | None
    dataset: GraphStatistics = field(default_factory=GraphStatistics)
    graphs: dict[str, GraphStatistics] = field(default_factory=dict)

    def to_json(self) -> bytes:
        """The statistics as build/statistics.json holds them."""
        return json.dumps({"version": self.version, "dataset": asdict(self.dataset),
                           "graphs": {g: asdict(s) for g, s in sorted(self.graphs.items())}}, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: dict) -> "Statistics":
        """Statistics read back (ValueError when the JSON is not theirs)."""
        try:
            return cls(data["version"], GraphStatistics(**data["dataset"]),
                       {g: GraphStatistics(**s) for g, s in data["graphs"].items()})
        except (KeyError, TypeError, AttributeError) as err:
            raise ValueError(f"not currigraph statistics ({err})") from None


def _numbers(row: dict[str, str]) -> dict[str, int]:
    names = {f.name for f in fields(GraphStatistics)}
    return {k: int(v) for k, v in row.items() if k in names}


def count(select: Select, version: str | None, skip: tuple[str, ...] = ()) -> Statistics:
    """Count the statistics with SPARQL aggregates through select (leaving out the graphs named in skip)."""
    fill = {"skip": "FILTER(?g NOT IN (" + ", ".join(f"<{g}>" for g in skip) + "))" if skip else ""}
    per_graph: dict[str, dict[str, int]] = {}
    for name in ("graphs", "graph_entities", "graph_classes"):
        for row in select(QUERIES[name] % fill):
            per_graph.setdefault(row["g"], {}).update(_numbers(row))
    union: dict[str, int] = {}
    for name in ("union", "union_entities", "union_classes"):
        for row in select(QUERIES[name] % fill):
            union.update(_numbers(row))
    return Statistics(version, GraphStatistics(**union), {g: GraphStatistics(**n) for g, n in per_graph.items()})


def count_store(store: object, version: str | None) -> Statistics:
    """Count the statistics of a pyoxigraph store (the build's)."""

    def select(query: str) -> Rows:
        solutions = store.query(query)  # type: ignore[attr-defined]
        names = [v.value for v in solutions.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]

    return count(select, version)


def write_statistics(build_dir: Path, statistics: Statistics) -> None:
    """Write build/statistics.json atomically."""
    with atomic_file(build_dir / STATISTICS_FILE) as handle:
        handle.write(statistics.to_json())


def read_statistics(build_dir: Path, version: str | None) -> Statistics | None:
    """The statistics a build left, when they describe this version of the dataset (else None: count them again)."""
    try:
        statistics = Statistics.from_json(json.loads((build_dir / STATISTICS_FILE).read_text("utf-8")))
    except (OSError, ValueError):
        return None
    return statistics if version is not None and statistics.version == version else None
