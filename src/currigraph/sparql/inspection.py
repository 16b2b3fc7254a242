"""What the endpoint needs to know of a query or update before pyoxigraph runs it, read from its parse (never its raw text)."""

from __future__ import annotations

from dataclasses import dataclass

from currigraph.sparql.limits import DEFAULT_LIMITS, Limits
from currigraph.sparql.parser import XSD_CASTS, Parser, ParseResult, line_column
from currigraph.vocab import is_absolute_iri


@dataclass(frozen=True)
class Measures:
    """How deep and how large the text is (what the limits are checked against)."""

    depth: int
    """Deepest nesting of recursive constructs ({ }, sub-selects, EXISTS, ( ) of expressions, calls and paths, collections, [ ])."""
    tokens: int
    union_branches: int
    pattern_elements: int
    """Group elements other than triples ({ } groups or unions, OPTIONAL, MINUS, GRAPH, SERVICE, FILTER, BIND, VALUES)
    and expressions bound to variables (SELECT (... AS ?v), GROUP BY expressions, DESCRIBE IRIs)."""
    filters: int
    optionals: int
    """OPTIONAL and MINUS clauses."""
    triple_patterns: int
    """Triple and path patterns to match (WHERE clauses, sub-selects, DELETE WHERE); collections count two a member."""
    operators: int
    """Binary operators of expressions (|| && = != < > <= >= + - * / IN)."""
    path_operators: int
    """Sequence (/) and alternative (|) operators of property paths."""
    template_triples: int
    """Triples of CONSTRUCT templates, DELETE/INSERT templates and update data (not matched, so not limited apart)."""


@dataclass(frozen=True)
class ServiceCall:
    """A SERVICE pattern: its endpoint IRI (or '?var' for a variable), SILENT or not, and where it is."""

    endpoint: str
    silent: bool
    offset: int
    line: int
    column: int

    @property
    def is_variable(self) -> bool:
        """True when the endpoint is a variable, known only at run time."""
        return self.endpoint.startswith("?")


@dataclass(frozen=True)
class UpdateOperation:
    """One operation of an update sequence."""

    kind: str
    """LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, INSERT DATA, DELETE DATA, DELETE WHERE or MODIFY (DELETE/INSERT ... WHERE)."""
    offset: int
    silent: bool
    source: str | None
    """LOAD: the IRI it reads from."""
    target: str | None
    """LOAD: the graph it loads into (None: the default graph)."""
    with_graph: str | None
    using: tuple[str, ...]
    using_named: tuple[str, ...]
    where_offset: int | None
    """MODIFY: offset of its WHERE keyword, where protocol USING clauses are to be inserted."""


@dataclass(frozen=True)
class QueryFacts:
    """Facts about a query."""

    form: str
    """SELECT, CONSTRUCT, DESCRIBE or ASK."""
    base_iri: str | None
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    services: tuple[ServiceCall, ...]
    functions: tuple[str, ...]
    """Every IRI called as a function, in order, repeats removed."""
    extension_functions: tuple[str, ...]
    """The called IRIs that are not XSD casts Oxigraph knows (built-ins are keywords, never IRIs)."""
    measures: Measures
    where_offset: int | None = None
    """The offset of the '{' that opens the query's own WHERE group (a sub-select's is not it): where bindings go."""

    @property
    def uses_service(self) -> bool:
        """True when the query has a SERVICE pattern (federation)."""
        return bool(self.services)

    @property
    def declares_dataset(self) -> bool:
        """True when the query has FROM or FROM NAMED clauses."""
        return bool(self.from_graphs or self.from_named_graphs)


@dataclass(frozen=True)
class UpdateFacts:
    """Facts about an update (a sequence of operations)."""

    base_iri: str | None
    operations: tuple[UpdateOperation, ...]
    services: tuple[ServiceCall, ...]
    functions: tuple[str, ...]
    extension_functions: tuple[str, ...]
    measures: Measures

    @property
    def loads(self) -> tuple[UpdateOperation, ...]:
        """The LOAD operations."""
        return tuple(op for op in self.operations if op.kind == "LOAD")

    @property
    def uses_service(self) -> bool:
        """True when a WHERE clause has a SERVICE pattern."""
        return bool(self.services)

    @property
    def declares_dataset(self) -> bool:
        """True when an operation has WITH or USING (so protocol using-graph-uri parameters may not be given)."""
        return any(op.with_graph or op.using or op.using_named for op in self.operations)


def _measures(result: ParseResult) -> Measures:
    counts = result.counts
    return Measures(result.max_depth, result.tokens, counts["union_branches"], counts["pattern_elements"], counts["filters"],
                    counts["optionals"],
                    counts["triple_patterns"], counts["operators"], counts["path_operators"], counts["template_triples"])


def _services(text: str, result: ParseResult) -> tuple[ServiceCall, ...]:
    return tuple(ServiceCall(s.endpoint, s.silent, s.offset, *line_column(text, s.offset)) for s in result.services)


def _functions(result: ParseResult) -> tuple[tuple[str, ...], tuple[str, ...]]:
    functions = tuple(dict.fromkeys(result.functions))
    return functions, tuple(f for f in functions if f not in XSD_CASTS)


def inspect_query(text: str, limits: Limits = DEFAULT_LIMITS, base_iri: str | None = None) -> QueryFacts:
    """Parse a query as Oxigraph would and return its facts; raise SparqlRefused on a syntax error or a limit passed."""
    result = Parser(text, limits, base_iri).parse_query()
    functions, extensions = _functions(result)
    return QueryFacts(result.form, result.base_iri, tuple(result.from_graphs), tuple(result.from_named_graphs),
                      _services(text, result), functions, extensions, _measures(result), result.where_offset)


def inspect_update(text: str, limits: Limits = DEFAULT_LIMITS, base_iri: str | None = None) -> UpdateFacts:
    """Parse an update as Oxigraph would and return its facts; raise SparqlRefused on a syntax error or a limit passed."""
    result = Parser(text, limits, base_iri).parse_update()
    functions, extensions = _functions(result)
    operations = tuple(
        UpdateOperation(op.kind, op.offset, op.silent, op.source, op.target, op.with_graph, tuple(op.using),
                        tuple(op.using_named), op.where_offset)
        for op in result.operations
    )
    return UpdateFacts(result.base_iri, operations, _services(text, result), functions, extensions, _measures(result))


def with_using(text: str, facts: UpdateFacts, graphs: list[str], named_graphs: list[str]) -> str:
    """The update with `USING <g>` / `USING NAMED <g>` clauses put before the WHERE of each DELETE/INSERT operation.

    This is the protocol's using-graph-uri / using-named-graph-uri. It is an error to give them to an update that
    has WITH or USING itself, or that has no DELETE/INSERT ... WHERE operation; IRIs must be absolute.
    """
    if facts.declares_dataset:
        raise ValueError("the update names its dataset itself (WITH or USING)")
    offsets = [op.where_offset for op in facts.operations if op.where_offset is not None]
    if not offsets:
        raise ValueError("using-graph-uri applies to DELETE/INSERT operations with a WHERE clause")
    for iri in graphs + named_graphs:
        if not is_absolute_iri(iri):
            raise ValueError(f"not an absolute IRI: {iri!r}")
    clauses = "".join(f"USING <{g}> " for g in graphs) + "".join(f"USING NAMED <{g}> " for g in named_graphs)
    out = text
    for offset in sorted(offsets, reverse=True):
        out = out[:offset] + clauses + out[offset:]
    return out
