"""Size and depth limits that keep a query or update well inside what pyoxigraph can take.

pyoxigraph parses, plans and evaluates recursively on the native stack: a deeply nested or very large query makes
the worker process die of a stack overflow (SIGSEGV) instead of answering. Some flat shapes do not crash but make
the query planner slow (cubic or worse: a basic graph pattern of 128 triple patterns takes 2 s to plan, one of 300
more than 20 s). The parser refuses such texts before they reach the engine.

docs/sparql-limits.md has the crash thresholds and planning times measured on pyoxigraph 0.5.13 (8 MiB main-thread
stack) with `python -m currigraph.sparql.measure`. Each default below is at least ten times under the crash
threshold of the constructs it bounds, keeps planning at the limit to about 0.2 s, and is far above what a
hand-written query needs (the named queries nest at most 5 deep, have at most 12 triple patterns and 150 tokens).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What the parser accepts; a text past any of these is refused with the limit's name and value."""

    max_length: int = 200_000
    """Characters in the text (checked before parsing)."""
    max_tokens: int = 50_000
    """Terminals (keywords, names, literals, punctuation) in the text."""
    max_depth: int = 64
    """Nesting of every recursive construct counted together: { } groups and sub-selects, EXISTS, ( ) of
    expressions, function calls and paths, collections and [ ] property lists. Lowest crash: 834 nested FILTER EXISTS."""
    max_reparsed_nesting: int = 10
    """REGEX, SUBSTR, REPLACE and GROUP_CONCAT calls nested in one another's arguments. Oxigraph's parser reads their
    arguments twice when the shorter form is used, so its time doubles with each level: 16 nested two-argument
    REGEX take 0.9 s to parse, 20 take 8 s (this parser reads them once)."""
    max_union_branches: int = 500
    """UNION operands in the whole text (a flat UNION crashes at 6,543)."""
    max_pattern_elements: int = 250
    """Elements of group graph patterns other than triples in the whole text: { } groups (a UNION counts once),
    OPTIONAL, MINUS, GRAPH, SERVICE, FILTER, BIND and VALUES; and the other expressions bound to a variable: SELECT
    (... AS ?v), GROUP BY expressions, DESCRIBE IRIs. Each makes a level of the engine's left-deep join, filter or
    extension tree: 2,614 flat MINUS or SELECT expressions crash, as do 8,175 flat groups or 9,338 FILTERs."""
    max_optionals: int = 100
    """OPTIONAL and MINUS clauses in the whole text (planning flat OPTIONALs is cubic: 100 take 0.13 s, 300 take 1.7 s)."""
    max_triple_patterns: int = 64
    """Triple and path patterns to match in the whole text, two per collection member. Planning a basic graph
    pattern is worse than cubic: 64 patterns sharing a variable take 0.15 s, 100 take 0.9 s, 128 take 2.2 s; a
    collection of 32 variables 0.07 s, of 50 0.5 s, of 64 1 s. Crash: 8,179 flat patterns."""
    max_operators: int = 500
    """Binary operators of expressions in the whole text (a flat chain of + crashes at 6,882, of || at 9,341)."""
    max_path_operators: int = 100
    """Sequence and alternative operators of property paths in the whole text (a 100-step sequence plans in 0.06 s,
    a 300-step one in 0.9 s; crash: 8,176 steps)."""
    max_operations: int = 1_000
    """Operations in an update sequence."""


DEFAULT_LIMITS = Limits()
