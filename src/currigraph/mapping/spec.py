"""Catalogue mappings: YAML files that say declaratively how the records of a JSON, CSV or XLSX catalogue become RDF.

A mapping is read once and checked whole (unknown keys, undefined names, bad patterns and prefixes are errors that
name the mapping file and the key), then compiled into the frozen structures below, which the executor runs.
docs/catalogues.md is the reference for the format; this module is its grammar.
"""

import fnmatch
import re
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

import yaml
from jsonpath_rfc9535 import JSONPathQuery, JSONPathSyntaxError
from jsonpath_rfc9535 import compile as compile_jsonpath

from currigraph.errors import InputError
from currigraph.mapping.reading import CSV, FORMATS, JSON, XLSX
from currigraph.mapping.transforms import Transform, Value, as_text, compile_transform
from currigraph.vocab import PREFIXES, is_absolute_iri

FORMAT_VERSION = 1
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
# What the fixed parts of a node's IRI template may hold: path characters that need no escaping.
_IRI_PATH = re.compile(r"[A-Za-z0-9._~/-]*")
SOURCES = ("file-name", "file-stem", "item-key")
Env = dict[str, list[Value]]


@dataclass(frozen=True)
class Template:
    """A text with {name} placeholders; rendering gives one text per combination of the names' values."""

    text: str
    parts: tuple[str | tuple[str], ...]  # literal text, or (name,) for a placeholder
    names: tuple[str, ...]
    pattern: str = ""  # the template for str.format, placeholders numbered in the order of names

    @staticmethod
    def of(parts: list[str | tuple[str]], names: list[str], text: str) -> "Template":
        """A template from its parts (literal text and (name,) placeholders)."""
        kept = tuple(p for p in parts if p != "")
        pattern = "".join(p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else f"{{{names.index(p[0])}}}" for p in kept)
        literal = "".join(p for p in kept if isinstance(p, str))
        return Template(literal if not names else text, kept, tuple(names), pattern)

    def render(self, env: Env, fill: Any = as_text) -> list[str]:
        """Every rendering (the product of the placeholders' values); none when a placeholder has no value."""
        if not self.names:
            return [self.text]
        columns = [env.get(name) or [] for name in self.names]
        if not all(columns):
            return []
        if all(len(column) == 1 for column in columns):  # the common case: one value each, one rendering
            return [self.pattern.format(*[fill(column[0]) for column in columns])]
        return [self.pattern.format(*map(fill, combination)) for combination in product(*columns)]

    def has_values(self, env: Env) -> bool:
        """True when every placeholder has at least one value."""
        return all(env.get(name) for name in self.names)


@dataclass(frozen=True)
class Condition:
    """When a node or property applies: every 'if' name has a value and no 'unless' name has one."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()

    def holds(self, env: Env) -> bool:
        """True when the condition is met in this environment."""
        return all(env.get(n) for n in self.present) and not any(env.get(n) for n in self.absent)


@dataclass(frozen=True)
class ValueSpec:
    """How one named value is got (field, constant, template or a source) and transformed."""

    name: str
    kind: str  # "key", "path", "constant", "template" or one of SOURCES
    argument: Any
    transforms: tuple[Transform, ...] = ()
    default: Value | None = None


@dataclass(frozen=True)
class ObjectSpec:
    """The object of a property: a literal template, a link to a node of the record, or an IRI template."""

    kind: str  # "literal", "node" or "iri"
    template: Template | None = None
    node: str | None = None
    datatype: str | None = None
    language: str | None = None
    when: Condition = Condition()


@dataclass(frozen=True)
class PropertySpec:
    """A predicate (a CURIE or IRI, possibly with placeholders) and its objects."""

    predicate: Template
    objects: tuple[ObjectSpec, ...]


@dataclass(frozen=True)
class NodeSpec:
    """A resource made for each record: its IRI templates (the first that can be filled is used), types, name, properties."""

    id: str | None
    iris: tuple[Template, ...]
    classes: tuple[str, ...]
    name: Template | None
    properties: tuple[PropertySpec, ...]
    when: Condition = Condition()


@dataclass(frozen=True)
class Scope:
    """What is made from one record (or one item inside it): values in order, nodes, and the items within."""

    values: tuple[ValueSpec, ...]
    nodes: tuple[NodeSpec, ...]
    each: tuple["ItemsSpec", ...] = ()


@dataclass(frozen=True)
class ItemsSpec:
    """Items inside a record (a JSONPath from the record), each read with its own scope."""

    path: JSONPathQuery
    scope: Scope


@dataclass(frozen=True)
class Mapping:
    """A compiled catalogue mapping."""

    path: Path
    name: str
    description: str
    format: str
    record_keys: tuple[str, ...]
    file_names: tuple[str, ...]
    records: JSONPathQuery | None  # JSON only
    records_text: str  # the JSONPath as the mapping writes it, for messages
    delimiter: str | None
    header_row: int
    encoding: str
    sheet: str | None
    prefixes: dict[str, str]
    constants: dict[str, Value]
    document: tuple[ValueSpec, ...]
    title: Template | None
    scope: Scope

    def name_matches(self, file_name: str) -> bool:
        """True when the mapping names no files, or the file name matches one of its globs (case-insensitive)."""
        lowered = file_name.lower()
        return not self.file_names or any(fnmatch.fnmatchcase(lowered, glob.lower()) for glob in self.file_names)

    def expand(self, curie: str) -> str | None:
        """An absolute IRI from a CURIE of the mapping's prefixes or an absolute IRI, None when it is neither."""
        return expand_curie(curie, self.prefixes)

    @property
    def specificity(self) -> tuple[int, int]:
        """How narrowly the mapping claims files: its number of record keys, then of file-name globs."""
        return (len(self.record_keys), len(self.file_names))


