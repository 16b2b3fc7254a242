"""The RDF vocabulary the intake scorer reads: every term it looks for, and the SPARQL that reads them, in one place.

When the ontology grows, this is the file to update. Two things keep it from going stale on its own: every
term listed here also matches its sub-properties / sub-classes (and inverses) declared in ontology/*.ttl, so a
new sub-property of schema:provider is read as a provider without a change here; and `planned_missing` tells
which of the planned terms (docs/intake-scoring.md) the ontology does not declare yet.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDFS, Graph, URIRef

PREFIXES = {
    "cg": "https://data.currigraph.org/ontology#",
    "schema": "http://schema.org/",
    "rdfs": str(RDFS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}

# Role -> terms. A role is what the scorer needs to know ("the credits of a course"), the terms are how the
# graph may say it. Today's terms are documented in docs/model.md; PLANNED lists the ones the intake work adds.
TERMS: dict[str, tuple[str, ...]] = {
    # Entities, by class.
    "programme_class": ("cg:Programme", "schema:EducationalOccupationalProgram"),
    "course_class": ("cg:Course", "schema:Course"),
    "organisation_class": ("cg:Organisation", "schema:Organization"),
    "person_class": ("cg:Person", "schema:Person"),
    "track_class": ("cg:Track",),
    "choice_class": ("cg:RequirementChoice",),
    # Names: rdfs:label duplicates schema:name in converter output; all of a node's names are one set, so
    # reading both adds no fact.
    "name": ("schema:name", "schema:alternateName", "rdfs:label", "skos:prefLabel"),
    # Programme -> course, and offerings (course in a programme and a semester).
    "programme_course": ("schema:hasCourse", "cg:hasCourse"),
    "course_programme": ("cg:courseOf",),
    "mandatory_course": ("cg:hasMandatoryCourse",),
    "elective_course": ("cg:hasElectiveCourse",),
    "has_offering": ("cg:hasOffering",),
    "offered_course": ("cg:offeredCourse",),
    "in_semester": ("cg:inSemester",),
    "status": ("cg:status",),
    "mandatory_status": ("cg:Mandatory",),
    "elective_status": ("cg:Elective",),
    "mandatory_flag": ("cg:mandatory",),
    # Programme attributes.
    "degree": ("cg:degree",),
    "language": ("schema:inLanguage",),
    "english_only": ("cg:englishOnly",),
    "total_credits": ("cg:totalCredits",),
    "number_of_semesters": ("cg:numberOfSemesters",),
    "duration_years": ("cg:durationYears",),
    "code": ("cg:courseCode",),
    # Course attributes (also read on offerings).
    "credits": ("cg:credits",),
    "credit_unit": ("cg:creditUnit",),
    "ects_credits": ("cg:ectsCredits",),
    "study_year": ("cg:studyYear",),
    "semester_number": ("cg:semesterNumber",),
    "term": ("cg:term",),
    "in_track": ("cg:inTrack",),
    "theme": ("cg:theme",),
    "end_goal": ("cg:endGoal",),
    # Organisations: who provides a programme (or course), and units within units.
    "provider": ("schema:provider", "cg:providedBy", "cg:partnerInstitution", "cg:coordinator"),
    "has_partner": ("cg:hasPartner",),
    "partner_organisation": ("cg:partnerOrganisation",),
    "parent": ("schema:parentOrganization", "cg:parentOrganisation"),
    "mentions_organisation": ("cg:mentionsOrganisation",),
    # Requirements.
    "has_requirement": ("schema:programPrerequisites", "cg:hasRequirement"),
    "option": ("cg:option",),
    "requirement_text": ("schema:description", "cg:credentialName", "schema:name", "rdfs:label"),
    "requirement_description": ("schema:description",),  # preferred as an option's text in a choice
    # People.
    "has_role": ("cg:hasRole",),
    "role_text": ("cg:roleTitle", "cg:roleName", "schema:name", "rdfs:label"),
    "role_in": ("cg:roleIn",),
    "honorific": ("schema:honorificPrefix",),
}

# Terms the intake work is to add to the ontology (the scorer reads them already).
PLANNED = ("cg:courseCode", "cg:creditUnit", "cg:ectsCredits", "cg:studyYear", "cg:term", "cg:mandatory",
           "cg:totalCredits", "cg:durationYears", "schema:honorificPrefix")

# The unit of a course's cg:credits written without cg:creditUnit. Today's ontology defines cg:credits as "the
# study credits (ECTS) a course is worth", so such a value is read as ECTS. When cg:credits becomes "the number as
# written" (with cg:creditUnit beside it), set this to None: a value without a unit then matches only expected
# credits whose unit the expected file does not give either. (cg:totalCredits, planned, has no default unit.)
CREDITS_UNIT_WHEN_UNSTATED: str | None = "ECTS"

# The SPARQL the facts come from. {P:role} is a property path of the role's terms ("(<a>|<b>)"), {V:role}
# their IRIs for a VALUES block. Every query reads the union of the document's graphs.
QUERIES: dict[str, str] = {
    "names": "SELECT ?s ?v WHERE { ?s {P:name} ?v FILTER(isLiteral(?v)) }",
    "typed": """SELECT ?s ?kind WHERE {
        { ?s a ?c VALUES ?c { {V:programme_class} } BIND("programme" AS ?kind) }
        UNION { ?s a ?c VALUES ?c { {V:course_class} } BIND("course" AS ?kind) }
        UNION { ?s a ?c VALUES ?c { {V:organisation_class} } BIND("organisation" AS ?kind) }
        UNION { ?s a ?c VALUES ?c { {V:person_class} } BIND("person" AS ?kind) }
        UNION { ?s a ?c VALUES ?c { {V:track_class} } BIND("track" AS ?kind) }
        UNION { ?s a ?c VALUES ?c { {V:choice_class} } BIND("choice" AS ?kind) } }""",
    # Programme -> course links (directly, from the course's side, or through an offering).
    "course_links": """SELECT ?p ?c WHERE {
        { ?p {P:programme_course} ?c } UNION { ?c {P:course_programme} ?p }
        UNION { ?p {P:has_offering} ?o . ?o {P:offered_course} ?c } }""",
    # What an offering says about its course in its programme.
    "offering_values": """SELECT ?p ?c ?attr ?v WHERE {
        ?p {P:has_offering} ?o . ?o {P:offered_course} ?c .
        { ?o {P:semester_number} ?v BIND("semester" AS ?attr) }
        UNION { ?o {P:in_semester} ?s . ?s {P:semester_number} ?v BIND("semester" AS ?attr) }
        UNION { ?o {P:status} ?v BIND("status" AS ?attr) }
        UNION { ?o {P:mandatory_flag} ?v BIND("status" AS ?attr) }
        UNION { ?o {P:study_year} ?v BIND("year" AS ?attr) }
        UNION { ?o {P:term} ?v BIND("term" AS ?attr) } }""",
    "status_links": """SELECT ?p ?c ?v WHERE {
        { ?p {P:mandatory_course} ?c BIND("mandatory" AS ?v) } UNION { ?p {P:elective_course} ?c BIND("elective" AS ?v) } }""",
    # Values on a node (programme or course); which ones count depends on what the node is.
    "values": """SELECT ?s ?attr ?v ?unit WHERE {
        { ?s {P:code} ?v BIND("code" AS ?attr) }
        UNION { ?s {P:credits} ?v BIND("credits" AS ?attr) OPTIONAL { ?s {P:credit_unit} ?unit } }
        UNION { ?s {P:total_credits} ?v BIND("total_credits" AS ?attr) OPTIONAL { ?s {P:credit_unit} ?unit } }
        UNION { ?s {P:ects_credits} ?v BIND("credits" AS ?attr) BIND("ECTS" AS ?unit)
                FILTER(NOT EXISTS { ?s {P:credits} ?n } || EXISTS { ?st rdf:subject ?s ; rdf:object ?v ; rdf:predicate ?ep
                                                                      VALUES ?ep { {V:ects_credits} } }) }
        UNION { ?s {P:study_year} ?v BIND("year" AS ?attr) }
        UNION { ?s {P:semester_number} ?v BIND("semester" AS ?attr) }
        UNION { ?s {P:term} ?v BIND("term" AS ?attr) }
        UNION { ?s {P:mandatory_flag} ?v BIND("status" AS ?attr) }
        UNION { ?s {P:language} ?v BIND("language" AS ?attr) }
        UNION { ?s {P:english_only} true BIND("en" AS ?v) BIND("language" AS ?attr) }
        UNION { ?s {P:degree} ?v BIND("degree" AS ?attr) }
        UNION { ?s {P:number_of_semesters} ?v BIND("semesters" AS ?attr) }
        UNION { ?s {P:duration_years} ?v BIND("years" AS ?attr) }
        UNION { ?s {P:theme} ?v BIND("topic" AS ?attr) }
        UNION { ?s {P:end_goal} ?v BIND("outcome" AS ?attr) } }""",
    # Providers: the organisations that provide (or partner in) a programme or course, and the organisations
    # those are part of (a programme of a faculty is provided within its university).
    "providers": """SELECT DISTINCT ?s ?org WHERE {
        { ?s {P:provider} ?x } UNION { ?s {P:has_partner} ?n . ?n {P:partner_organisation} ?x }
        ?x {P:parent}* ?org }""",
    "parents": "SELECT ?unit ?parent WHERE { ?unit {P:parent} ?parent }",
    "mentioned": "SELECT ?org WHERE { ?s {P:mentions_organisation} ?org }",
    # A track belongs to a programme it is linked to (either way, by any predicate) or through a course of it.
    "track_links": """SELECT DISTINCT ?p ?t WHERE {
        { ?t a ?c VALUES ?c { {V:track_class} } } UNION { ?x {P:in_track} ?t }
        { ?p ?link ?t } UNION { ?t ?link ?p } }""",
    "course_tracks": "SELECT ?c ?t WHERE { ?c {P:in_track} ?t }",
    "requirements": """SELECT ?p ?r WHERE { ?p {P:has_requirement} ?top . ?top {P:option}* ?r }""",
    "options": "SELECT ?choice ?r WHERE { ?choice {P:option} ?r }",
    "requirement_texts": "SELECT ?r ?v ?description WHERE { ?r {P:requirement_text} ?v FILTER(isLiteral(?v)) "
                         "BIND(EXISTS { ?r {P:requirement_description} ?v } AS ?description) }",
    "roles": """SELECT ?person ?a ?role ?target WHERE {
        ?person {P:has_role} ?a . OPTIONAL { ?a {P:role_text} ?role FILTER(isLiteral(?role)) } OPTIONAL { ?a {P:role_in} ?target } }""",
    "honorifics": "SELECT ?person ?v WHERE { ?person {P:honorific} ?v }",
    "statuses": "SELECT ?iri ?status WHERE { { VALUES ?iri { {V:mandatory_status} } BIND(\"mandatory\" AS ?status) } "
                "UNION { VALUES ?iri { {V:elective_status} } BIND(\"elective\" AS ?status) } }",
}

# Predicates whose subjects / objects are entities of a kind even when untyped (the ontology's domains and
# ranges would type them under reasoning; the scorer does not reason).
IMPLIED = {
    "programme": (("programme_course", "s"), ("course_programme", "o"), ("has_offering", "s"), ("has_requirement", "s")),
    "course": (("programme_course", "o"), ("course_programme", "s"), ("offered_course", "o")),
    "organisation": (("provider", "o"), ("partner_organisation", "o"), ("parent", "s"), ("parent", "o"), ("mentions_organisation", "o")),
    "person": (("has_role", "s"),),
    "track": (("in_track", "o"),),
}


def expand(curie: str) -> str:
    """An IRI from a CURIE of PREFIXES."""
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


@dataclass
class Vocabulary:
    """The scorer's terms, widened by what the ontology declares beneath them."""

    terms: dict[str, tuple[str, ...]]
    declared: set[str]

    def iris(self, role: str) -> tuple[str, ...]:
        """The IRIs of a role, sorted (the listed terms and their sub-terms)."""
        return self.terms[role]

    def query(self, name: str) -> str:
        """A query of QUERIES with its {P:role} and {V:role} filled in."""

        def fill(match: re.Match[str]) -> str:
            iris = [f"<{iri}>" for iri in self.iris(match.group(2))]
            return f"({'|'.join(iris)})" if match.group(1) == "P" else " ".join(iris)

        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        return prologue + re.sub(r"\{([PV]):(\w+)\}", fill, QUERIES[name])

    def pairs_query(self, role: str) -> str:
        """A query of the subject and object of every triple whose predicate is one of a role's terms."""
        return f"SELECT ?s ?o WHERE {{ ?s ({'|'.join(f'<{iri}>' for iri in self.iris(role))}) ?o }}"

    def implied(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Entity kind -> (role, position) of predicates that imply it."""
        return IMPLIED

    def planned_missing(self) -> list[str]:
        """The planned terms the ontology does not declare yet."""
        return [curie for curie in PLANNED if expand(curie) not in self.declared]


def load_vocabulary(ontology_dir: Path) -> Vocabulary:
    """TERMS with every sub-property, sub-class and inverse the ontology declares beneath them."""
    graph = Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    declared = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    below: dict[str, set[str]] = {}
    for predicate in (RDFS.subPropertyOf, RDFS.subClassOf):
        for sub, sup in graph.subject_objects(predicate):
            below.setdefault(str(sup), set()).add(str(sub))
    inverse: dict[str, set[str]] = {}
    for a, b in graph.subject_objects(OWL.inverseOf):
        inverse.setdefault(str(a), set()).add(str(b))
        inverse.setdefault(str(b), set()).add(str(a))

    def closure(iris: set[str]) -> set[str]:
        found, todo = set(iris), list(iris)
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    terms = {role: tuple(sorted(closure({expand(c) for c in curies}))) for role, curies in TERMS.items()}
    # A declared inverse of a programme->course property is a course->programme one, and the other way round.
    forward = set(terms["programme_course"])
    backward = set(terms["course_programme"])
    terms["course_programme"] = tuple(sorted(closure(backward | {i for f in forward for i in inverse.get(f, ())})))
    terms["programme_course"] = tuple(sorted(closure(forward | {i for b in backward for i in inverse.get(b, ())})))
    return Vocabulary(terms, declared)
