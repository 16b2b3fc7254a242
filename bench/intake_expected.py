"""Reading a hand-written *.expected.yaml into fact tuples (the fact model of docs/intake-scoring.md).

The reader is generic over the files' shape: it knows key names (`programmes`, `courses`, `credits`, `people`,
...), never a document. Values are read as written; `null` and empty lists are "not stated" (no fact) but still
tell the scorer that the file speaks about that kind of fact. Comments are read only for `# unsure`, which
marks every fact built from a value on that line.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.intake_match import (
    KINDS,
    Fact,
    code_form,
    language_form,
    name_forms,
    names_meet,
    number_form,
    person_forms,
    status_form,
    text_forms,
    unit_form,
)

# Keys of a programme entry and what they are read as. Everything else in an entry is left out of the fact
# model (docs/intake-scoring.md lists those keys and why).
DEGREE_KEYS = ("degree",)
INSTITUTION_KEYS = ("institution", "institutions", "partners")
UNIT_KEYS = ("faculty", "faculties", "school", "schools", "college", "colleges")
DEPARTMENT_KEYS = ("department", "departments")
YEARS_KEYS = ("number_of_years", "years")
PROGRAMME_CODE_KEYS = ("course_code", "ucas_code", "programme_code", "code")
TRACK_KEYS = ("specialisations", "specializations", "profiles", "tracks", "specialisation_terms", "concentrations")
COURSE_LIST_KEYS = ("courses", "modules")
COURSE_GROUP_KEYS = ("module_groups", "course_groups")
ALIAS_KEYS = ("abbreviation", "also_written_as", "acronym")
# Keys of a course entry.
TERM_KEYS = ("term", "taught")
COURSE_PROVIDER_KEYS = ("institution", "department", "provider")
TOPIC_KEYS = ("topics", "contents")
OUTCOME_KEYS = ("learning_outcomes",)
# Keys of an organisation entry (a guide's `universities`) whose items are units of that organisation.
ORG_UNIT_KEYS = ("institutes", "units", "faculties", "departments", "schools")
# Inside admission_requirements: keys whose values are about admission but are not requirements an applicant
# must meet (a label for the list, notes, how to apply, support offered, pointers to other pages).
NON_REQUIREMENT_KEYS = ("label", "note", "notes", "comment", "route", "other", "english_support", "alternative_qualifications",
                        "flexible_admissions")
# Top-level keys that, set to null, say no course of the file has that attribute.
ABSENT_COURSE_KEYS = {"credits": ("course-credits",), "semester": ("course-semester", "course-term"), "year": ("course-year",),
                      "language": ("course-language",)}
CHOICE_KEY = re.compile(r"(^|_)(one_of|any_of|alternatives|variants|options)$")

_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class ProgrammeEntry:
    """A programme the expected file describes (full) or only names (a reference), with its scope key."""

    key: str
    names: frozenset[str]
    shown: str
    full: bool
    providers: set[str] = field(default_factory=set)


@dataclass
class Expected:
    """The facts of one expected file, its programmes, the kinds it speaks about, and what it could not score."""

    path: Path
    kind: str
    facts: list[Fact]
    programmes: list[ProgrammeEntry]
    stated: set[str]
    sampled: bool
    skipped: list[str]
    ignored_keys: set[str]
    unjudgeable: list[Fact] = field(default_factory=list)


def _unsure_lines(text: str) -> set[int]:
    """0-based lines whose trailing comment says 'unsure' (a comment starts at a # outside quotes)."""
    lines = set()
    for number, line in enumerate(text.splitlines()):
        quote, previous = None, " "
        for i, char in enumerate(line):
            if quote:
                if char == quote and line[i - 1] != "\\":
                    quote = None
            elif char in "\"'" and previous in " :[{,-":
                quote = char
            elif char == "#" and (i == 0 or line[i - 1] in " \t"):
                if line[:i].strip() and "unsure" in line[i:].lower():
                    lines.add(number)
                break
            if not char.isspace():
                previous = char
    return lines


class Y:
    """A YAML node with the line of the key that led to it, to read values and their `# unsure` marks."""

    def __init__(self, node: yaml.Node, unsure_lines: set[int], key_line: int | None = None) -> None:
        self.node = node
        self.unsure_lines = unsure_lines
        self.key_line = key_line

    @property
    def is_map(self) -> bool:
        """Whether the node is a mapping."""
        return isinstance(self.node, yaml.MappingNode)

    @property
    def is_seq(self) -> bool:
        """Whether the node is a sequence."""
        return isinstance(self.node, yaml.SequenceNode)

    @property
    def value(self) -> Any:
        """The node as plain Python data."""
        return _CONSTRUCTOR.construct_object(self.node, deep=True)

    @property
    def text(self) -> str | None:
        """A scalar's value as text; None for null, empty text and collections."""
        if not isinstance(self.node, yaml.ScalarNode):
            return None
        value = self.value
        if value is None or isinstance(value, bool) or not str(value).strip():
            return None
        return " ".join(str(value).split())

    def items(self) -> Iterator[tuple[str, "Y"]]:
        """A mapping's keys and values."""
        if self.is_map:
            for key, value in self.node.value:
                yield str(key.value), Y(value, self.unsure_lines, key.start_mark.line)

    def get(self, key: str) -> "Y | None":
        """The value of a mapping's key (None when absent)."""
        return next((value for k, value in self.items() if k == key), None)

    def seq(self) -> list["Y"]:
        """A sequence's items (a mapping or scalar is not a sequence: empty)."""
        return [Y(item, self.unsure_lines, None) for item in self.node.value] if self.is_seq else []

    def lines(self) -> set[int]:
        """Every line the node's values sit on, and its key's."""
        found = {self.node.start_mark.line}
        if self.key_line is not None:
            found.add(self.key_line)
        stack = [self.node]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                found.add(node.start_mark.line)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                stack.extend(v for pair in node.value for v in pair)
        return found

    @property
    def unsure(self) -> bool:
        """Whether a value of this node (or its key) carries an `# unsure` comment."""
        return bool(self.lines() & self.unsure_lines)


def _credits_shown(y: Y) -> str:
    """Credits as the file writes them: '7.5 hp', or the bare number."""
    if y.is_map:
        value, unit = y.get("value"), y.get("unit")
        return f"{value.value if value is not None else ''} {unit.value if unit is not None and unit.value else ''}".strip()
    return str(y.value)


def _present(y: "Y | None") -> bool:
    return y is not None and y.value not in (None, [], {}, "")


class ExpectedReader:
    """Turns one expected file into facts; see read_expected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        text = path.read_text("utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        self.root = Y(root if root is not None else yaml.MappingNode("tag:yaml.org,2002:map", []), _unsure_lines(text))
        self.facts: dict[tuple, Fact] = {}
        self.programmes: list[ProgrammeEntry] = []
        self.stated: set[str] = set()
        self.sampled = False
        self.skipped: list[str] = []
        self.ignored: set[str] = set()
        self.org_names: list[frozenset[str]] = []
        # (kind, scope, subject) whose value the file gives in words the model cannot hold ("replaceable by
        # elective", a sentence about languages): what a converter says there cannot be judged right or wrong.
        self.unjudgeable: list[Fact] = []

    # -- facts ------------------------------------------------------------------------------------------

    def add(self, kind: str, scope: str | None, parts: tuple[frozenset[str], ...], shown: str, *sources: "Y | None") -> None:
        """Record a fact unless a part it needs is missing; unsure when any value it was read from is."""
        self.stated.add(kind)
        if any(not part for i, part in enumerate(parts) if KINDS[kind][i] != "unit"):
            return
        fact = Fact(kind, scope, parts, shown, any(s is not None and s.unsure for s in sources))
        previous = self.facts.get(fact.key)
        if previous is None or (previous.unsure and not fact.unsure):
            self.facts[fact.key] = fact  # a repeated fact is one fact; sure if any statement of it is

    def skip(self, where: str, why: str, y: "Y | None", kind: str | None = None, scope: str | None = None,
             subject: tuple[frozenset[str], ...] = ()) -> None:
        """Note a value a careful reader wrote that the fact model cannot score (shown in the report); with a
        kind, extracted facts of that kind about that subject are not judged either."""
        self.skipped = list(dict.fromkeys([*self.skipped, f"{where}: {why}: {y.value if y is not None else ''!r}"]))
        if kind is not None:
            self.unjudgeable.append(Fact(kind, scope, subject))

    def organisation(self, y: Y, aliases: frozenset[str] = frozenset()) -> frozenset[str]:
        """An organisation named by a value: its organisation fact, and its names for other facts."""
        names = name_forms(y.text or "") | aliases
        if y.text:
            self.org_names.append(names)
            self.add("organisation", None, (names,), y.text, y)
        return names

    # -- programmes ---------------------------------------------------------------------------------------

    def entry(self, names: frozenset[str], shown: str, full: bool) -> ProgrammeEntry:
        """The programme entry these names refer to, made when none does yet."""
        for entry in self.programmes:
            if names and names_meet(entry.names, names) and not (full and entry.full):
                entry.full = entry.full or full
                entry.names |= names
                return entry
        entry = ProgrammeEntry(f"P{len(self.programmes) + 1}", names, shown or "(unnamed)", full)
        self.programmes.append(entry)
        return entry

    def reference(self, y: Y) -> str | None:
        """A programme named (not described) by a value: a programme fact, and its scope key."""
        if not y.text:
            return None
        entry = self.entry(name_forms(y.text), y.text, full=False)
        self.add("programme", entry.key, (name_forms(y.text),), y.text, y)
        return entry.key

    def programme(self, y: Y, where: str, provider: tuple[Y, frozenset[str]] | None = None) -> None:
        """One programme entry: its own facts, its units and courses (scoped to it)."""
        name = y.get("name")
        aliases = frozenset().union(*(name_forms(a.text) for k in ALIAS_KEYS if (a := y.get(k)) and a.text))
        names = (name_forms(name.text) if name is not None and name.text else frozenset()) | aliases
        entry = self.entry(names, name.text if name is not None and name.text else "", full=True)
        scope = entry.key
        self.stated.add("programme")
        if names:
            self.add("programme", scope, (names,), name.text if name is not None and name.text else sorted(names)[0], name)
        handled = {"name", *ALIAS_KEYS}

        def provide(org: Y, org_aliases: frozenset[str] = frozenset()) -> frozenset[str]:
            org_names = self.organisation(org, org_aliases)
            self.add("programme-provider", scope, (org_names,), org.text or "", org)
            entry.providers |= org_names
            return org_names

        if provider is not None:
            provide(*provider)
        institutions = []
        for key in INSTITUTION_KEYS:
            if (value := y.get(key)) is not None:
                handled.add(key)
                self.stated |= {"programme-provider", "organisation"}
                for item in self._names_list(value, f"{where}.{key}"):
                    institutions.append(provide(item, self._aliases_of(y, f"{key}_abbreviation")))
        parent = institutions[0] if len(institutions) == 1 else None
        faculties = []
        for key in UNIT_KEYS:
            if (value := y.get(key)) is not None:
                handled.add(key)
                self.stated |= {"programme-provider", "organisation", "organisation-parent"}
                for item in self._names_list(value, f"{where}.{key}"):
                    unit = provide(item, self._aliases_of(y, f"{key}_abbreviation"))
                    faculties.append(unit)
                    if parent:
                        self.add("organisation-parent", None, (unit, parent), f"{item.text} < {sorted(parent)[0]}", item)
        department_parent = faculties[0] if len(faculties) == 1 else parent
        for key in DEPARTMENT_KEYS:
            if (value := y.get(key)) is not None:
                handled.add(key)
                self.stated |= {"programme-provider", "organisation", "organisation-parent"}
                for item in value.seq() if value.is_seq else [value]:
                    department = item.get("department") if item.is_map else item
                    if department is None or not department.text:
                        continue
                    unit = provide(department)
                    if department_parent:
                        shown_parent = sorted(department_parent)[0]
                        self.add("organisation-parent", None, (unit, department_parent), f"{department.text} < {shown_parent}", department)
                    if item.is_map and (track := item.get("track")) is not None and track.text:
                        self.add("programme-track", scope, (name_forms(track.text),), track.text, track)
        for key, value in y.items():
            if key in handled or key.endswith("_abbreviation"):
                continue
            handled.add(key)
            here = f"{where}.{key}"
            if key in DEGREE_KEYS:
                forms = self._name_alternatives(value)
                self.add("programme-degree", scope, (forms,), str(value.value), value)
            elif key == "language":
                self.language("programme-language", scope, (), value, here)
            elif key == "semesters":
                self.add("programme-semesters", scope, (number_form(value.value),), str(value.value), value)
            elif key in YEARS_KEYS:
                self.add("programme-years", scope, (number_form(value.value),), str(value.value), value)
            elif key == "total_credits":
                for number, unit, source in self._credits(value, here, "programme-credits", scope):
                    self.add("programme-credits", scope, (number, unit), _credits_shown(source), source)
                self.stated.add("programme-credits")
            elif key in PROGRAMME_CODE_KEYS:
                self.add("programme-code", scope, (code_form(value.text or ""),), value.text or "", value)
            elif key in TRACK_KEYS:
                self.stated.add("programme-track")
                for item in self._names_list(value, here):
                    self.add("programme-track", scope, (name_forms(item.text or ""),), item.text or "", item)
            elif key in COURSE_LIST_KEYS:
                self.stated.add("course")
                for course in value.seq():
                    self.course(course, scope, here)
            elif key in COURSE_GROUP_KEYS:
                self.stated.add("course")
                for group in value.seq():
                    status = group.get("group") or group.get("status")
                    for list_key in COURSE_LIST_KEYS:
                        courses = group.get(list_key)
                        for course in courses.seq() if courses is not None else []:
                            self.course(course, scope, f"{here}[].{list_key}", status.value if status else None, status)
            elif key == "admission_requirements":
                self.requirements(value, scope)
            else:
                self.ignored.add(f"{where}[].{key}")

    def _aliases_of(self, y: Y, key: str | None = None) -> frozenset[str]:
        """Other names given for an organisation: an entry's abbreviation keys, or `<key>_abbreviation` beside it."""
        keys = [key] if key else list(ALIAS_KEYS)
        found: set[str] = set()
        for k in keys:
            value = y.get(k) if y.is_map else None
            for item in (value.seq() if value is not None and value.is_seq else [value] if value is not None else []):
                if item.text:
                    found |= name_forms(item.text)
        return frozenset(found)

    def _names_list(self, y: Y, where: str) -> list[Y]:
        """Names from a name, a list of names, or a list of entries with a `name`. A lone text under a plural key
        (`institutions: "8 universities, not named here"`) is a description, not a name."""
        if y.is_seq:
            out = []
            for item in y.seq():
                named = item.get("name") if item.is_map else item
                if named is not None and named.text:
                    out.append(named)
            return out
        if y.text:
            if where.rsplit(".", 1)[-1].endswith("s"):
                self.skip(where, "a description under a plural key, not names", y)
                return []
            return [y]
        return []

    def _name_alternatives(self, y: Y) -> frozenset[str]:
        """A name, or a mapping of one name in several languages ({sv: ..., en: ...}): any of them."""
        if y.is_map:
            return frozenset().union(*(name_forms(v.text) for _, v in y.items() if v.text))
        return name_forms(y.text) if y.text else frozenset()

    def _credits(self, y: Y, where: str, kind: str = "", scope: str | None = None,
                 subject: tuple[frozenset[str], ...] = ()) -> list[tuple[frozenset[str], frozenset[str], Y]]:
        """Credits as {value, unit}, a list of those, or a bare number (unit not stated)."""
        items = y.seq() if y.is_seq else [y]
        out = []
        for item in items:
            value = item.get("value") if item.is_map else item
            unit = item.get("unit") if item.is_map else None
            if value is None or value.value is None:
                continue
            number = number_form(value.value)
            if number:
                out.append((number, unit_form(unit.value) if unit is not None else frozenset(), item))
            else:
                self.skip(where, "credits that are not a number", item, kind or None, scope, subject)
        return out

    def language(self, kind: str, scope: str | None, head: tuple[frozenset[str], ...], y: Y, where: str) -> None:
        """A language fact. A mapping names aspects (`thesis`, `programme`) of which only `programme`/`teaching` is
        the teaching language; a sentence about languages is not scorable."""
        self.stated.add(kind)
        values = [y]
        if y.is_map:
            values = [v for k, v in y.items() if k in ("programme", "teaching")]
        for value in values:
            if value.value is None:
                continue
            tag = language_form(value.value)
            if tag:
                self.add(kind, scope, (*head, tag), f"{value.value}", value)
            else:
                self.skip(where, "not a language name or tag", value, kind, scope, head)

    # -- courses ------------------------------------------------------------------------------------------

    def course(self, y: Y, scope: str | None, where: str, default_status: Any = None, status_source: Y | None = None) -> None:
        """One course entry (a mapping with a name) and its attributes, scoped to a programme or not.

        default_status is the status of the list or group the course is in (`mandatory_courses`, a module group
        named "Compulsory"), used when the entry has no `mandatory` of its own."""
        if not y.is_map:
            return
        name = y.get("name")
        if name is None or not name.text:
            self.skip(where, "a course without a name", y)
            return
        names = name_forms(name.text)
        shown = name.text
        self.add("course", scope, (names,), shown, name)
        status_set = False
        for key, value in y.items():
            here = f"{where}[].{key}"
            if key == "name":
                continue
            if key == "code":
                self.add("course-code", scope, (names, code_form(value.text or "")), f"{shown}: {value.text}", name, value)
            elif key == "credits":
                self.stated.add("course-credits")
                for number, unit, source in self._credits(value, here, "course-credits", scope, (names,)):
                    self.add("course-credits", scope, (names, number, unit), f"{shown}: {_credits_shown(source)}", name, source)
            elif key == "year":
                self.add("course-year", scope, (names, number_form(value.value)), f"{shown}: {value.value}", name, value)
            elif key == "semester":
                # A number is the programme's semester; a word ("Primo", "Spring") is the term as written. A file
                # that says "Primo" gives no semester number, so semester numbers are not judged from it.
                number = number_form(value.value)
                if value.value is None:
                    self.stated |= {"course-semester", "course-term"}
                elif number:
                    self.add("course-semester", scope, (names, number), f"{shown}: {value.value}", name, value)
                else:
                    self.add("course-term", scope, (names, name_forms(value.text or "")), f"{shown}: {value.text}", name, value)
            elif key in TERM_KEYS:
                self.add("course-term", scope, (names, name_forms(value.text or "")), f"{shown}: {value.text}", name, value)
            elif key == "mandatory":
                status_set = True
                self.status(scope, names, shown, value.value, here, name, value)
            elif key == "track":
                self.add("course-track", scope, (names, name_forms(value.text or "")), f"{shown}: {value.text}", name, value)
            elif key == "language":
                self.language("course-language", scope, (names,), value, here)
            elif key in COURSE_PROVIDER_KEYS:
                self.stated |= {"course-provider", "organisation"}
                if value.text:
                    org = self.organisation(value)
                    self.add("course-provider", scope, (names, org), f"{shown}: {value.text}", name, value)
            elif key == "programme":
                programme = self.reference(value)
                if programme:
                    self.add("course", programme, (names,), shown, name, value)
            elif key == "mandatory_for":
                for item in value.seq():
                    ref = item.get("programme") if item.is_map else item
                    programme = self.reference(ref) if ref is not None else None
                    if programme:
                        self.add("course", programme, (names,), shown, name, ref)
                        if item.is_map and (status := item.get("status")) is not None:
                            self.status(programme, names, shown, status.value, here, name, status)
            elif key in TOPIC_KEYS or key in OUTCOME_KEYS:
                kind = "course-topic" if key in TOPIC_KEYS else "course-outcome"
                self.stated.add(kind)
                for item in value.seq():
                    text = item.get("topic") or item.get("name") or item.get("title") if item.is_map else item
                    if text is not None and text.text:
                        self.add(kind, scope, (names, text_forms(text.text)), f"{shown}: {text.text}", name, text)
            elif key == "people":
                self.stated |= {"person", "person-role", "person-role-in"}
                for person in value.seq():
                    self.person(person, here, (names, name))
            else:
                self.ignored.add(f"{where}[].{key}")
        if not status_set and default_status is not None:
            self.status(scope, names, shown, default_status, where, name, status_source)

    def status(self, scope: str | None, names: frozenset[str], shown: str, value: Any, where: str, *sources: Y | None) -> None:
        """Mandatory or elective; a status in words the model's two values cannot hold is noted, not scored."""
        self.stated.add("course-status")
        if value is None:
            return
        status = status_form(value)
        if status:
            self.add("course-status", scope, (names, status), f"{shown}: {sorted(status)[0]}", *sources)
        else:
            self.skipped = list(dict.fromkeys([*self.skipped, f"{where}: a status that is neither mandatory nor elective: {value!r}"]))
            self.unjudgeable.append(Fact("course-status", scope, (names,)))

    # -- people -------------------------------------------------------------------------------------------

    def person(self, y: Y, where: str, role_in: tuple[frozenset[str], Y] | None = None) -> None:
        """One person: name, honorific, and each role with the organisation (or course) it is held in."""
        self.stated |= {"person", "person-role", "person-role-in"}
        if not y.is_map:
            return
        name = y.get("name")
        if name is None or not name.text:
            if _present(y.get("role")):
                self.skip(where, "a role with no person named", y.get("role"))
            return
        person = person_forms(name.text)
        self.add("person", None, (person,), name.text, name)
        for key in ("honorific", "title"):
            if (value := y.get(key)) is not None:
                self.add("person-honorific", None, (person, name_forms(value.text or "")), f"{name.text}: {value.text}", name, value)
        roles = [(y.get("role"), y.get("organisation"))]
        if (listed := y.get("roles")) is not None:
            roles += [(r.get("role"), r.get("organisation")) for r in listed.seq() if r.is_map]
        for role, org in roles:
            if role is None or not role.text:
                continue
            role_names = name_forms(role.text)
            self.add("person-role", None, (person, role_names), f"{name.text}: {role.text}", name, role)
            if org is not None and org.text:
                self.add("person-role-in", None, (person, role_names, name_forms(org.text)), f"{name.text}: {role.text} in {org.text}",
                         name, role, org)
            elif role_in is not None:
                target, source = role_in
                self.add("person-role-in", None, (person, role_names, target), f"{name.text}: {role.text} in {source.text}",
                         name, role, source)

    # -- requirements -------------------------------------------------------------------------------------

    def requirements(self, y: Y, scope: str | None, key: str = "") -> None:
        """Admission requirements: lists apply together, `*one_of`/`*variants` lists are alternatives."""
        self.stated |= {"requirement", "requirement-choice"}
        if y.is_seq:
            items = [i for i in y.seq() if i.text]
            for item in items:
                self.add("requirement", scope, (text_forms(item.text or ""),), item.text or "", item)
            if CHOICE_KEY.search(key) and len(items) > 1:
                options = frozenset().union(*(text_forms(i.text or "") for i in items))
                self.add("requirement-choice", scope, (options,), " | ".join(i.text or "" for i in items), *items)
        elif y.is_map:
            for sub, value in y.items():
                if sub in NON_REQUIREMENT_KEYS:
                    continue
                self.requirements(value, scope, sub)
        elif y.text:
            self.add("requirement", scope, (text_forms(y.text),), y.text, y)

    # -- organisations (guides) ---------------------------------------------------------------------------

    def org_entry(self, y: Y, where: str) -> None:
        """An organisation a guide lists: its names, its units, and the programmes it offers."""
        name = y.get("name") if y.is_map else y
        if name is None or not name.text:
            return
        org = self.organisation(name, self._aliases_of(y) if y.is_map else frozenset())
        if not y.is_map:
            return
        for key, value in y.items():
            if key in ("name", *ALIAS_KEYS):
                continue
            if key == "programmes":
                self.stated.add("programme")
                for programme in value.seq():
                    self.programme(programme, f"{where}[].programmes", provider=(name, org))
            elif key in ORG_UNIT_KEYS:
                self.stated |= {"organisation", "organisation-parent"}
                for item in self._names_list(value, f"{where}.{key}"):
                    unit = self.organisation(item)
                    self.add("organisation-parent", None, (unit, org), f"{item.text} < {name.text}", item)
            else:
                self.ignored.add(f"{where}[].{key}")

    # -- the file -----------------------------------------------------------------------------------------

    def read(self) -> Expected:
        """Read the whole file: programmes first (top-level lists may refer to them), then the rest."""
        root = self.root
        kind = ""
        if (document := root.get("document")) is not None and (k := document.get("kind")) is not None:
            kind = k.text or ""
        rest = []
        for key, value in root.items():
            if key in ("programmes", "programme"):
                for item in value.seq() if value.is_seq else [value] if value.is_map else []:
                    self.programme(item, key)
            elif key in ("universities", "organisations", "institutions") and value.is_seq:
                for item in value.seq():
                    self.org_entry(item, key)
            elif key != "document":
                rest.append((key, value))
        full = [p for p in self.programmes if p.full]
        document_scope = full[0].key if len(full) == 1 else None
        for key, value in rest:
            if key == "people":
                for person in value.seq():
                    self.person(person, key)
                self.stated |= {"person", "person-role", "person-role-in"}
            elif key == "partners":
                self.stated |= {"programme-provider", "organisation"}
                for item in self._names_list(value, key):
                    org = self.organisation(item)
                    self.add("programme-provider", document_scope, (org,), item.text or "", item)
            elif key == "admission_requirements":
                self.requirements(value, document_scope)
            elif value.is_seq and ("courses" in key or "records" in key):
                self.stated.add("course")
                self.sampled = self.sampled or key.startswith("spot_check")
                # A list named for a status (`mandatory_courses`) gives its courses that status.
                default = True if key.startswith("mandatory_") else False if key.startswith("elective_") else None
                for course in value.seq():
                    self.course(course, None, key, default, None)
            elif value.is_seq and key.endswith(("_mentioned", "_listed")):
                if "programme" in key:
                    self.stated.add("programme")
                    for item in value.seq():
                        self.reference(item)
                else:
                    self.stated.add("organisation")
                    for item in value.seq():
                        self.organisation(item)
            elif key in ABSENT_COURSE_KEYS and value.value is None:
                # A catalogue saying that none of its records has credits (or a semester...): stated, as absent.
                self.stated |= set(ABSENT_COURSE_KEYS[key])
            elif key in ("departments", "institution"):
                self.stated.add("organisation")
                # A mapping of names to record counts lists its names as keys.
                names = [Y(k, self.root.unsure_lines, None) for k, _ in value.node.value] if value.is_map else self._names_list(value, key)
                for item in names:
                    self.organisation(item)
            else:
                self.ignored.add(key)
        self._expand_aliases()
        return Expected(self.path, kind, list(self.facts.values()), self.programmes, self.stated, self.sampled, self.skipped,
                        self.ignored, self.unjudgeable)

    def _expand_aliases(self) -> None:
        # One organisation is written several ways in one file ("CDM" and "College of Computing and Digital Media",
        # "University of Luxembourg" and "Université du Luxembourg"): a value naming it accepts all of them.
        # A role may be held in a programme, so role targets also take the programmes' names.
        programme_names = [p.names for p in self.programmes if p.names]

        def widen(forms: frozenset[str], pool: list[frozenset[str]]) -> frozenset[str]:
            out = set(forms)
            for names in pool:
                if names_meet(names, forms):
                    out |= names
            return frozenset(out)

        widened: dict[tuple, Fact] = {}
        for fact in self.facts.values():
            parts = list(fact.parts)
            if fact.kind in ("organisation", "programme-provider"):
                parts[0] = widen(parts[0], self.org_names)
            elif fact.kind == "organisation-parent":
                parts = [widen(p, self.org_names) for p in parts]
            elif fact.kind == "course-provider":
                parts[1] = widen(parts[1], self.org_names)
            elif fact.kind == "person-role-in":
                parts[2] = widen(parts[2], self.org_names + programme_names)
            new = Fact(fact.kind, fact.scope, tuple(parts), fact.shown, fact.unsure)
            if new.key not in widened or widened[new.key].unsure:
                widened[new.key] = new
        self.facts = widened


def read_expected(path: Path) -> Expected:
    """The facts of one *.expected.yaml (see docs/intake-scoring.md for the fact model)."""
    return ExpectedReader(path).read()