def expand_curie(text: str, prefixes: dict[str, str]) -> str | None:
    """An absolute IRI from a CURIE of known prefixes, or an http(s)/urn IRI written out; None otherwise."""
    prefix, colon, local = text.partition(":")
    if not colon:
        return None
    if prefix in prefixes:
        iri = prefixes[prefix] + local
    elif prefix in ("http", "https", "urn"):
        iri = text
    else:
        return None
    return iri if is_absolute_iri(iri) else None


# ---------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------


class _Reader:
    """Reads one mapping file's YAML into compiled structures, naming the file and the key of every problem."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.prefixes: dict[str, str] = dict(PREFIXES)

    def fail(self, where: str, message: str) -> InputError:
        return InputError(message, str(self.path), None, where or None)

    def keys(self, node: dict[str, Any], where: str, allowed: set[str], required: set[str] = frozenset()) -> None:
        unknown = set(node) - allowed
        if unknown:
            raise self.fail(where, f"unknown key '{sorted(map(str, unknown))[0]}' (allowed: {', '.join(sorted(allowed))})")
        missing = required - set(node)
        if missing:
            raise self.fail(where, f"missing key '{sorted(missing)[0]}'")

    def mapping(self, node: object, where: str) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise self.fail(where, "expected a mapping of keys to values")
        return {str(k): v for k, v in node.items()}

    def names(self, node: object, where: str) -> tuple[str, ...]:
        items = [node] if isinstance(node, str) else node
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise self.fail(where, "expected a name or a list of names")
        return tuple(items)

    def template(self, text: object, where: str, known: set[str]) -> Template:
        if isinstance(text, bool) or not isinstance(text, str | int | float):
            raise self.fail(where, "expected text (a template such as '{name}')")
        text = as_text(text)
        parts: list[str | tuple[str]] = []
        names: list[str] = []
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            parts.append(text[position : match.start()])
            position = match.end()
            token = match.group(0)
            if token in ("{{", "}}"):
                parts.append(token[0])
            elif match.group(1) is None:
                raise self.fail(where, f"unbalanced '{token}' in the template {text!r} (write '{token * 2}' for the character)")
            else:
                name = match.group(1).strip()
                if name not in known:
                    hint = f" (defined: {', '.join(sorted(known))})" if known else ""
                    raise self.fail(where, f"the template {text!r} uses '{{{name}}}', which is not a value defined before it{hint}")
                parts.append((name,))
                if name not in names:
                    names.append(name)
        parts.append(text[position:])
        return Template.of(parts, names, text)

    def condition(self, node: dict[str, Any], where: str, known: set[str]) -> Condition:
        present = self.names(node["if"], f"{where}.if") if "if" in node else ()
        absent = self.names(node["unless"], f"{where}.unless") if "unless" in node else ()
        for name in (*present, *absent):
            if name not in known:
                raise self.fail(where, f"the condition names '{name}', which is not a defined value")
        return Condition(present, absent)

    def jsonpath(self, text: object, where: str) -> JSONPathQuery:
        if not isinstance(text, str) or not text.startswith("$"):
            raise self.fail(where, "expected a JSONPath starting with '$' (RFC 9535)")
        try:
            return compile_jsonpath(text)
        except JSONPathSyntaxError as err:
            raise self.fail(where, f"not a valid JSONPath (RFC 9535): {err}") from None

    def curie(self, text: object, where: str) -> str:
        iri = expand_curie(text, self.prefixes) if isinstance(text, str) else None
        if iri is None:
            known = ", ".join(sorted(self.prefixes))
            raise self.fail(where, f"{text!r} is neither a CURIE of a known prefix ({known}) nor an absolute http(s) IRI")
        return iri

    def value(self, name: str, node: object, where: str, known: set[str], item: bool) -> ValueSpec:
        if isinstance(node, str):
            node = {"field": node}
        spec = self.mapping(node, where)
        sources = [k for k in ("field", "constant", "template", "from") if k in spec]
        if len(sources) != 1:
            raise self.fail(where, "a value needs exactly one of 'field', 'constant', 'template' or 'from'")
        self.keys(spec, where, {"field", "constant", "template", "from", "transform", "default"})
        kind, argument = sources[0], spec[sources[0]]
        if kind == "field":
            if not isinstance(argument, str) or not argument:
                raise self.fail(f"{where}.field", "expected a key of the record, or a JSONPath starting with '$'")
            kind, argument = ("path", self.jsonpath(argument, f"{where}.field")) if argument.startswith("$") else ("key", argument)
        elif kind == "constant":
            if argument is None or not isinstance(argument, str | int | float | bool):
                raise self.fail(f"{where}.constant", "a constant is text, a number or true/false")
        elif kind == "template":
            argument = self.template(argument, f"{where}.template", known)
        else:
            if argument not in SOURCES:
                raise self.fail(f"{where}.from", f"'from' is one of {', '.join(SOURCES)}")
            if argument == "item-key" and not item:
                raise self.fail(f"{where}.from", "'item-key' is the key an item sits under: only inside 'each'")
            kind, argument = argument, None
        steps = spec.get("transform", [])
        steps = steps if isinstance(steps, list) else [steps]
        transforms = tuple(compile_transform(step, f"{where}.transform[{i}]") for i, step in enumerate(steps))
        default = spec.get("default")
        if default is not None and not isinstance(default, str | int | float | bool):
            raise self.fail(f"{where}.default", "a default is text, a number or true/false")
        return ValueSpec(name, kind, argument, transforms, default)

    def values(self, node: object, where: str, known: set[str], item: bool) -> tuple[ValueSpec, ...]:
        specs: list[ValueSpec] = []
        for name, spec in self.mapping(node, where).items():
            if not _NAME.fullmatch(name):
                raise self.fail(where, f"'{name}' is not a usable value name (letters, digits, '_' and '-')")
            specs.append(self.value(name, spec, f"{where}.{name}", set(known), item))
            known.add(name)
        return tuple(specs)

    def object(self, node: object, where: str, known: set[str], node_ids: set[str]) -> ObjectSpec:
        if isinstance(node, str | int | float) and not isinstance(node, bool):
            return ObjectSpec("literal", self.template(node, where, known))
        spec = self.mapping(node, where)
        kinds = [k for k in ("literal", "node", "iri") if k in spec]
        if len(kinds) != 1:
            raise self.fail(where, "an object is a template, or a mapping with one of 'literal', 'node' or 'iri'")
        self.keys(spec, where, {"literal", "node", "iri", "datatype", "language", "if", "unless"})
        kind = kinds[0]
        when = self.condition(spec, where, known)
        if kind == "node":
            if spec["node"] not in node_ids:
                raise self.fail(where, f"no node with the id '{spec['node']}' in this record (ids: {', '.join(sorted(node_ids))})")
            if "datatype" in spec or "language" in spec:
                raise self.fail(where, "a link to a node takes no datatype or language")
            return ObjectSpec("node", node=spec["node"], when=when)
        template = self.template(spec[kind], f"{where}.{kind}", known)
        datatype = self.curie(spec["datatype"], f"{where}.datatype") if "datatype" in spec else None
        language = spec.get("language")
        if kind == "iri" and (datatype or language):
            raise self.fail(where, "an IRI takes no datatype or language")
        if language is not None and (not isinstance(language, str) or not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", language)):
            raise self.fail(f"{where}.language", "a language is a BCP 47 tag such as 'en' or 'it'")
        if datatype and language:
            raise self.fail(where, "a literal has a datatype or a language, not both")
        return ObjectSpec(kind, template, datatype=datatype, language=language, when=when)

    def node(self, node: object, where: str, known: set[str], node_ids: set[str]) -> NodeSpec:
        spec = self.mapping(node, where)
        self.keys(spec, where, {"id", "iri", "class", "name", "properties", "if", "unless"}, {"iri"})
        iris = spec["iri"] if isinstance(spec["iri"], list) else [spec["iri"]]
        templates = []
        for i, text in enumerate(iris):
            template = self.template(text, f"{where}.iri[{i}]", known)
            fixed = [p for p in template.parts if isinstance(p, str)]
            # A placeholder always fills at least one character (a slug is never empty), so checking each fixed part
            # is enough to keep every IRI a plain path under the base.
            if template.text.startswith("/") or any(not _IRI_PATH.fullmatch(p) or "//" in p or ".." in p for p in fixed):
                raise self.fail(f"{where}.iri", f"{text!r}: an IRI template is a path under the base, such as 'course/{{name}}'")
            templates.append(template)
        classes = tuple(self.curie(c, f"{where}.class") for c in self.names(spec.get("class", []), f"{where}.class")) \
            if "class" in spec else ()
        name = self.template(spec["name"], f"{where}.name", known) if "name" in spec else None
        properties = []
        for predicate, objects in self.mapping(spec.get("properties", {}), f"{where}.properties").items():
            at = f"{where}.properties.{predicate}"
            template = self.template(predicate, at, known)
            if not template.names:
                template = Template.of([self.curie(predicate, at)], [], predicate)
            objects = objects if isinstance(objects, list) else [objects]
            properties.append(PropertySpec(template, tuple(self.object(o, at, known, node_ids) for o in objects)))
        return NodeSpec(spec.get("id"), tuple(templates), classes, name, tuple(properties), self.condition(spec, where, known))

    def scope(self, node: dict[str, Any], where: str, known: set[str], node_ids: set[str], item: bool) -> Scope:
        known = set(known)
        values = self.values(node.get("values", {}), f"{where}values", known, item)
        nodes_spec = node.get("nodes", [])
        if not isinstance(nodes_spec, list):
            raise self.fail(f"{where}nodes", "expected a list of nodes")
        ids = set(node_ids)
        for i, n in enumerate(nodes_spec):
            node_id = n.get("id") if isinstance(n, dict) else None
            if node_id is not None:
                if not isinstance(node_id, str) or not _NAME.fullmatch(node_id) or node_id in ids:
                    raise self.fail(f"{where}nodes[{i}].id", f"the id {node_id!r} is not a name, or is used twice")
                ids.add(node_id)
        nodes = tuple(self.node(n, f"{where}nodes[{i}]", known, ids) for i, n in enumerate(nodes_spec))
        each_spec = node.get("each", [])
        if not isinstance(each_spec, list):
            raise self.fail(f"{where}each", "expected a list of item groups")
        each = []
        for i, group in enumerate(each_spec):
            at = f"{where}each[{i}]"
            group = self.mapping(group, at)
            self.keys(group, at, {"items", "values", "nodes", "each"}, {"items"})
            each.append(ItemsSpec(self.jsonpath(group["items"], f"{at}.items"), self.scope(group, f"{at}.", known, ids, True)))
        return Scope(values, nodes, tuple(each))

    def read(self, data: object) -> Mapping:
        top = self.mapping(data, "")
        self.keys(top, "", {"currigraph-mapping", "name", "description", "match", "records", "read", "prefixes", "constants",
                            "document", "title", "values", "nodes", "each"}, {"currigraph-mapping", "name", "match", "nodes"})
        if top["currigraph-mapping"] != FORMAT_VERSION:
            raise self.fail("currigraph-mapping", f"this currigraph reads mapping format {FORMAT_VERSION}")
        for prefix, namespace in self.mapping(top.get("prefixes", {}), "prefixes").items():
            if not isinstance(namespace, str) or not is_absolute_iri(namespace):
                raise self.fail(f"prefixes.{prefix}", "a prefix stands for an absolute IRI")
            self.prefixes[prefix] = namespace
        match = self.mapping(top["match"], "match")
        self.keys(match, "match", {"format", "record-keys", "file-name"}, {"format", "record-keys"})
        if match["format"] not in FORMATS:
            raise self.fail("match.format", f"the format is one of {', '.join(FORMATS)}")
        record_keys = self.names(match["record-keys"], "match.record-keys")
        file_names = self.names(match["file-name"], "match.file-name") if "file-name" in match else ()
        fmt = match["format"]
        read = self.mapping(top.get("read", {}), "read")
        self.keys(read, "read", {"delimiter", "header-row", "encoding", "sheet"})
        if fmt == JSON:
            if "records" not in top:
                raise self.fail("records", "a JSON mapping says where the records are: 'records: $[*]' (a JSONPath)")
            if read:
                raise self.fail("read", "'read' options are for CSV and XLSX tables")
        elif "records" in top:
            raise self.fail("records", "in a CSV or XLSX catalogue every row is a record; 'records' is for JSON")
        delimiter = read.get("delimiter")
        if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
            raise self.fail("read.delimiter", "the delimiter is one character (leave it out to detect it)")
        header_row = read.get("header-row", 1)
        if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
            raise self.fail("read.header-row", "the header row is a row number, 1 or more")
        constants: dict[str, Value] = {}
        for name, value in self.mapping(top.get("constants", {}), "constants").items():
            if not _NAME.fullmatch(name):
                raise self.fail("constants", f"'{name}' is not a usable name (letters, digits, '_' and '-')")
            if value is not None and not isinstance(value, str | int | float | bool):
                raise self.fail(f"constants.{name}", "a constant is text, a number, true/false, or null for 'not known'")
            if value is not None and value != "":
                constants[name] = value
        known = set(self.mapping(top.get("constants", {}), "constants"))
        if "document" in top and fmt != JSON:
            raise self.fail("document", "document values are read from a JSON document's root")
        document = self.values(top.get("document", {}), "document", known, False)
        title = self.template(top["title"], "title", known) if "title" in top else None
        scope = self.scope(top, "", known, set(), False)
        name, description = top["name"], top.get("description", "")
        if not isinstance(name, str) or not name.strip() or not isinstance(description, str):
            raise self.fail("name", "a mapping has a name (and an optional description), written as text")
        return Mapping(
            self.path, name.strip(), " ".join(description.split()), fmt, record_keys, file_names,
            self.jsonpath(top["records"], "records") if fmt == JSON else None, str(top.get("records", "")),
            delimiter, header_row, str(read.get("encoding", "utf-8")), read.get("sheet") if fmt == XLSX else None,
            self.prefixes, constants, document, title, scope,
        )


def load_mapping(path: Path) -> Mapping:
    """Read and check one mapping file; InputError naming the file (and the key, or the YAML line) on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the mapping: {err}", str(path)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(f"the mapping is not valid YAML: {getattr(err, 'problem', err)}", str(path),
                         mark.line + 1 if mark is not None else None) from None
    return _Reader(path).read(data)


def load_mappings(folder: Path) -> list[Mapping]:
    """Every mapping (*.yaml, *.yml) of a folder, in file-name order; none when the folder does not exist."""
    if not folder.is_dir():
        return []
    return [load_mapping(p) for p in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])]


__all__ = ["CSV", "JSON", "XLSX", "Condition", "Env", "ItemsSpec", "Mapping", "NodeSpec", "ObjectSpec", "PropertySpec", "Scope",
           "Template", "ValueSpec", "expand_curie", "load_mapping", "load_mappings"]
