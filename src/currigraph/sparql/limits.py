"""Size and depth limits that keep a query or update well inside what pyoxigraph can take without crashing.

pyoxigraph parses and evaluates recursively on the native stack: a deeply nested or very large query makes the
worker process die of a stack overflow (SIGSEGV) instead of answering. The parser refuses such texts first.
The crash thresholds measured on pyoxigraph 0.5.13 (8 MiB main-thread stack, `python -m currigraph.sparql.measure`)
are in docs/sparql-limits.md; every default below is at least ten times under the lowest threshold of its kind and
far above what a hand-written or generated query of this project needs (the named queries nest at most 5 deep
and have at most 400 tokens).
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
    expressions, function calls and paths, collections and [ ] property lists."""
    max_union_branches: int = 2_000
    """UNION operands in the whole text."""
    max_filters: int = 2_000
    """FILTER clauses in the whole text."""
    max_optionals: int = 1_000
    """OPTIONAL and MINUS clauses in the whole text (each makes a level of left join in the engine)."""
    max_triple_patterns: int = 5_000
    """Triple and path patterns in the whole text (templates and data included)."""
    max_operators: int = 2_000
    """Binary operators (|| && = != < > <= >= + - * / IN) and path operators (| /) in the whole text."""
    max_operations: int = 1_000
    """Operations in an update sequence."""


DEFAULT_LIMITS = Limits()
