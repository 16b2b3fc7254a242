"""Loading the ontology and the SHACL shapes from their Turtle files."""

from pathlib import Path

from rdflib import Graph

from currigraph.errors import InputError
from currigraph.vocab import bind_prefixes


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
