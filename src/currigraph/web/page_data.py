"""What the pages know about a resource, asked of the store with SPARQL."""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from currigraph.serving.engine import Job
from currigraph.vocab import RDF_TYPE, is_absolute_iri, sparql_iri, sparql_prologue, sparql_string
from currigraph.web.data import answer_body

PROLOGUE = sparql_prologue()
LABEL = "schema:name|skos:prefLabel|rdfs:label|dcterms:title"


def iri(value: str) -> str:
    """An IRI written for a query (ValueError when the value is not an absolute IRI)."""
    return sparql_iri(value)


def run(text: str, fmt: str = "json") -> bytes:
    """Run a query on the store and return the serialised answer (StoreError, answered 502/503, when it fails)."""
    return answer_body(Job(text=PROLOGUE + text, format=(fmt,)))


def select(text: str) -> list[dict[str, str]]:
    """Rows of a SELECT as plain strings."""
    data = json.loads(run(text))
    if "boolean" in data:
        return [{"boolean": str(data["boolean"]).lower()}]
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def ask(text: str) -> bool:
    """The answer of an ASK."""
    return bool(json.loads(run(text))["boolean"])


def labels(iris: set[str]) -> dict[str, str]:
    """A readable label for each IRI that has one."""
    if not iris:
        return {}
    values = " ".join(iri(i) for i in sorted(iris) if is_absolute_iri(i))
    rows = select(f"SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?x {{ {values} }} ?x {LABEL} ?l }} GROUP BY ?x")
    return {r["x"]: r["label"] for r in rows}


@dataclass
class Fact:
    """One statement about a resource: property, value, the graphs stating it, and evidence where there is some."""

    predicate: str
    value: str
    kind: str  # uri, literal or bnode
    datatype: str | None = None
    graphs: set[str] = field(default_factory=set)
    evidence: list[tuple[str, str, str]] = field(default_factory=list)  # (sentence, line, source IRI)


@dataclass
class Description:
    """Everything a resource page shows."""

    iri: str
    facts: list[Fact]
    incoming: list[dict[str, str]]
    labels: dict[str, str]
    sources: dict[str, str]  # graph IRI -> source document IRI
    known: set[str] = field(default_factory=set)  # the IRIs mentioned that the store says something about (pages to link to)

    def types(self) -> set[str]:
        """The resource's classes, asserted and inferred."""
        return {f.value for f in self.facts if f.predicate == RDF_TYPE}

    def first(self, predicate: str) -> str | None:
        """The first value of a property."""
        return next((f.value for f in self.facts if f.predicate == predicate), None)

    @property
    def name(self) -> str:
        """The best human label of the resource."""
        return self.labels.get(self.iri) or self.iri.rstrip("/").rsplit("/", 1)[-1]


def exists(resource: str) -> bool:
    """True when the store says anything about the resource, in the default graph or in any named graph."""
    r = iri(resource)
    return ask(f"ASK {{ {{ {r} ?p ?o }} UNION {{ GRAPH ?g {{ {r} ?p ?o }} }} }}")


def describe(resource: str) -> Description:
    """Facts (with graphs and evidence), incoming links and labels of a resource."""
    r = iri(resource)
    grouped: dict[tuple[str, str], Fact] = {}
    for row in select(f"SELECT ?p ?o ?g (DATATYPE(?o) AS ?dt) (isIRI(?o) AS ?isIri) (isBlank(?o) AS ?isBlank) "
                      f"WHERE {{ GRAPH ?g {{ {r} ?p ?o }} }} LIMIT 2000"):
        kind = "uri" if row["isIri"] == "true" else "bnode" if row["isBlank"] == "true" else "literal"
        fact = grouped.setdefault((row["p"], row["o"]), Fact(row["p"], row["o"], kind, row.get("dt")))
        fact.graphs.add(row["g"])
    for row in select(f"SELECT DISTINCT ?p ?o ?evidence ?line ?src WHERE {{ ?st rdf:subject {r} ; rdf:predicate ?p ; "
                      f"rdf:object ?o ; cg:evidence ?evidence ; prov:wasDerivedFrom ?src OPTIONAL {{ ?st cg:sourceLine ?line }} }}"):
        fact = grouped.get((row["p"], row["o"]))
        if fact is not None:
            fact.evidence.append((row["evidence"], row.get("line", ""), row["src"]))
    incoming = select(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {r} FILTER(?p != rdf:subject && ?p != rdf:object) }} ORDER BY ?p ?s LIMIT 300")
    graphs = {g for f in grouped.values() for g in f.graphs}
    sources: dict[str, str] = {}
    if graphs:
        values = " ".join(iri(g) for g in graphs)
        rows = select(f"SELECT DISTINCT ?g ?src WHERE {{ VALUES ?g {{ {values} }} ?g prov:wasDerivedFrom ?src }}")
        sources = {row["g"]: row["src"] for row in rows}
    mentioned = {resource} | {f.predicate for f in grouped.values()} | {f.value for f in grouped.values() if f.kind == "uri"}
    mentioned |= {row["s"] for row in incoming} | {row["p"] for row in incoming} | set(sources.values())
    facts = sorted(grouped.values(), key=lambda f: (f.predicate, f.value))
    return Description(resource, facts, incoming, labels(mentioned), sources, known(mentioned | set(graphs)))


def known(iris: set[str]) -> set[str]:
    """The IRIs among these that the store has statements about (a link to any other would be a 404)."""
    candidates = sorted(i for i in iris if is_absolute_iri(i))
    found: set[str] = set()
    for start in range(0, len(candidates), 500):
        values = " ".join(iri(i) for i in candidates[start:start + 500])
        found |= {r["x"] for r in select(f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o }}")}
    return found


