"""A SPARQL 1.1 parser that reads queries and updates exactly as Oxigraph does, to inspect them before they run.

    from currigraph.sparql import inspect_query, SparqlRefused
    facts = inspect_query(text)            # raises SparqlRefused(message, line, column) on a bad or oversized text
    if facts.uses_service: ...             # every SERVICE, with its endpoint IRI (or ?var) and SILENT flag
"""

from currigraph.sparql.inspection import (
    Measures,
    QueryFacts,
    ServiceCall,
    UpdateFacts,
    UpdateOperation,
    inspect_query,
    inspect_update,
    with_using,
)
from currigraph.sparql.limits import DEFAULT_LIMITS, Limits
from currigraph.sparql.parser import SparqlRefused

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Measures",
    "QueryFacts",
    "ServiceCall",
    "SparqlRefused",
    "UpdateFacts",
    "UpdateOperation",
    "inspect_query",
    "inspect_update",
    "with_using",
]
