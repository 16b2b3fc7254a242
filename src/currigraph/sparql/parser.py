"""Recursive-descent parser for SPARQL 1.1 Query and Update, reading the text exactly as Oxigraph 0.5 does.

The grammar is SPARQL 1.1's, written the way Oxigraph's parser (a PEG in spargebra) writes it, so that a text is
accepted here exactly when pyoxigraph accepts it (up to the SPARQL 1.2 and LATERAL extensions, which are refused
here as not SPARQL 1.1) and every SERVICE, FROM and LOAD found here is one the engine would see:

* Alternatives are tried in Oxigraph's order, with backtracking, and keywords are matched ASCII-case-insensitively
  at the position where the grammar expects them, with no word boundary (Oxigraph accepts `SERVICESILENT<x>{}` and
  `ORDER BYASC(?x)`, so this parser does too and sees the SERVICE).
* Whitespace is allowed exactly where Oxigraph allows it (for instance none between CONCAT and its `(`).
* Oxigraph's checks on the parsed query are made too: unknown prefixes, invalid or relative IRIs without a base,
  invalid language tags and string escapes, blank node labels reused across groups, BIND or SELECT expressions over
  a variable already in scope, ungrouped variables in an aggregated SELECT, VALUES rows of the wrong length,
  variables and blank nodes where update data forbids them, blank nodes shared by INSERT DATA operations.

Nothing here recurses without counting: every recursive construct goes through `_down()`, which refuses the text
when the nesting passes the limit, so the parser never meets Python's recursion limit whatever the input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from currigraph.sparql import lexer as lx
from currigraph.sparql.limits import DEFAULT_LIMITS, Limits


class SparqlRefused(ValueError):
    """A text that is not SPARQL 1.1 as Oxigraph reads it, or that passes a limit; says where."""

    def __init__(self, message: str, line: int, column: int, offset: int, limit: str | None = None) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.limit = limit
        """The name of the limit passed (a field of Limits), or None for a syntax error."""


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_CASTS = frozenset(_XSD + name for name in (
    "string", "boolean", "double", "float", "integer", "decimal", "date", "time", "dateTime", "duration",
    "yearMonthDuration", "dayTimeDuration", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay",
))
"""The XSD constructor functions Oxigraph evaluates; any other function IRI is an extension function."""

# Built-in calls by keyword, with the shapes of their arguments Oxigraph accepts: digits = that many expressions in
# ( ), 'nil' = NIL after optional space, 'nil-tight' = NIL right after the keyword, 'list' = an expression list
# right after the keyword, 'var' = one variable in ( ). A keyword is matched as a whole word: every alternative of
# Oxigraph's BuiltInCall continues with '(' or '{', so a keyword that is a prefix of a longer word never matches.
_BUILTINS: dict[str, tuple[str, ...]] = {
    **{k: ("1",) for k in (
        "STR", "LANG", "DATATYPE", "IRI", "URI", "ABS", "CEIL", "FLOOR", "ROUND", "STRLEN", "UCASE", "LCASE",
        "ENCODE_FOR_URI", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "MD5", "SHA1",
        "SHA256", "SHA384", "SHA512", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC")},
    **{k: ("2",) for k in (
        "LANGMATCHES", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "STRLANG", "STRDT", "SAMETERM")},
    "IF": ("3",),
    "BOUND": ("var",),
    "BNODE": ("1", "nil-tight"),
    "RAND": ("nil",), "NOW": ("nil",), "UUID": ("nil",), "STRUUID": ("nil",),
    "CONCAT": ("list",), "COALESCE": ("list",),
    "SUBSTR": ("2", "3"), "REGEX": ("2", "3"), "REPLACE": ("3", "4"),
}
_AGGREGATES = frozenset(("COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"))
_NO_VARS: frozenset[str] = frozenset()


@dataclass
class Service:
    """A SERVICE pattern: its endpoint (an IRI, or a variable as '?name'), SILENT or not, where it starts."""

    endpoint: str
    silent: bool
    offset: int

    @property
    def is_variable(self) -> bool:
        """True when the endpoint is a variable bound at run time."""
        return self.endpoint.startswith("?")


@dataclass
class Operation:
    """One operation of an update: its kind and what the endpoint needs to know of it."""

    kind: str
    """LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, INSERT DATA, DELETE DATA, DELETE WHERE or MODIFY (DELETE/INSERT)."""
    offset: int
    silent: bool = False
    source: str | None = None
    """LOAD: the IRI loaded."""
    target: str | None = None
    """LOAD: the graph loaded into (None for the default graph)."""
    with_graph: str | None = None
    using: list[str] = field(default_factory=list)
    using_named: list[str] = field(default_factory=list)
    where_offset: int | None = None
    """MODIFY: the character offset where its WHERE keyword starts (USING clauses go just before it)."""


@dataclass
class ParseResult:
    """What the parser found in a text (the inspection module turns it into the public facts)."""

    form: str
    base_iri: str | None
    prefixes: dict[str, str]
    services: list[Service]
    from_graphs: list[str]
    from_named_graphs: list[str]
    functions: list[str]
    operations: list[Operation]
    max_depth: int
    tokens: int
    counts: dict[str, int]
    where_offset: int | None = None  # the '{' of the query's own WHERE group (not a sub-select's)


class _Fail(Exception):
    """Internal: a semantic check failed (the alternative fails as in Oxigraph's `{? Err }` actions)."""


class Parser:
    """One parse of one text; use parse_query() or parse_update()."""

    def __init__(self, text: str, limits: Limits = DEFAULT_LIMITS, base_iri: str | None = None) -> None:
        self.t = text
        self.n = len(text)
        self.pos = 0
        self.limits = limits
        self.base: str | None = None
        if base_iri is not None:
            self.base = lx.resolve_iri(base_iri, None)
            if self.base is None:
                raise SparqlRefused(f"the base IRI <{base_iri}> is not a valid absolute IRI", 1, 1, 0)
        self.prefixes: dict[str, str] = {}
        self.depth = 0
        self.max_depth = 0
        self.tokens = 0
        self.ev: list[tuple] = []
        self.fail_pos = -1
        self.fail_what: set[str] = set()
        self.used_bnodes: set[str] = set()
        self.current_bnodes: set[str] = set()
        self.aggregates: list[int] = []
        self.ambiguous = 0
        self.seen: dict[str, int] = {}
        self._maxima = {"union_branches": limits.max_union_branches, "pattern_elements": limits.max_pattern_elements,
                        "optionals": limits.max_optionals, "triple_patterns": limits.max_triple_patterns,
                        "operators": limits.max_operators, "path_operators": limits.max_path_operators}
        if self.n > limits.max_length:
            raise SparqlRefused(f"the text is longer than {limits.max_length} characters (max_length)", 1, 1, 0,
                                "max_length")

    # ----------------------------------------------------------------- machinery

    def _mark(self) -> tuple[int, int, int]:
        return self.pos, self.tokens, len(self.ev)

    def _reset(self, mark: tuple[int, int, int]) -> None:
        self.pos, self.tokens = mark[0], mark[1]
        del self.ev[mark[2]:]

    def _expect(self, what: str, at: int | None = None) -> None:
        pos = self.pos if at is None else at
        if pos > self.fail_pos:
            self.fail_pos = pos
            self.fail_what = {what}
        elif pos == self.fail_pos:
            self.fail_what.add(what)

    def _refuse(self, message: str, offset: int, limit: str | None = None) -> SparqlRefused:
        line, column = line_column(self.t, offset)
        return SparqlRefused(message, line, column, offset, limit)

    def _syntax_error(self) -> SparqlRefused:
        offset = max(self.fail_pos, 0)
        token = lx.token_at(self.t, offset)
        if offset >= self.n:
            found = "the end of the text"
        else:
            shown = token.text if token else self.t[offset]
            found = repr(shown if len(shown) <= 40 else shown[:37] + "...")
        expected = sorted(self.fail_what) or ["nothing more"]
        if len(expected) > 8:
            expected = expected[:8] + ["..."]
        return self._refuse(f"expected {' or '.join(expected)} but found {found}", offset)

    def _down(self, at: int) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            self.max_depth = self.depth
            if self.depth > self.limits.max_depth:
                raise self._refuse(f"nested deeper than {self.limits.max_depth} levels (max_depth)", at, "max_depth")

    def _ambiguous_down(self, at: int) -> None:
        # Oxigraph parses REGEX, SUBSTR, REPLACE and GROUP_CONCAT by trying their longer form first and parsing the
        # arguments again for the shorter one, so its time doubles with each of them nested in another's arguments.
        self.ambiguous += 1
        if self.ambiguous > self.limits.max_reparsed_nesting:
            raise self._refuse(f"REGEX, SUBSTR, REPLACE or GROUP_CONCAT nested deeper than {self.limits.max_reparsed_nesting} "
                               "levels in one another (max_reparsed_nesting)", at, "max_reparsed_nesting")

    def _count(self, kind: str, n: int) -> None:
        self.ev.append((kind, n, self.pos))
        # The exact counts are checked on the final parse; this refuses a huge text early, while parsing. Counts
        # here include alternatives tried and dropped, hence the margin.
        self.seen[kind] = seen = self.seen.get(kind, 0) + n
        limit = self._maxima.get(kind)
        if limit is not None and seen > 4 * limit + 16:
            raise self._refuse(f"more than {limit} {kind.replace('_', ' ')} (max_{kind})", self.pos, f"max_{kind}")

    def _tok(self) -> None:
        self.tokens += 1
        if self.tokens > self.limits.max_tokens:
            raise self._refuse(f"more than {self.limits.max_tokens} tokens (max_tokens)", self.pos, "max_tokens")

    def _ws(self) -> None:
        self.pos = lx.WS.match(self.t, self.pos).end()

    def _lit(self, s: str) -> bool:
        if self.t.startswith(s, self.pos):
            self.pos += len(s)
            self._tok()
            return True
        self._expect(repr(s))
        return False

    def _kw(self, word: str) -> bool:
        # ASCII-only comparison, as Rust's eq_ignore_ascii_case: 'ſ'.upper() is 'S' but is no S to Oxigraph.
        end = self.pos + len(word)
        s = self.t[self.pos:end]
        if s.isascii() and s.upper() == word:
            self.pos = end
            self._tok()
            return True
        self._expect(word)
        return False

    def _semantic(self, message: str) -> None:
        self._expect(message)
        raise _Fail(message)

    # ----------------------------------------------------------------- terminals

    def _var(self) -> str | None:
        m = lx.VAR.match(self.t, self.pos)
        if m is None:
            self._expect("a variable")
            return None
        self.pos = m.end()
        self._tok()
        return m.group(1)

    def _iriref(self) -> str | None:
        m = lx.IRIREF.match(self.t, self.pos)
        if m is None:
            self._expect("an IRI")
            return None
        raw = lx.unescape_iri(m.group(1))
        iri = lx.resolve_iri(raw, self.base) if raw is not None else None
        if iri is None:
            self._expect("a valid IRI" if self.base is not None or raw is None or ":" in raw else "an absolute IRI (no BASE)")
            return None
        self.pos = m.end()
        self._tok()
        return iri

    def _prefixed_name(self) -> str | None:
        m = lx.PNAME_NS.match(self.t, self.pos)
        if m is None:
            self._expect("a prefixed name")
            return None
        prefix = m.group()[:-1]
        namespace = self.prefixes.get(prefix)
        if namespace is None:
            self._expect(f"a declared prefix ({prefix}: is not declared)")
            return None
        local = lx.PN_LOCAL.match(self.t, m.end())
        if local is not None:
            iri = namespace + lx.unescape_local(local.group())
            if lx.is_absolute_iri(iri):
                self.pos = local.end()
                self._tok()
                return iri
        if lx.is_absolute_iri(namespace):
            self.pos = m.end()
            self._tok()
            return namespace
        self._expect("a valid IRI")
        return None

    def _iri(self) -> str | None:
        c = self.t[self.pos:self.pos + 1]
        if c == "<":
            return self._iriref()
        return self._prefixed_name()

    def _string(self) -> str | None:
        t, p = self.t, self.pos
        c = t[p:p + 1]
        if c == "'":
            m = lx.STRING_LITERAL_LONG1.match(t, p) if t.startswith("'''", p) else None
            m = m or lx.STRING_LITERAL1.match(t, p)
        elif c == '"':
            m = lx.STRING_LITERAL_LONG2.match(t, p) if t.startswith('"""', p) else None
            m = m or lx.STRING_LITERAL2.match(t, p)
        else:
            m = None
        if m is None:
            self._expect("a string")
            return None
        value = lx.unescape_string(m.group(1))
        if value is None:
            self._expect("a string with valid escapes")
            return None
        self.pos = m.end()
        self._tok()
        return value

    def _unsigned_number(self) -> bool:
        m = lx.DOUBLE.match(self.t, self.pos) or lx.DECIMAL.match(self.t, self.pos) or lx.INTEGER.match(self.t, self.pos)
        if m is None:
            self._expect("a number")
            return False
        self.pos = m.end()
        self._tok()
        return True

    def _numeric_literal(self) -> bool:
        c = self.t[self.pos:self.pos + 1]
        if c in ("+", "-"):
            mark = self._mark()
            self.pos += 1
            self._ws()  # Oxigraph allows space between a sign and its digits
            if self._unsigned_number():
                return True
            self._reset(mark)
            return False
        return self._unsigned_number()

    def _boolean(self) -> bool:
        for word in ("true", "false"):
            if self.t.startswith(word, self.pos):  # case-sensitive, as in Oxigraph
                self.pos += len(word)
                self._tok()
                return True
        self._expect("true or false")
        return False

    def _rdf_literal(self) -> bool:
        if self._string() is None:
            return False
        after = self._mark()
        self._ws()
        if self.t.startswith("^^", self.pos):
            self.pos += 2
            self._tok()
            self._ws()
            if self._iri() is not None:
                return True
            self._reset(after)
            self._ws()
        m = lx.LANGTAG.match(self.t, self.pos)
        if m is not None:
            if m.group(2) is None and lx.is_language_tag(m.group(1)):
                self.pos = m.end()
                self._tok()
                return True
            self._expect("a valid language tag (SPARQL 1.1, no base direction)")
        self._reset(after)
        return True

    def _blank_node(self) -> bool:
        m = lx.BLANK_NODE_LABEL.match(self.t, self.pos)
        if m is not None:
            label = m.group()[2:]
            if label in self.used_bnodes:
                self._expect(f"a blank node label not used in another group (_:{label})")
                return False
            self.current_bnodes.add(label)
            self.ev.append(("label", label))
            self.pos = m.end()
            self._tok()
            return True
        m = lx.ANON.match(self.t, self.pos)
        if m is not None:
            self.pos = m.end()
            self._tok()
            return True
        self._expect("a blank node")
        return False

    def _nil(self) -> bool:
        m = lx.NIL.match(self.t, self.pos)
        if m is None:
            self._expect("'()'")
            return False
        self.pos = m.end()
        self._tok()
        return True

    # ----------------------------------------------------------------- query

    def parse_query(self) -> ParseResult:
        """Parse the text as a query, or raise SparqlRefused."""
        form = None
        try:
            self._ws()
            self._prologue()
            self._ws()
            for name, rule in (("SELECT", self._select_query), ("CONSTRUCT", self._construct_query),
                               ("DESCRIBE", self._describe_query), ("ASK", self._ask_query)):
                if rule():
                    form = name
                    break
            if form is not None:
                self._ws()
                if self.pos < self.n:
                    self._expect("the end of the query")
                    form = None
        except RecursionError:  # a last guard: the depth counter should make this unreachable
            raise self._refuse("nested too deeply for the parser", self.pos, "max_depth") from None
        if form is None:
            raise self._syntax_error()
        return self._result(form, [])

    def _result(self, form: str, operations: list[Operation]) -> ParseResult:
        services: list[Service] = []
        froms: list[str] = []
        named: list[str] = []
        functions: list[tuple[int, str]] = []
        counts = {"union_branches": 0, "pattern_elements": 0, "filters": 0, "optionals": 0, "triple_patterns": 0,
                  "operators": 0, "path_operators": 0, "template_triples": 0}
        counted: list[tuple[int, str, int]] = []
        wheres: list[tuple[int, int]] = []
        for event in self.ev:
            kind = event[0]
            if kind == "where":
                wheres.append((event[2], event[1]))
            elif kind == "service":
                services.append(Service(event[1], event[2], event[3]))
            elif kind == "from":
                froms.append(event[1])
            elif kind == "from_named":
                named.append(event[1])
            elif kind == "function":
                functions.append((event[2], event[1]))
            elif kind in counts:
                counts[kind] += event[1]
                counted.append((event[2], kind, event[1]))
        limits = self.limits
        maxima = self._maxima
        if any(counts[name] > maxima.get(name, counts[name]) for name in counts):
            # Say where the text passed the limit: add up in the order of the text.
            totals = dict.fromkeys(counts, 0)
            for offset, name, n in sorted(counted):
                totals[name] += n
                if totals[name] > maxima.get(name, totals[name]):
                    raise self._refuse(f"more than {maxima[name]} {name.replace('_', ' ')} (max_{name})", offset, f"max_{name}")
        if len(operations) > limits.max_operations:
            raise self._refuse(f"more than {limits.max_operations} operations (max_operations)", operations[-1].offset,
                               "max_operations")
        # Events of nested constructs come before their container's: report in the order of the text.
        services.sort(key=lambda service: service.offset)
        ordered = [iri for _, iri in sorted(functions)]
        return ParseResult(form, self.base, dict(self.prefixes), services, froms, named, ordered, operations,
                           self.max_depth, self.tokens, counts, min(wheres)[1] if wheres else None)

    def _prologue(self) -> None:
        while True:
            mark = self._mark()
            if self._kw("BASE"):
                self._ws()
                iri = self._iriref()
                if iri is not None:
                    self.base = iri
                    self._ws()
                    continue
            self._reset(mark)
            if self._kw("PREFIX"):
                self._ws()
                m = lx.PNAME_NS.match(self.t, self.pos)
                if m is not None:
                    self.pos = m.end()
                    self._tok()
                    self._ws()
                    iri = self._iriref()
                    if iri is not None:
                        self.prefixes[m.group()[:-1]] = iri
                        self._ws()
                        continue
                else:
                    self._expect("a prefix name ending with ':'")
            self._reset(mark)
            return

    def _select_clause(self) -> tuple[list[tuple[str, str | None, frozenset[str] | None]] | None, int] | None:
        """((members or None for *), offset); a member is (variable, None, None) or (variable, 'expr', free vars)."""
        mark = self._mark()
        if not self._kw("SELECT"):
            return None
        self._ws()
        self.aggregates.append(0)
        if not self._kw("DISTINCT"):
            self._kw("REDUCED")
        self._ws()
        if self._lit("*"):
            return None, mark[0]
        members: list[tuple[str, str | None, frozenset[str] | None]] = []
        while True:
            var = self._var()
            if var is not None:
                self._ws()
                members.append((var, None, None))
                continue
            m2 = self._mark()
            if self._lit("("):
                start = self.pos - 1
                self._down(start)
                self._ws()
                expr = self._expression()
                if expr is not None:
                    self._ws()
                    if self._kw("AS"):
                        self._ws()
                        var = self._var()
                        if var is not None:
                            self._ws()
                            if self._lit(")"):
                                self.depth -= 1
                                self._ws()
                                members.append((var, "expr", expr[1]))
                                self._count("pattern_elements", 1)  # an Extend level in the engine
                                continue
                self.depth -= 1
            self._reset(m2)
            break
        if not members:
            self.aggregates.pop()
            self._reset(mark)
            return None
        return members, mark[0]

    def _solution_modifiers(self) -> tuple[list[tuple[str | None, str | None, frozenset[str]]] | None, bool, set[str]] | None:
        """GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET and VALUES: (group conditions or None, having, VALUES variables)."""
        group = self._group_clause()
        self._ws()
        having = self._having_clause()
        self._ws()
        self._order_clause()
        self._ws()
        self._limit_offset()
        self._ws()
        values = self._values_clause()
        if values is None:
            return None
        return group, having, values

    def _build_select(self, members: list[tuple[str, str | None, frozenset[str] | None]] | None, scope: set[str],
                      group: list[tuple[str | None, str | None, frozenset[str]]] | None, values: set[str]) -> set[str]:
        """The variables a SELECT (or another query form) makes visible; fails as Oxigraph's build_select does."""
        aggregates = self.aggregates.pop() if self.aggregates else 0
        with_aggregate = group is not None or aggregates > 0
        if with_aggregate:
            visible = {var for var, _, _ in (group or []) if var is not None}
        else:
            visible = set(scope)
        visible |= values
        if members is None:
            if with_aggregate:
                self._semantic("no SELECT * with GROUP BY or aggregates")
            return visible
        projected: list[str] = []
        for var, kind, free in members:
            if kind is None:
                if with_aggregate and var not in visible:
                    self._semantic(f"?{var} to be grouped (it is selected but not in GROUP BY)")
            else:
                if var in visible:
                    self._semantic(f"?{var} to be a new variable (SELECT (... AS ?{var}) over a variable in scope)")
                if with_aggregate and free and not free <= visible:
                    self._semantic("the SELECT expression to use only grouped variables")
            if var in projected:
                self._semantic(f"?{var} once in SELECT")
            projected.append(var)
        return set(projected)

    def _select_query(self) -> bool:
        mark = self._mark()
        clause = self._select_clause()
        if clause is None:
            return False
        members, _ = clause
        try:
            self._ws()
            self._dataset_clauses()
            self._ws()
            scope = self._where_clause()
            if scope is not None:
                self._ws()
                modifiers = self._solution_modifiers()
                if modifiers is not None:
                    self._build_select(members, scope, modifiers[0], modifiers[2])
                    return True
        except _Fail:
            pass
        self._reset(mark)
        return False

    def _sub_select(self) -> set[str] | None:
        mark = self._mark()
        clause = self._select_clause()
        if clause is None:
            return None
        members, offset = clause
        self._count("subselect", 1)
        try:
            self._ws()
            scope = self._where_clause()
            if scope is not None:
                self._ws()
                modifiers = self._solution_modifiers()
                if modifiers is not None:
                    return self._build_select(members, scope, modifiers[0], modifiers[2])
        except _Fail:
            pass
        self._reset(mark)
        return None

    def _construct_query(self) -> bool:
        mark = self._mark()
        if not self._kw("CONSTRUCT"):
            return False
        self._ws()
        after_keyword = self._mark()
        try:
            if self._construct_template():
                self.current_bnodes.clear()
                self._ws()
                self._dataset_clauses()
                self._ws()
                scope = self._where_clause()
                if scope is not None:
                    self._ws()
                    modifiers = self._solution_modifiers()
                    if modifiers is not None:
                        self._build_select(None, scope, modifiers[0], modifiers[2])
                        return True
            self._reset(after_keyword)
            self._dataset_clauses()
            self._ws()
            if self._kw("WHERE"):
                self._ws()
                if self._lit("{"):
                    self._down(self.pos - 1)
                    self._ws()
                    template = self._triples_template()
                    if template is not None:
                        self._count("triple_patterns", template[2])
                    self._ws()
                    if self._lit("}"):
                        self.depth -= 1
                        self._ws()
                        modifiers = self._solution_modifiers()
                        if modifiers is not None:
                            self._build_select(None, template[0] if template else set(), modifiers[0], modifiers[2])
                            return True
                    else:
                        self.depth -= 1
        except _Fail:
            pass
        self._reset(mark)
        return False

    def _construct_template(self) -> bool:
        mark = self._mark()
        if not self._lit("{"):
            return False
        self._down(self.pos - 1)
        self._ws()
        # ConstructTriples: (TriplesSameSubject _) ** ("." _) then "."?
        first = True
        while True:
            m2 = self._mark()
            if not first:
                if not self._lit("."):
                    break
                self._ws()
            triples = self._triples_same_subject()
            if triples is None:
                self._reset(m2)
                break
            self._count("template_triples", triples[2])
            self._ws()
            first = False
        self._lit(".")
        self._ws()
        if self._lit("}"):
            self.depth -= 1
            return True
        self.depth -= 1
        self._reset(mark)
        return False

    def _describe_query(self) -> bool:
        mark = self._mark()
        if not self._kw("DESCRIBE"):
            return False
        self._ws()
        members: list[tuple[str, str | None, frozenset[str] | None]] | None
        if self._lit("*"):
            members = None
        else:
            members = []
            while True:
                var = self._var()
                if var is not None:
                    members.append((var, None, None))
                elif self._iri() is not None:
                    members.append((f"\x00describe{len(members)}", "expr", _NO_VARS))
                    self._count("pattern_elements", 1)  # each IRI is bound by an Extend level
                else:
                    break
                self._ws()
            if not members:
                self._reset(mark)
                return False
        try:
            self._ws()
            self._dataset_clauses()
            self._ws()
            m2 = self._mark()
            scope = self._where_clause()
            if scope is None:
                self._reset(m2)
                scope = set()
            self._ws()
            modifiers = self._solution_modifiers()
            if modifiers is not None:
                self._build_select(members, scope, modifiers[0], modifiers[2])
                return True
        except _Fail:
            pass
        self._reset(mark)
        return False

    def _ask_query(self) -> bool:
        mark = self._mark()
        if not self._kw("ASK"):
            return False
        try:
            self._ws()
            self._dataset_clauses()
            self._ws()
            scope = self._where_clause()
            if scope is not None:
                self._ws()
                modifiers = self._solution_modifiers()
                if modifiers is not None:
                    self._build_select(None, scope, modifiers[0], modifiers[2])
                    return True
        except _Fail:
            pass
        self._reset(mark)
        return False

    def _dataset_clauses(self) -> None:
        while True:
            mark = self._mark()
            if not self._kw("FROM"):
                return
            self._ws()
            iri = self._iri()
            if iri is not None:
                self.ev.append(("from", iri))
            else:
                if self._kw("NAMED"):
                    self._ws()
                    iri = self._iri()
                if iri is None:
                    self._reset(mark)
                    return
                self.ev.append(("from_named", iri))
            self._ws()

    def _where_clause(self) -> set[str] | None:
        mark = self._mark()
        self._kw("WHERE")
        self._ws()
        start, depth = self.pos, self.depth
        scope = self._group_graph_pattern()
        if scope is None:
            self._reset(mark)
        else:
            self.ev.append(("where", start, depth))  # the outermost one is where bindings go (named queries)
        return scope

    def _group_clause(self) -> list[tuple[str | None, str | None, frozenset[str]]] | None:
        mark = self._mark()
        if not (self._kw("GROUP") and (self._ws() or True) and self._kw("BY")):
            self._reset(mark)
            return None
        self._ws()
        conditions: list[tuple[str | None, str | None, frozenset[str]]] = []
        while True:
            condition = self._group_condition()
            if condition is None:
                break
            conditions.append(condition)
            self._ws()
        if not conditions:
            self._reset(mark)
            return None
        return conditions

    def _group_condition(self) -> tuple[str | None, str | None, frozenset[str]] | None:
        """(grouped variable or None for a hidden one, kind, free variables)."""
        expr = self._builtin_call()
        if expr is None:
            expr = self._function_call()
        if expr is not None:
            self._count("pattern_elements", 1)  # grouping by an expression binds it: an Extend level
            return (expr[0], None, expr[1])
        mark = self._mark()
        if self._lit("("):
            self._down(self.pos - 1)
            self._ws()
            expr = self._expression()
            if expr is not None:
                self._ws()
                m2 = self._mark()
                alias = None
                if self._kw("AS"):
                    self._ws()
                    alias = self._var()
                    if alias is not None:
                        self._ws()
                if alias is None:
                    self._reset(m2)
                if self._lit(")"):
                    self.depth -= 1
                    if expr[0] is None:
                        self._count("pattern_elements", 1)
                    # Oxigraph groups by the variable itself when the expression is one, whatever the alias
                    return (expr[0] if expr[0] is not None else alias, "expr", expr[1])
            self.depth -= 1
            self._reset(mark)
        var = self._var()
        if var is not None:
            return (var, None, frozenset((var,)))
        return None

    def _having_clause(self) -> bool:
        mark = self._mark()
        if not self._kw("HAVING"):
            return False
        self._ws()
        found = False
        while self._constraint() is not None:
            found = True
            self._ws()
        if not found:
            self._reset(mark)
        return found

    def _order_clause(self) -> bool:
        mark = self._mark()
        if not (self._kw("ORDER") and (self._ws() or True) and self._kw("BY")):
            self._reset(mark)
            return False
        self._ws()
        found = False
        while self._order_condition():
            found = True
            self._ws()
        if not found:
            self._reset(mark)
        return found

    def _order_condition(self) -> bool:
        for word in ("ASC", "DESC"):
            mark = self._mark()
            if self._kw(word):
                self._ws()
                if self._bracketted_expression() is not None:
                    return True
            self._reset(mark)
        if self._constraint() is not None:
            return True
        return self._var() is not None

    def _integer_clause(self, word: str) -> bool:
        mark = self._mark()
        if self._kw(word):
            self._ws()
            m = lx.INTEGER.match(self.t, self.pos)
            if m is not None and int(m.group()) < 2**64:  # Oxigraph reads it as a usize
                self.pos = m.end()
                self._tok()
                return True
            self._expect("a non-negative integer below 2^64")
        self._reset(mark)
        return False

    def _limit_offset(self) -> None:
        if self._integer_clause("LIMIT"):
            mark = self._mark()
            self._ws()
            if not self._integer_clause("OFFSET"):
                self._reset(mark)
        elif self._integer_clause("OFFSET"):
            mark = self._mark()
            self._ws()
            if not self._integer_clause("LIMIT"):
                self._reset(mark)

    def _values_clause(self) -> set[str] | None:
        mark = self._mark()
        if self._kw("VALUES"):
            self._ws()
            variables = self._data_block()
            if variables is not None:
                return variables
            self._reset(mark)
        return set()

    # ----------------------------------------------------------------- update

    def parse_update(self) -> ParseResult:
        """Parse the text as an update (a sequence of operations), or raise SparqlRefused."""
        operations: list[Operation] = []
        ok = False
        try:
            self._ws()
            self._prologue()
            self._ws()
            first = True
            while True:
                mark = self._mark()
                if not first:
                    if not self._lit(";"):
                        break
                    self._ws()
                start = len(self.ev)
                operation = self._update1()
                if operation is None:
                    self._reset(mark)
                    break
                labels = {event[1] for event in self.ev[start:] if event[0] == "label"}
                operations.append(operation)
                self.ev.append(("operation", operation, labels))
                self.used_bnodes.clear()
                self.current_bnodes.clear()
                self._ws()
                first = False
            if self._lit(";"):
                self._ws()
            ok = self.pos >= self.n
            if not ok:
                self._expect("the end of the update")
        except RecursionError:
            raise self._refuse("nested too deeply for the parser", self.pos, "max_depth") from None
        if not ok:
            raise self._syntax_error()
        shared: set[str] = set()
        data_ops = [event for event in self.ev if event[0] == "operation" and event[1].kind == "INSERT DATA"]
        if len(data_ops) >= 2:
            for _, operation, labels in data_ops:
                common = shared & labels
                if common:
                    raise self._refuse(f"the blank node _:{min(common)} cannot be shared by multiple INSERT DATA blocks",
                                       operation.offset)
                shared |= labels
        return self._result("UPDATE", operations)

    def _silent(self) -> bool:
        return self._kw("SILENT")

    def _update1(self) -> Operation | None:
        start = self.pos
        for rule in (self._load, self._clear_drop, self._add_move_copy, self._create, self._insert_data,
                     self._delete_data, self._delete_where, self._modify):
            operation = rule(start)
            if operation is not None:
                return operation
        return None

    def _load(self, start: int) -> Operation | None:
        mark = self._mark()
        if self._kw("LOAD"):
            self._ws()
            silent = self._silent()
            self._ws()
            source = self._iri()
            if source is not None:
                target = None
                m2 = self._mark()
                self._ws()
                if self._kw("INTO"):
                    self._ws()
                    target = self._graph_ref()
                if target is None:
                    self._reset(m2)
                return Operation("LOAD", start, silent=silent, source=source, target=target)
        self._reset(mark)
        return None

    def _graph_ref(self) -> str | None:
        mark = self._mark()
        if self._kw("GRAPH"):
            self._ws()
            iri = self._iri()
            if iri is not None:
                return iri
        self._reset(mark)
        return None

    def _clear_drop(self, start: int) -> Operation | None:
        for word in ("CLEAR", "DROP"):
            mark = self._mark()
            if self._kw(word):
                self._ws()
                silent = self._silent()
                self._ws()
                if self._graph_ref() is not None or self._kw("DEFAULT") or self._kw("NAMED") or self._kw("ALL"):
                    return Operation(word, start, silent=silent)
            self._reset(mark)
        return None

    def _create(self, start: int) -> Operation | None:
        mark = self._mark()
        if self._kw("CREATE"):
            self._ws()
            silent = self._silent()
            self._ws()
            if self._graph_ref() is not None:
                return Operation("CREATE", start, silent=silent)
        self._reset(mark)
        return None

    def _graph_or_default(self) -> bool:
        if self._kw("DEFAULT"):
            return True
        if self._kw("GRAPH"):
            self._ws()  # no retry without GRAPH once it matched, as in Oxigraph's PEG
        return self._iri() is not None

    def _add_move_copy(self, start: int) -> Operation | None:
        for word in ("ADD", "MOVE", "COPY"):
            mark = self._mark()
            if self._kw(word):
                self._ws()
                silent = self._silent()
                self._ws()
                if self._graph_or_default():
                    self._ws()
                    if self._kw("TO"):
                        self._ws()
                        if self._graph_or_default():
                            return Operation(word, start, silent=silent)
            self._reset(mark)
        return None

    def _insert_data(self, start: int) -> Operation | None:
        mark = self._mark()
        if self._kw("INSERT") and (self._ws() or True) and self._kw("DATA"):
            self._ws()
            quads = self._quad_pattern()
            if quads is not None:
                if quads[0]:
                    self._expect("no variables in INSERT DATA")
                else:
                    return Operation("INSERT DATA", start)
        self._reset(mark)
        return None

    def _delete_data(self, start: int) -> Operation | None:
        mark = self._mark()
        if self._kw("DELETE") and (self._ws() or True) and self._kw("DATA"):
            self._ws()
            quads = self._quad_pattern()
            if quads is not None:
                if quads[0] or quads[1]:
                    self._expect("no variables nor blank nodes in DELETE DATA")
                else:
                    return Operation("DELETE DATA", start)
        self._reset(mark)
        return None

    def _delete_where(self, start: int) -> Operation | None:
        mark = self._mark()
        if self._kw("DELETE") and (self._ws() or True) and self._kw("WHERE"):
            self._ws()
            quads = self._quad_pattern()
            if quads is not None:
                if quads[1]:
                    self._expect("no blank nodes in DELETE WHERE")
                else:
                    self._count("triple_patterns", quads[2])
                    return Operation("DELETE WHERE", start)
        self._reset(mark)
        return None

    def _modify(self, start: int) -> Operation | None:
        mark = self._mark()
        operation = Operation("MODIFY", start)
        m2 = self._mark()
        if self._kw("WITH"):
            self._ws()
            operation.with_graph = self._iri()
            if operation.with_graph is not None:
                self._ws()
        if operation.with_graph is None:
            self._reset(m2)
        self._ws()
        m3 = self._mark()
        clauses = False
        if self._kw("DELETE"):
            self._ws()
            quads = self._quad_pattern()
            if quads is not None and not quads[1]:
                self.current_bnodes.clear()
                self._ws()
                m4 = self._mark()
                if not self._insert_clause():
                    self._reset(m4)
                self.current_bnodes.clear()
                clauses = True
            elif quads is not None:
                self._expect("no blank nodes in a DELETE template")
        if not clauses:
            self._reset(m3)
            clauses = self._insert_clause()
            self.current_bnodes.clear()
        if clauses:
            self._ws()
            while True:
                m5 = self._mark()
                if not self._kw("USING"):
                    break
                self._ws()
                iri = self._iri()
                if iri is not None:
                    operation.using.append(iri)
                else:
                    if self._kw("NAMED"):
                        self._ws()
                        iri = self._iri()
                    if iri is None:
                        self._reset(m5)
                        break
                    operation.using_named.append(iri)
                self._ws()
            self._ws()
            where = self.pos
            if self._kw("WHERE"):
                self._ws()
                if self._group_graph_pattern() is not None:
                    operation.where_offset = where
                    return operation
        self._reset(mark)
        return None

    def _insert_clause(self) -> bool:
        mark = self._mark()
        if self._kw("INSERT"):
            self._ws()
            if self._quad_pattern() is not None:
                return True
        self._reset(mark)
        return False

    def _quad_pattern(self) -> tuple[bool, bool, int] | None:
        """`{ Quads }`: (has a variable in a quad, has a blank node in a quad, quads), or None."""
        mark = self._mark()
        if not self._lit("{"):
            return None
        self._down(self.pos - 1)
        self._ws()
        has_var = has_bnode = False
        quads = 0
        first = True
        while True:
            m2 = self._mark()
            if not first:
                self._ws()
            template = self._triples_template()
            if template is not None:
                has_var = has_var or bool(template[0])
                has_bnode = has_bnode or template[1]
                quads += template[2]
                first = False
                continue
            self._reset(m2)
            if not first:
                self._ws()
            graph = self._quads_not_triples()
            if graph is None:
                self._reset(m2)
                break
            has_var = has_var or graph[0]
            has_bnode = has_bnode or graph[1]
            quads += graph[2]
            m3 = self._mark()
            self._ws()
            if not self._lit("."):
                self._reset(m3)
            first = False
        self._ws()
        if self._lit("}"):
            self.depth -= 1
            return has_var, has_bnode, quads
        self.depth -= 1
        self._reset(mark)
        return None

    def _quads_not_triples(self) -> tuple[bool, bool, int] | None:
        mark = self._mark()
        if self._kw("GRAPH"):
            self._ws()
            graph_var = self._var()
            if graph_var is not None or self._iri() is not None:
                self._ws()
                if self._lit("{"):
                    self._down(self.pos - 1)
                    self._ws()
                    template = self._triples_template()
                    self._ws()
                    if self._lit("}"):
                        self.depth -= 1
                        if template is None or template[2] == 0:
                            return False, False, 0
                        return bool(template[0]) or graph_var is not None, template[1], template[2]
                    self.depth -= 1
        self._reset(mark)
        return None

    def _triples_template(self) -> tuple[set[str], bool, int] | None:
        """(TriplesSameSubject) ++ '.' then '.'?: (variables, has a blank node, triples)."""
        mark = self._mark()
        result: tuple[set[str], bool, int] | None = None
        while True:
            m2 = self._mark()
            if result is not None and not self._lit("."):
                break
            self._ws()
            triples = self._triples_same_subject()
            if triples is None:
                self._reset(m2)
                break
            self._ws()
            self._count("template_triples", triples[2])
            if result is None:
                result = (set(triples[0]), triples[1], triples[2])
            else:
                result[0].update(triples[0])
                result = (result[0], result[1] or triples[1], result[2] + triples[2])
        if result is None:
            self._reset(mark)
            return None
        m3 = self._mark()
        if self._lit("."):
            self._ws()
        else:
            self._reset(m3)
        return result

    # ----------------------------------------------------------------- graph patterns

    def _group_graph_pattern(self) -> set[str] | None:
        mark = self._mark()
        if not self._lit("{"):
            return None
        self._down(self.pos - 1)
        self._ws()
        after = self._mark()
        self.used_bnodes |= self.current_bnodes
        self.current_bnodes.clear()
        try:
            scope = self._group_graph_pattern_sub()
        except _Fail:
            scope = None
        if scope is not None:
            self.used_bnodes |= self.current_bnodes
            self.current_bnodes.clear()
            self._ws()
            if self._lit("}"):
                self.depth -= 1
                return scope
        self._reset(after)
        self.used_bnodes |= self.current_bnodes
        self.current_bnodes.clear()
        scope = self._sub_select()
        if scope is not None:
            self.used_bnodes |= self.current_bnodes
            self.current_bnodes.clear()
            self._ws()
            if self._lit("}"):
                self.depth -= 1
                return scope
        self.depth -= 1
        self._reset(mark)
        return None

    def _group_graph_pattern_sub(self) -> set[str]:
        scope: set[str] = set()
        triples = self._triples_block()
        if triples is not None:
            scope |= triples
        self._ws()
        while True:
            mark = self._mark()
            item = self._graph_pattern_not_triples()
            if item is None:
                self._reset(mark)
                break
            self._count("pattern_elements", 1)
            self._ws()
            m2 = self._mark()
            if self._lit("."):
                self._ws()
            else:
                self._reset(m2)
            kind, data = item
            if kind == "bind":
                if data in scope:
                    self._semantic(f"?{data} to be a new variable (BIND over a variable already in scope)")
                scope.add(data)
            elif kind == "add":
                scope |= data
            triples = self._triples_block()
            if triples is not None:
                scope |= triples
            self._ws()
        return scope

    def _triples_block(self) -> set[str] | None:
        mark = self._mark()
        scope: set[str] | None = None
        while True:
            m2 = self._mark()
            if scope is not None and not self._lit("."):
                break
            self._ws()
            triples = self._triples_same_subject_path()
            if triples is None:
                self._reset(m2)
                break
            self._ws()
            scope = set(triples[0]) if scope is None else scope | triples[0]
        if scope is None:
            self._reset(mark)
            return None
        m3 = self._mark()
        if self._lit("."):
            self._ws()
        else:
            self._reset(m3)
        return scope

    def _graph_pattern_not_triples(self) -> tuple[str, object] | None:
        c = self.t[self.pos:self.pos + 1]
        if c == "{":
            return self._group_or_union()
        start = self.pos
        m = lx.WORD.match(self.t, start)
        if m is None:
            self._expect("a graph pattern")
            return None
        word = m.group().upper()
        # Keywords may run into what follows (OPTIONAL{...}, SERVICESILENT<...>): try each keyword the word starts with.
        if word.startswith("OPTIONAL"):
            return self._keyword_group("OPTIONAL", "add", "optionals")
        if word.startswith("MINUS"):
            return self._keyword_group("MINUS", "minus", "optionals")
        if word.startswith("GRAPH"):
            mark = self._mark()
            self._kw("GRAPH")
            self._ws()
            name = self._var()
            if name is not None or self._iri() is not None:
                self._ws()
                scope = self._group_graph_pattern()
                if scope is not None:
                    return "add", scope | {name} if name is not None else scope
            self._reset(mark)
            return None
        if word.startswith("SERVICE"):
            return self._service()
        if word.startswith("FILTER"):
            mark = self._mark()
            self._kw("FILTER")
            self._ws()
            if self._constraint() is not None:
                self._count("filters", 1)
                return "filter", None
            self._reset(mark)
            return None
        if word.startswith("BIND"):
            return self._bind()
        if word.startswith("VALUES"):
            mark = self._mark()
            self._kw("VALUES")
            self._ws()
            variables = self._data_block()
            if variables is not None:
                return "add", variables
            self._reset(mark)
            return None
        self._expect("a graph pattern keyword")
        return None

    def _group_or_union(self) -> tuple[str, object] | None:
        scope = self._group_graph_pattern()
        if scope is None:
            return None
        scope = set(scope)
        branches = 1
        while True:
            mark = self._mark()
            self._ws()
            if not self._kw("UNION"):
                self._reset(mark)
                break
            self._ws()
            more = self._group_graph_pattern()
            if more is None:
                self._reset(mark)
                break
            scope |= more
            branches += 1
            self._count("union_branches", 2 if branches == 2 else 1)  # counted as they come, to refuse early
        return "add", scope

    def _keyword_group(self, word: str, kind: str, counter: str) -> tuple[str, object] | None:
        mark = self._mark()
        self._kw(word)
        self._ws()
        scope = self._group_graph_pattern()
        if scope is None:
            self._reset(mark)
            return None
        self._count(counter, 1)
        return kind, scope

    def _service(self) -> tuple[str, object] | None:
        mark = self._mark()
        # Two alternatives, in Oxigraph's order: with SILENT, then without (SERVICE SILENT:x is a service named
        # :x when the empty prefix is declared, else one named SILENT:x).
        for silent in (True, False):
            self._reset(mark)
            self._kw("SERVICE")
            self._ws()
            if silent:
                if not self._kw("SILENT"):
                    continue
                self._ws()
            var = self._var()
            endpoint = "?" + var if var is not None else self._iri()
            if endpoint is None:
                continue
            self._ws()
            scope = self._group_graph_pattern()
            if scope is not None:
                self.ev.append(("service", endpoint, silent, mark[0]))
                return "add", scope
        self._reset(mark)
        return None

    def _bind(self) -> tuple[str, object] | None:
        mark = self._mark()
        self._kw("BIND")
        self._ws()
        if self._lit("("):
            self._down(self.pos - 1)
            self._ws()
            if self._expression() is not None:
                self._ws()
                if self._kw("AS"):
                    self._ws()
                    var = self._var()
                    if var is not None:
                        self._ws()
                        if self._lit(")"):
                            self.depth -= 1
                            return "bind", var
            self.depth -= 1
        self._reset(mark)
        return None

    def _data_block(self) -> set[str] | None:
        mark = self._mark()
        var = self._var()
        if var is not None:
            self._ws()
            if self._lit("{"):
                self._ws()
                while self._data_block_value():
                    self._ws()
                if self._lit("}"):
                    return {var}
            self._reset(mark)
            return None
        if not self._lit("("):
            return None
        self._ws()
        variables: list[str] = []
        while True:
            var = self._var()
            if var is None:
                break
            variables.append(var)
            self._ws()
        self._ws()
        if self._lit(")"):
            self._ws()
            if self._lit("{"):
                self._ws()
                rows: list[int] = []
                while True:
                    m2 = self._mark()
                    if not self._lit("("):
                        break
                    self._ws()
                    count = 0
                    while self._data_block_value():
                        count += 1
                        self._ws()
                    self._ws()
                    if not self._lit(")"):
                        self._reset(m2)
                        break
                    self._ws()
                    rows.append(count)
                if self._lit("}"):
                    if len(set(variables)) != len(variables):
                        self._expect("no repeated variable in VALUES")
                    elif any(count != len(variables) for count in rows):
                        self._expect("as many values in each VALUES row as variables")
                    else:
                        return set(variables)
        self._reset(mark)
        return None

    def _data_block_value(self) -> bool:
        if self._iri() is not None or self._rdf_literal() or self._numeric_literal() or self._boolean():
            return True
        return self._kw("UNDEF")

    # ----------------------------------------------------------------- triples

    def _var_or_term(self) -> tuple[frozenset[str], bool] | None:
        """A variable or an RDF term: (its variables, is a blank node)."""
        c = self.t[self.pos:self.pos + 1]
        if c in ("?", "$"):
            var = self._var()
            if var is not None:
                return frozenset((var,)), False
        if self._iri() is not None:
            return _NO_VARS, False
        if c in ("'", '"'):
            return (_NO_VARS, False) if self._rdf_literal() else None
        if self._numeric_literal() or self._boolean():
            return _NO_VARS, False
        if self._blank_node():
            return _NO_VARS, True
        if self._nil():
            return _NO_VARS, False
        return None

    def _triples_same_subject(self) -> tuple[set[str], bool, int] | None:
        mark = self._mark()
        subject = self._var_or_term()
        if subject is not None:
            self._ws()
            props = self._property_list(paths=False)
            if props is not None:
                return set(subject[0]) | props[0], subject[1] or props[1], props[2]
        self._reset(mark)
        node = self._triples_node(paths=False)
        if node is not None:
            self._ws()
            m2 = self._mark()
            props = self._property_list(paths=False)
            if props is None:
                self._reset(m2)
                props = (set(), False, 0)
            return node[0] | props[0], True, node[2] + props[2]
        self._reset(mark)
        return None

    def _triples_same_subject_path(self) -> tuple[set[str], bool, int] | None:
        mark = self._mark()
        subject = self._var_or_term()
        if subject is not None:
            self._ws()
            props = self._property_list(paths=True)
            if props is not None:
                self._count("triple_patterns", props[2])
                return set(subject[0]) | props[0], subject[1] or props[1], props[2]
        self._reset(mark)
        node = self._triples_node(paths=True)
        if node is not None:
            self._ws()
            m2 = self._mark()
            props = self._property_list(paths=True)
            if props is None:
                self._reset(m2)
                props = (set(), False, 0)
            self._count("triple_patterns", node[2] + props[2])
            return node[0] | props[0], True, node[2] + props[2]
        self._reset(mark)
        return None

    def _property_list(self, paths: bool) -> tuple[set[str], bool, int] | None:
        """PropertyList(Path)NotEmpty: (variables, has a blank node, triples)."""
        variables: set[str] = set()
        bnode = False
        triples = 0
        first = True
        while True:
            mark = self._mark()
            if not first:
                if not self._lit(";"):
                    break
                self._ws()
            verb = self._verb(paths)
            if verb is not None:
                self._ws()
                objects = self._object_list(paths)
                if objects is not None:
                    variables |= verb
                    variables |= objects[0]
                    bnode = bnode or objects[1]
                    triples += objects[2]
                    self._ws()
                    first = False
                    continue
            if first:
                self._reset(mark)
                return None
            # `;` with nothing after it is allowed (`;;`, a trailing `;`): keep the `;` only
            self._reset(mark)
            self._lit(";")
            self._ws()
        return variables, bnode, triples

    def _verb(self, paths: bool) -> frozenset[str] | None:
        if paths:
            if self._path():
                return _NO_VARS
            var = self._var()
            return frozenset((var,)) if var is not None else None
        var = self._var()
        if var is not None:
            return frozenset((var,))
        if self._iri() is not None:
            return _NO_VARS
        if self._lit("a"):
            return _NO_VARS
        return None

    def _object_list(self, paths: bool) -> tuple[set[str], bool, int] | None:
        variables: set[str] = set()
        bnode = False
        triples = 0
        first = True
        while True:
            mark = self._mark()
            if not first:
                if not self._lit(","):
                    break
                self._ws()
            node = self._graph_node(paths)
            if node is None:
                self._reset(mark)
                if first:
                    return None
                break
            self._ws()
            variables |= node[0]
            bnode = bnode or node[1]
            triples += node[2] + 1
            first = False
        return variables, bnode, triples

    def _graph_node(self, paths: bool) -> tuple[frozenset[str] | set[str], bool, int] | None:
        term = self._var_or_term()
        if term is not None:
            return term[0], term[1], 0
        return self._triples_node(paths)

    def _triples_node(self, paths: bool) -> tuple[set[str], bool, int] | None:
        mark = self._mark()
        if self._lit("("):
            self._down(self.pos - 1)
            self._ws()
            variables: set[str] = set()
            count = 0
            triples = 0
            while True:
                node = self._graph_node(paths)
                if node is None:
                    break
                self._ws()
                variables |= node[0]
                count += 1
                triples += node[2] + 2
            if paths:
                self._ws()
            if count and self._lit(")"):
                self.depth -= 1
                return variables, True, triples
            self.depth -= 1
            self._reset(mark)
            return None
        if self._lit("["):
            self._down(self.pos - 1)
            self._ws()
            props = self._property_list(paths)
            if props is not None:
                self._ws()
                if self._lit("]"):
                    self.depth -= 1
                    return props[0], True, props[2]
            self.depth -= 1
            self._reset(mark)
            return None
        return None

    # ----------------------------------------------------------------- property paths

    def _path(self) -> bool:
        """Path = PathAlternative: (PathSequence _) ** ("|" _); counts its operators."""
        return self._path_operands(self._path_sequence, "|")

    def _path_sequence(self) -> bool:
        """PathSequence: (PathEltOrInverse _) ** ("/" _)."""
        return self._path_operands(self._path_elt_or_inverse, "/")

    def _path_operands(self, operand: Callable[[], bool], operator: str) -> bool:
        """operand (operator operand)*, counting the operators against the path limit."""
        if not operand():
            return False
        self._ws()
        operators = 0
        while True:
            mark = self._mark()
            if not self._lit(operator):
                break
            self._ws()
            if not operand():
                self._reset(mark)
                break
            self._ws()
            operators += 1
        if operators:
            self._count("path_operators", operators)
        return True

    def _path_elt_or_inverse(self) -> bool:
        mark = self._mark()
        if self._lit("^"):
            self._ws()
            if self._path_elt():
                return True
            self._reset(mark)
            return False
        return self._path_elt()

    def _path_elt(self) -> bool:
        if not self._path_primary():
            return False
        mark = self._mark()
        self._ws()
        c = self.t[self.pos:self.pos + 1]
        if c in ("*", "+"):
            self.pos += 1
            self._tok()
            return True
        if c == "?" and lx.VARNAME_START.match(self.t, self.pos + 1) is None:
            self.pos += 1
            self._tok()
            return True
        self._reset(mark)
        return True

    def _path_primary(self) -> bool:
        if self._iri() is not None:
            return True
        if self._lit("a"):
            return True
        mark = self._mark()
        if self._lit("!"):
            self._ws()
            if self._path_negated_property_set():
                return True
            self._reset(mark)
            return False
        if self._lit("("):
            self._down(self.pos - 1)
            self._ws()
            if self._path():
                self._ws()
                if self._lit(")"):
                    self.depth -= 1
                    return True
            self.depth -= 1
            self._reset(mark)
        return False

    def _path_negated_property_set(self) -> bool:
        mark = self._mark()
        if self._lit("("):
            self._ws()
            first = True
            while True:
                m2 = self._mark()
                if not first:
                    if not self._lit("|"):
                        break
                    self._ws()
                if not self._path_one_in_property_set():
                    self._reset(m2)
                    break
                self._ws()
                first = False
            if not first and self._lit(")"):
                return True
            self._reset(mark)
        return self._path_one_in_property_set()

    def _path_one_in_property_set(self) -> bool:
        mark = self._mark()
        if self._lit("^"):
            self._ws()
            if self._iri() is not None or self._lit("a"):
                return True
            self._reset(mark)
            return False
        return self._iri() is not None or self._lit("a")

    # ----------------------------------------------------------------- expressions
    # An expression parses to (the variable it is, if it is just one; its variables that must be bound when
    # aggregated: none under BOUND, COALESCE, EXISTS or an aggregate).

    def _constraint(self) -> tuple[str | None, frozenset[str]] | None:
        expr = self._bracketted_expression()
        if expr is None:
            expr = self._function_call()
        if expr is None:
            expr = self._builtin_call()
        return expr

    def _function_call(self) -> tuple[str | None, frozenset[str]] | None:
        mark = self._mark()
        iri = self._iri()
        if iri is None:
            return None
        self._ws()
        args = self._arg_list()
        if args is None:
            self._reset(mark)
            return None
        self.ev.append(("function", iri, mark[0]))
        return None, args

    def _arg_list(self) -> frozenset[str] | None:
        if self._nil():
            return _NO_VARS
        mark = self._mark()
        if not self._lit("("):
            return None
        self._down(self.pos - 1)
        self._ws()
        free = self._expressions_separated()
        if free is not None:
            self._ws()
            if self._lit(")"):
                self.depth -= 1
                return free
        self.depth -= 1
        self._reset(mark)
        return None

    def _expressions_separated(self) -> frozenset[str] | None:
        free: frozenset[str] | None = None
        while True:
            mark = self._mark()
            if free is not None:
                if not self._lit(","):
                    break
                self._ws()
            expr = self._expression()
            if expr is None:
                self._reset(mark)
                break
            self._ws()
            free = expr[1] if free is None else free | expr[1]
        return free

    def _expression_list(self) -> frozenset[str] | None:
        if self._nil():
            return _NO_VARS
        mark = self._mark()
        if not self._lit("("):
            return None
        self._down(self.pos - 1)
        self._ws()
        free = self._expressions_separated()
        if free is not None and self._lit(")"):
            self.depth -= 1
            return free
        self.depth -= 1
        self._reset(mark)
        return None

    def _expression(self) -> tuple[str | None, frozenset[str]] | None:
        return self._binary(0)

    # Precedence levels, loosest first; each level is `operand (op operand)*` as Oxigraph accepts it.
    _LEVELS: tuple[tuple[str, ...], ...] = (("||",), ("&&",), ("relational",), ("+", "-"), ("*", "/"))

    def _binary(self, level: int) -> tuple[str | None, frozenset[str]] | None:
        if level == 4:
            left = self._unary()
        else:
            left = self._binary(level + 1)
        if left is None:
            return None
        if level == 2:
            return self._relational(left)
        ops = self._LEVELS[level]
        operators = 0
        while True:
            mark = self._mark()
            self._ws()
            op = next((o for o in ops if self.t.startswith(o, self.pos)), None)
            if op is None:
                self._reset(mark)
                break
            self.pos += len(op)
            self._tok()
            self._ws()
            right = self._unary() if level == 4 else self._binary(level + 1)
            if right is None:
                self._reset(mark)
                break
            left = (None, left[1] | right[1])
            operators += 1
        if operators:
            self._count("operators", operators)
        return left

    def _relational(self, left: tuple[str | None, frozenset[str]]) -> tuple[str | None, frozenset[str]]:
        mark = self._mark()
        self._ws()
        for op in ("=", "!=", ">=", ">", "<=", "<"):
            if self.t.startswith(op, self.pos):
                self.pos += len(op)
                self._tok()
                self._ws()
                right = self._binary(3)
                if right is not None:
                    self._count("operators", 1)
                    return None, left[1] | right[1]
                self._reset(mark)
                return left
        m2 = self._mark()
        negated = self._kw("NOT")
        if negated:
            self._ws()
        if self._kw("IN"):
            self._ws()
            items = self._expression_list()
            if items is not None:
                self._count("operators", 1)
                return None, left[1] | items
        self._reset(m2)
        self._reset(mark)
        return left

    def _unary(self) -> tuple[str | None, frozenset[str]] | None:
        mark = self._mark()
        c = self.t[self.pos:self.pos + 1]
        if c in ("!", "+", "-"):
            self.pos += 1
            self._tok()
            self._ws()
            expr = self._primary()
            if expr is not None:
                return None, expr[1]
            self._reset(mark)
        return self._primary()

    def _primary(self) -> tuple[str | None, frozenset[str]] | None:
        c = self.t[self.pos:self.pos + 1]
        if c == "(":
            return self._bracketted_expression()
        if c in ("?", "$"):
            var = self._var()
            return (var, frozenset((var,))) if var is not None else None
        mark = self._mark()
        iri = self._iri()
        if iri is not None:
            m2 = self._mark()
            self._ws()
            args = self._arg_list()
            if args is None:
                self._reset(m2)
                return None, _NO_VARS
            self.ev.append(("function", iri, mark[0]))
            return None, args
        self._reset(mark)
        if c in ("'", '"'):
            return (None, _NO_VARS) if self._rdf_literal() else None
        if self._numeric_literal() or self._boolean():
            return None, _NO_VARS
        return self._builtin_call()

    def _bracketted_expression(self) -> tuple[str | None, frozenset[str]] | None:
        mark = self._mark()
        if not self._lit("("):
            return None
        self._down(self.pos - 1)
        self._ws()
        expr = self._expression()
        if expr is not None:
            self._ws()
            if self._lit(")"):
                self.depth -= 1
                return expr
        self.depth -= 1
        self._reset(mark)
        return None

    def _builtin_call(self) -> tuple[str | None, frozenset[str]] | None:
        start = self.pos
        m = lx.WORD.match(self.t, start)
        if m is None:
            self._expect("a function call")
            return None
        word = m.group().upper()
        if word in _AGGREGATES:
            return self._aggregate(word, m.end())
        if word.startswith("NOT") or word.startswith("EXISTS"):
            return self._exists()
        shape = _BUILTINS.get(word)
        if shape is None:
            self._expect("a function call")
            return None
        mark = self._mark()
        self.pos = m.end()
        self._tok()
        if shape[0].isdigit():
            # SUBSTR(a, b[, c]), REGEX(a, b[, c]), REPLACE(a, b, c[, d]) in one pass: trying each arity in turn, as
            # Oxigraph's alternatives do, would parse nested calls again at every level (exponential time).
            counts = {int(count) for count in shape if count.isdigit()}
            if len(counts) > 1:
                self._ambiguous_down(start)
            free = self._expression_args(counts)
            if len(counts) > 1:
                self.ambiguous -= 1
            if free is not None:
                return None, free
            if "nil-tight" in shape:
                self._reset((m.end(), mark[1] + 1, mark[2]))
                if self._nil():
                    return None, _NO_VARS
        else:
            free = self._builtin_args(shape[0])
            if free is not None:
                # Oxigraph does not ask COALESCE's arguments to be bound in an aggregated SELECT
                return None, _NO_VARS if word == "COALESCE" else free
        self._reset(mark)
        return None

    def _expression_args(self, counts: set[int]) -> frozenset[str] | None:
        """`_ ( _ e _ (, _ e _)* )` with a number of arguments in counts."""
        self._ws()
        if not self._lit("("):
            return None
        self._down(self.pos - 1)
        self._ws()
        free: frozenset[str] = _NO_VARS
        count = 0
        while count < max(counts):
            if count:
                mark = self._mark()
                if not self._lit(","):
                    break
                self._ws()
            expr = self._expression()
            if expr is None:
                if count:
                    self._reset(mark)
                break
            free = free | expr[1]
            count += 1
            self._ws()
        self.depth -= 1
        if count in counts and self._lit(")"):
            return free
        return None

    def _builtin_args(self, form: str) -> frozenset[str] | None:
        """The arguments of a built-in of shape 'list' (no space before it), 'nil' or 'var'."""
        if form == "list":
            return self._expression_list()
        self._ws()
        if form == "nil":
            return _NO_VARS if self._nil() else None
        if not self._lit("("):
            return None
        self._down(self.pos - 1)
        self._ws()
        var = self._var()
        if var is not None:
            self._ws()
            if self._lit(")"):
                self.depth -= 1
                return _NO_VARS
        self.depth -= 1
        return None

    def _exists(self) -> tuple[str | None, frozenset[str]] | None:
        mark = self._mark()
        if self._kw("NOT"):
            self._ws()
        else:
            self._reset(mark)
        if self._kw("EXISTS"):
            self._ws()
            if self._group_graph_pattern() is not None:
                self._count("exists", 1)
                return None, _NO_VARS
        self._reset(mark)
        return None

    def _aggregate(self, word: str, end: int) -> tuple[str | None, frozenset[str]] | None:
        mark = self._mark()
        reparsed = word == "GROUP_CONCAT"
        if reparsed:
            self._ambiguous_down(mark[0])
        result: tuple[str | None, frozenset[str]] | None = None
        for distinct in (True, False):
            self._reset(mark)
            self.pos = end
            self._tok()
            self._ws()
            if not self._lit("("):
                break
            self._down(self.pos - 1)
            self._ws()
            if distinct:
                if not self._kw("DISTINCT"):
                    self.depth -= 1
                    continue
                self._ws()
            if word == "COUNT" and self._lit("*"):
                ok = True
            else:
                ok = self._expression() is not None
            if ok:
                self._ws()
                if reparsed:
                    m2 = self._mark()
                    if not (self._lit(";") and (self._ws() or True) and self._kw("SEPARATOR") and (self._ws() or True)
                            and self._lit("=") and (self._ws() or True) and self._string() is not None):
                        self._reset(m2)
                    self._ws()
                if self._lit(")"):
                    self.depth -= 1
                    if not self.aggregates:
                        self._expect("an aggregate only in a SELECT")
                        break
                    self.aggregates[-1] += 1
                    result = None, _NO_VARS
                    break
            self.depth -= 1
        if reparsed:
            self.ambiguous -= 1
        if result is None:
            self._reset(mark)
        return result