def counts_by_class() -> list[dict[str, str]]:
    """How many resources of each curriculum class the dataset holds."""
    return select("""SELECT ?class ?label (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a ?class . ?class rdfs:label ?label
                     FILTER(STRSTARTS(STR(?class), STR(cg:))) } GROUP BY ?class ?label ORDER BY DESC(?n) ?label""")


def programmes() -> list[dict[str, str]]:
    """Every programme with its name and how many courses it has."""
    return select("""SELECT ?p (SAMPLE(?n) AS ?name) (COUNT(DISTINCT ?c) AS ?courses) WHERE { ?p a cg:Programme ; schema:name ?n
                     OPTIONAL { ?p cg:hasCourse ?c } } GROUP BY ?p ORDER BY ?name""")


def search(text: str) -> list[dict[str, str]]:
    """Resources whose name, description, tags, themes or key areas mention the text."""
    needle = sparql_string(text.lower())
    return select(f"""SELECT ?r (SAMPLE(?n) AS ?name) (SAMPLE(?classLabel) AS ?kind) WHERE {{
        ?r schema:name ?n . {{ ?r schema:name ?t }} UNION {{ ?r schema:description ?t }} UNION {{ ?r cg:tag ?t }}
        UNION {{ ?r cg:theme ?t }} UNION {{ ?r cg:keyArea ?t }}
        FILTER(CONTAINS(LCASE(STR(?t)), {needle}))
        OPTIONAL {{ ?r a ?c . ?c rdfs:label ?classLabel FILTER(STRSTARTS(STR(?c), STR(cg:))) }}
    }} GROUP BY ?r ORDER BY ?name LIMIT 200""")


def semester_table(programme: str) -> list[dict[str, str]]:
    """A programme's courses by semester: status, pillar, credits."""
    return select(f"""SELECT DISTINCT ?semester ?status ?course ?name ?pillar ?pillarName ?credits WHERE {{
        {iri(programme)} cg:hasOffering ?o . ?o cg:offeredCourse ?course ; cg:semesterNumber ?semester ; cg:status/rdfs:label ?status .
        ?course schema:name ?name . OPTIONAL {{ ?course cg:pillar ?pillar . ?pillar skos:prefLabel ?pillarName }}
        OPTIONAL {{ ?course cg:credits ?credits }} }} ORDER BY ?semester DESC(?status) ?name""")


def requirements(programme: str) -> list[dict[str, str]]:
    """A programme's requirements; options of a requirement with alternatives share its ?requirement."""
    return select(f"""SELECT DISTINCT ?requirement ?option ?choice ?description ?cefr WHERE {{
        {iri(programme)} cg:hasRequirement ?requirement .
        OPTIONAL {{ ?requirement cg:option ?alt }} BIND(COALESCE(?alt, ?requirement) AS ?option)
        BIND(BOUND(?alt) AS ?choice) ?option schema:description ?description OPTIONAL {{ ?option cg:cefrLevel ?cefr }}
        }} ORDER BY ?requirement ?option""")


def partners(programme: str) -> list[dict[str, str]]:
    """A programme's partners with role and country hint, coordinator first."""
    return select(f"""SELECT DISTINCT ?org ?name ?role ?hint WHERE {{ {iri(programme)} cg:hasPartner ?x .
        ?x cg:partnerOrganisation ?org ; cg:partnerRole/rdfs:label ?role . ?org schema:name ?name
        OPTIONAL {{ ?x cg:countryHint ?hint }} }} ORDER BY DESC(?role = "coordinator") ?name""")


def pillar_mix(programme: str) -> list[dict[str, str]]:
    """Courses and credits per pillar, mandatory and elective."""
    return select(f"""SELECT ?pillar ?status (COUNT(DISTINCT ?course) AS ?courses) (SUM(?c) AS ?credits) WHERE {{
        {{ SELECT DISTINCT ?course ?pillar ?status ?c WHERE {{ {iri(programme)} cg:hasOffering ?o . ?o cg:offeredCourse ?course ;
           cg:status/rdfs:label ?status . ?course cg:pillar/skos:prefLabel ?pillar OPTIONAL {{ ?course cg:credits ?cr }}
           BIND(COALESCE(?cr, 0) AS ?c) }} }} }} GROUP BY ?pillar ?status ORDER BY ?pillar ?status""")


def grouped(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    """Rows grouped by one column, in order."""
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        out[row.get(key, "")].append(row)
    return dict(out)


def schema_org_context(resource: str, is_programme: bool) -> dict[str, list]:
    """What a resource's schema.org JSON-LD needs beyond its own statements: providers (a course's are those of its
    programmes), the programmes a course belongs to, a programme's admission requirements as text."""
    r = iri(resource)
    if is_programme:
        providers = select(f"SELECT DISTINCT ?org ?name WHERE {{ {r} schema:provider ?org . ?org schema:name ?name }} ORDER BY ?name")
        rows = requirements(resource)
        prerequisites = []
        for options in grouped(rows, "requirement").values():
            texts = [o["description"] for o in options]
            prerequisites.append(texts[0] if options[0].get("choice") != "true" else "One of: " + "; ".join(texts))
        return {"providers": _first_names(providers), "programmes": [], "prerequisites": prerequisites}
    programmes = select(f"SELECT DISTINCT ?p ?name WHERE {{ ?p schema:hasCourse {r} ; schema:name ?name }} ORDER BY ?name")
    providers = select(f"""SELECT DISTINCT ?org ?name WHERE {{ ?p schema:hasCourse {r} ; schema:provider ?org .
        ?org schema:name ?name }} ORDER BY ?name""")
    return {"providers": _first_names(providers), "programmes": programmes, "prerequisites": []}


def _first_names(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per organisation (the first of its names), in order."""
    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        seen.setdefault(row["org"], row)
    return list(seen.values())
