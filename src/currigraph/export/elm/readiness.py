"""Readiness: per programme (and per course outside any programme), what stands between it and a valid LOQ record.

It exports everything (programmes the settings exclude too), validates the export against the LOQ shapes, and
turns each violation back into the field of the programme it belongs to and the setting that would fill it. So
the blocking gaps are exactly what the official shapes object to, in the words of data/elm.yaml. The shape the
profile deactivates (learning achievement specifications) is checked too; what it asks is listed as notes. Every ELM node's IRI is a
currigraph IRI plus `#elm-...`, which is how a violation finds its way back to a course, an organisation, a
funding or a semester, and from there to the programmes they belong to.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from currigraph.export.elm.loq import LoqResult, loq_report
from currigraph.export.elm.mapping import Data, exported, run_mappings, working_store
from currigraph.export.elm.settings import ElmSettings


@dataclass(frozen=True)
class Gap:
    """One missing or wrong field, or (blocking False) a note on how the record is exported."""

    node: str  # the currigraph IRI of what the field belongs to (the programme, a course, an organisation, ...)
    name: str  # that node's name, for people
    field: str  # what is missing, in words
    path: str | None  # the ELM property LOQ checks
    setting: str | None  # the settings key that fills it (None: only the data can)
    blocking: bool = True

    def __str__(self) -> str:
        """A line for people."""
        fix = f"; setting: {self.setting}" if self.setting else "; the data must say it"
        return f"{'' if self.blocking else '(note) '}{self.name}: {self.field}{fix}"


@dataclass(frozen=True)
class Readiness:
    """What stands between one record (a programme, or a course outside any programme) and a valid LOQ record."""

    iri: str
    kind: str  # "programme" or "course"
    title: str
    excluded: bool
    gaps: tuple[Gap, ...]

    @property
    def ready(self) -> bool:
        """Exported and free of blocking gaps: its LOQ record conforms."""
        return not self.excluded and not any(gap.blocking for gap in self.gaps)

    @property
    def blocking(self) -> tuple[Gap, ...]:
        """The gaps that make LOQ reject the record."""
        return tuple(gap for gap in self.gaps if gap.blocking)


_PREFIXES = """PREFIX cg: <https://data.currigraph.org/ontology#>
PREFIX cfg: <https://data.currigraph.org/ontology/elm-settings#>
PREFIX schema: <http://schema.org/>
PREFIX elm: <http://data.europa.eu/snb/model/elm/>
"""

# The records: exported programmes, and courses no programme of the data lists.
_RECORDS = _PREFIXES + """
SELECT ?record ?kind ?name WHERE {
  { ?record a cg:Programme . BIND("programme" AS ?kind) }
  UNION
  { ?record a cg:Course ; cfg:exported true . FILTER NOT EXISTS { ?record cfg:inProgramme ?programme } BIND("course" AS ?kind) }
  OPTIONAL { ?record schema:name ?name }
}"""

# Which record(s) each node of the data belongs to, and how people call the node.
_OWNERS = _PREFIXES + """
SELECT ?node ?record WHERE {
  { ?record a cg:Programme . BIND(?record AS ?node) }
  UNION
  { ?record a cg:Programme ; (cg:hasFunding|cg:hasSemester|cg:hasOffering|cg:coordinator|cg:partnerInstitution|cg:providedBy) ?node }
  UNION
  { ?node cfg:inProgramme ?record }
  UNION
  { ?node a cg:Course ; cfg:exported true . FILTER NOT EXISTS { ?node cfg:inProgramme ?programme } BIND(?node AS ?record) }
}"""

_DETAILS = _PREFIXES + """
SELECT ?node ?name ?pillar ?hint ?kind WHERE {
  { ?node schema:name ?name }
  UNION { ?node a cg:Course ; cg:pillar ?pillar }
  UNION { ?partnership cg:partnerOrganisation ?node ; cg:countryHint ?hint }
  UNION { ?node a cg:Course . BIND("course" AS ?kind) }
  UNION { ?node a cg:Programme . BIND("programme" AS ?kind) }
  UNION { ?node a cg:Organisation . BIND("organisation" AS ?kind) }
}"""

# Exported courses of a programme that have no learning outcome, hence no achievement specification.
_WITHOUT_OUTCOMES = _PREFIXES + """
SELECT ?course WHERE {
  ?course a cg:Course ; cfg:exported true .
  FILTER NOT EXISTS { GRAPH <urn:currigraph:elm:export> {
    ?specification elm:learningOutcome ?outcome FILTER(STR(?specification) = CONCAT(STR(?course), "#elm-specification")) } }
}"""


def _rows(store: ox.Store, query: str) -> Iterable[dict[str, str]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {name: solution[name].value for name in names if solution[name] is not None}


class _Context:
    """What the data says about the nodes violations point at."""

    def __init__(self, store: ox.Store, settings: ElmSettings) -> None:
        self.settings = settings
        self.names: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.pillars: dict[str, set[str]] = {}
        self.hints: dict[str, set[str]] = {}
        for row in _rows(store, _DETAILS):
            node = row["node"]
            if "name" in row:
                self.names.setdefault(node, row["name"])
            if "kind" in row:
                self.kinds[node] = row["kind"]
            if "pillar" in row:
                self.pillars.setdefault(node, set()).add(row["pillar"])
            if "hint" in row:
                self.hints.setdefault(node, set()).add(row["hint"])
        self.owners: dict[str, set[str]] = {}
        for row in _rows(store, _OWNERS):
            self.owners.setdefault(row["node"], set()).add(row["record"])

    def name(self, node: str) -> str:
        kind = self.kinds.get(node, "")
        label = self.names.get(node, node)
        return f"{kind} '{label}'" if kind else label

    def programme_setting(self, record: str, key: str) -> str:
        return f"{key} (programmes.{record}, or catalogue)"


def _explain(result: LoqResult, node: str, part: str, record: str, context: _Context) -> Gap:
    """A violation of the LOQ shapes, as the field and the setting that fills it."""
    path, component = result.path or "", result.component
    name = context.name(node)
    kind = context.kinds.get(node)

    def gap(field: str, setting: str | None) -> Gap:
        if not result.in_profile:
            field += " (asked by LOQ's learning achievement specification shape, which the profile deactivates)"
        return Gap(node, name, field, result.path, setting, blocking=result.in_profile)

    if component == "ClosedConstraintComponent":
        return gap(f"{path} is not allowed on this node (a mapping error: {result.message})", None)
    if component == "UniqueLangConstraintComponent":
        return gap(f"several values of {path} in one language", None)
    if path in ("dc:title", "rov:legalName", "elm:noteLiteral") and component == "MinCountConstraintComponent":
        what = {"dc:title": "title", "rov:legalName": "legal name", "elm:noteLiteral": "note text"}[path]
        where = "catalogue" if kind == "organisation" else f"programmes.{record}, or catalogue"
        return gap(f"{what} of {part.replace('-', ' ')}: the language its text is written in is not known",
                   f"text_language ({where})")
    if path in ("dc:language", "elm:defaultLanguage"):
        if component == "MaxCountConstraintComponent":
            return gap("several languages of instruction, LOQ takes one default language", None)
        return gap("language of instruction: the data does not say it (or the EU language table lacks it)",
                   context.programme_setting(record, "teaching_language"))
    if path == "elm:ISCEDFCode":
        if kind == "course":
            pillars = ", ".join(f"pillars.{p}" for p in sorted(context.pillars.get(node, ())))
            return gap("ISCED-F field", f"isced_f (courses.{node}{', or ' + pillars if pillars else ''})")
        return gap("ISCED-F field", context.programme_setting(record, "isced_f"))
    if path == "elm:learningOutcome":
        if kind == "course":
            return gap("learning outcome", f"learning_outcomes (courses.{node})")
        return gap("learning outcome: none of its mandatory courses states one",
                   f"learning_outcomes (programmes.{record})")
    if path == "foaf:homepage":
        return gap("web page", f"homepage (programmes.{record}), or homepage_from_iri (catalogue)")
    if path == "elm:providedBy":
        return gap("provider: the data names no organisation that provides it", None)
    if path in ("elm:countryCode", "dc:spatial"):
        hints = sorted(context.hints.get(node, ()))
        if component == "MaxCountConstraintComponent":
            return gap(f"country: its partner lists give different ones (hints {', '.join(hints)})",
                       f"country (organisations.{node})")
        known = f", or country_hints for its hint(s) {', '.join(hints)}" if hints else ""
        return gap("country", f"country (organisations.{node}{known})")
    return gap(f"{path or 'node'}: {result.message}", None)


def _notes(record: str, kind: str, context: _Context, elm_types: dict[str, set[str]]) -> list[Gap]:
    """How the record is exported, where it is less than it could be (never blocking)."""
    notes = []
    if kind == "programme":
        types = elm_types.get(f"{record}#elm-specification", set())
        if "http://data.europa.eu/snb/model/elm/LearningAchievementSpecification" in types:
            programme = context.settings.programmes.get(record, {})
            missing = [k for k in ("eqf_level", "nqf_level") if k not in programme and k not in context.settings.catalogue]
            notes.append(Gap(record, context.name(record), "exported as a learning achievement specification, not a qualification",
                             "elm:Qualification", ", ".join(f"{k} (programmes.{record})" for k in missing) or None, blocking=False))
    return notes


def readiness(data: Data, settings: ElmSettings) -> list[Readiness]:
    """For every programme (excluded ones too) and every course outside a programme: what its LOQ record lacks."""
    store = working_store(data, settings, ignore_exclusions=True)
    run_mappings(store, settings.mappings)
    elm = exported(store)
    report = loq_report(elm, include_deactivated=True)
    context = _Context(store, settings)
    elm_types: dict[str, set[str]] = {}
    for row in _rows(store, "SELECT ?s ?t WHERE { GRAPH <urn:currigraph:elm:export> { ?s a ?t } }"):
        elm_types.setdefault(row["s"], set()).add(row["t"])
    without_outcomes = {row["course"] for row in _rows(store, _WITHOUT_OUTCOMES)}

    gaps: dict[str, dict[tuple[str, str, str | None], Gap]] = {}
    for result in report.results:
        if result.severity != "Violation":
            continue
        node, _, part = result.focus.partition("#elm-")
        for record in sorted(context.owners.get(node, ())):
            found = _explain(result, node, part or "node", record, context)
            gaps.setdefault(record, {}).setdefault((found.node, found.field, found.setting), found)

    records = []
    for row in sorted(_rows(store, _RECORDS), key=lambda r: (r["kind"] != "programme", r["record"])):
        record, kind = row["record"], row["kind"]
        notes = _notes(record, kind, context, elm_types)
        courses = sorted(c for c in without_outcomes if record in context.owners.get(c, ()) and c != record)
        notes += [Gap(c, context.name(c), "no learning outcome: exported as a learning activity only", None,
                      f"learning_outcomes (courses.{c})", blocking=False) for c in courses]
        excluded = bool(settings.programmes.get(record, {}).get("exclude", settings.catalogue.get("exclude", False)))
        found = list(gaps.get(record, {}).values())
        # A check the profile deactivates often repeats an active one (a language, say): keep the blocking one.
        settled = {(g.node, g.setting) for g in found if g.blocking}
        found = sorted((g for g in found if g.blocking or (g.node, g.setting) not in settled), key=lambda g: (g.node, g.field))
        records.append(Readiness(record, kind, row.get("name", record), excluded and kind == "programme", tuple(found + notes)))
    return records
