"""Linked-data pages: every IRI under the base dereferences (HTML or RDF), plus search, comparison and ontology docs."""

import json
from collections.abc import Callable
from urllib.parse import urlparse

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from currigraph.build.manifest import GRAPH_KINDS
from currigraph.build.statistics import Statistics
from currigraph.export import catalogue
from currigraph.formats import HTML, JSON_LD, N_TRIPLES, RDF_XML, TURTLE, Format, negotiate
from currigraph.vocab import CG, SCHEMA, bind_prefixes, is_absolute_iri, sparql_string
from currigraph.web import page_data as data
from currigraph.web.data import backend, project_files, site_url
from currigraph.web.errors import HttpError

blueprint = Blueprint("pages", __name__)

# The first path segments of the IRIs the graph mints (docs/model.md), and the dataset's description (<base>dataset).
RESOURCE_ROOTS = {"programme", "course", "organisation", "pillar", "person", "track", "scheme", "source", "graph", "agent", "dataset"}
# What a resource's IRI answers with, HTML first; the RDF ones also by suffix (/programme/x.ttl).
RDF_FORMATS = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
PAGE_FORMATS = (HTML, *RDF_FORMATS)
SUFFIXES = {"." + f.extension: f for f in RDF_FORMATS}
SCHEMA_ORG_SUFFIX = ".schema.jsonld"


@blueprint.app_context_processor
def site_links() -> dict[str, str | None]:
    """Links pages need: the dataset description's and the ontology graph's paths (under the data's base)."""
    return {"dataset_path": local_path(str(catalogue.dataset_iri(base()))) or "/.well-known/void",
            "ontology_graph_path": local_path(base() + "graph/ontology")}


def base() -> str:
    """The configured base IRI of the data."""
    return current_app.config["BASE"]


def local_path(iri: str) -> str | None:
    """The path at which this server answers for an IRI, or None when the IRI is not ours."""
    if iri.startswith(str(CG)):
        return "/ontology#" + iri[len(str(CG)):]
    if iri == str(CG).rstrip("#"):
        return "/ontology"
    if not iri.startswith(base()):
        return None
    return urlparse(base()).path.rstrip("/") + "/" + iri[len(base()):]


def _negotiated(path_suffix: str | None) -> Format:
    if path_suffix:
        return SUFFIXES[path_suffix]
    return negotiate(PAGE_FORMATS, request.headers.get("Accept"))


def _alternates(path: str) -> str:
    links = [f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in RDF_FORMATS]
    return ", ".join([f'<{path}>; rel="alternate"; type="text/html"', *links])


def _rdf_response(resource: str, fmt: Format) -> Response:
    body = data.run(f"CONSTRUCT {{ {data.iri(resource)} ?p ?o }} WHERE {{ {data.iri(resource)} ?p ?o }}", fmt.name)
    return Response(body, content_type=fmt.content_type)


@blueprint.get("/<path:path>")
def resource(path: str) -> ResponseReturnValue:
    """Dereference an IRI under the base: HTML for people, RDF for machines, with Vary and Link headers."""
    if path.endswith(SCHEMA_ORG_SUFFIX):
        return _schema_org_only(path[: -len(SCHEMA_ORG_SUFFIX)])
    suffix = next((s for s in SUFFIXES if path.endswith(s)), None)
    clean = path[: -len(suffix)] if suffix else path
    if clean.split("/", 1)[0] not in RESOURCE_ROOTS:
        return not_found(f"/{path}")
    base_path = urlparse(base()).path.lstrip("/")
    resource_iri = base() + (clean[len(base_path):] if base_path and clean.startswith(base_path) else clean)
    if not is_absolute_iri(resource_iri):  # no IRI of ours has spaces, quotes...
        return not_found(resource_iri)
    fmt = _negotiated(suffix)
    if resource_iri == str(catalogue.dataset_iri(base())) or resource_iri in backend().manifest().kinds():
        response = _described(resource_iri, fmt)
    elif not data.exists(resource_iri):
        return not_found(resource_iri)
    else:
        response = _rdf_response(resource_iri, fmt) if fmt is not HTML else Response(_html(resource_iri))
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = _alternates(f"/{clean}")
    return response


def _statistics() -> Statistics:
    statistics = backend().statistics(wait=20.0)  # counted by the build, or in the background after a write
    if statistics is None:
        raise HttpError(503, "the dataset's statistics are being counted after a change; try again in a few seconds", {"Retry-After": "5"})
    return statistics


def _described(resource_iri: str, fmt: Format) -> Response:
    """The dataset's DCAT/VoID description, or one named graph's VoID description: a page, or RDF by negotiation."""
    statistics, kinds = _statistics(), backend().manifest().kinds()
    is_dataset = resource_iri == str(catalogue.dataset_iri(base()))
    if fmt is not HTML:
        if is_dataset:
            graph = catalogue.dataset_description(statistics, site_url(), base(), kinds)
        else:
            graph = catalogue.graph_description(statistics, site_url(), base(), resource_iri, kinds[resource_iri])
            node = data.iri(resource_iri)  # and what the store says about the graph (a source graph's provenance)
            graph.parse(data=data.run(f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}", TURTLE.name), format="turtle")
        return Response(graph.serialize(format=fmt.rdflib), content_type=fmt.content_type)
    if is_dataset:
        return Response(render_template("dataset.html", **_dataset_page(statistics, kinds)))
    return Response(render_template("graph.html", **_graph_page(resource_iri, kinds[resource_iri], statistics)))


def _dataset_page(statistics: Statistics, kinds: dict[str, str]) -> dict:
    site = site_url()
    graphs = [{"iri": g, "path": local_path(g), "kind": kinds.get(g, "graph"), "counts": counts,
               "title": catalogue.GRAPH_KINDS.get(kinds.get(g, ""), ("Named graph",))[0]}
              for g, counts in sorted(statistics.graphs.items()) if counts.triples]
    return {"iri": str(catalogue.dataset_iri(base())), "path": local_path(str(catalogue.dataset_iri(base()))), "site": site,
            "distributions": catalogue.DISTRIBUTIONS, "keywords": catalogue.KEYWORDS, "graphs": graphs, "total": statistics.dataset}


def _graph_page(graph: str, kind: str, statistics: Statistics) -> dict:
    title, description = catalogue.GRAPH_KINDS.get(kind, ("Named graph", "A named graph of the dataset."))
    sources = data.select(f"SELECT DISTINCT ?src ?name WHERE {{ {data.iri(graph)} prov:wasDerivedFrom ?src "
                          "OPTIONAL { ?src cg:fileName ?name } }")
    exports = [(label, f"/export?format=trig&graphs={which}") for which, label in (("asserted", "all asserted graphs"),
               ("inferred", "all inferred graphs")) if kind in GRAPH_KINDS[which]]
    return {"iri": graph, "path": local_path(graph), "kind": kind, "title": title, "description": description,
            "counts": statistics.graphs.get(graph), "dump": catalogue.graph_dump_url(site_url(), graph),
            "sources": [(local_path(r["src"]), r.get("name") or r["src"]) for r in sources], "exports": exports,
            "dataset": local_path(str(catalogue.dataset_iri(base())))}


def _schema_org_only(path: str) -> Response:
    """The schema.org JSON-LD of a programme or course on its own (what the page embeds)."""
    resource_iri = base() + path
    if path.split("/", 1)[0] not in ("programme", "course") or not is_absolute_iri(resource_iri) or not data.exists(resource_iri):
        return not_found(resource_iri)
    description = data.describe(resource_iri)
    if not description.types() & {str(CG.Programme), str(CG.Course)}:
        return not_found(resource_iri)
    return Response(json.dumps(schema_org(description), indent=2, ensure_ascii=False), mimetype="application/ld+json")


def not_found(what: str) -> Response:
    """The 404 page."""
    return Response(render_template("not_found.html", what=what), status=404)


def _html(resource_iri: str) -> str:
    description = data.describe(resource_iri)
    types = description.types()
    extra: dict = {}
    if str(CG.Programme) in types:
        extra = {
            "semesters": data.grouped(data.semester_table(resource_iri), "semester"),
            "requirements": data.grouped(data.requirements(resource_iri), "requirement"),
            "partners": data.partners(resource_iri),
            "mix": data.pillar_mix(resource_iri),
        }
        extra["chart"] = _pillar_chart(extra["mix"])
    if str(CG.SourceDocument) in types:
        source = data.iri(resource_iri)
        extra["evidence"] = data.select(f"""SELECT DISTINCT ?s ?p ?o ?evidence ?line WHERE {{ ?st prov:wasDerivedFrom {source} ;
            cg:evidence ?evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o OPTIONAL {{ ?st cg:sourceLine ?line }} }}
            ORDER BY ?line ?s ?p""")
        # The extraction report the converter kept (cg:extractionNote; warnings are notes too, by subproperty).
        extra["report"] = data.select(f"""SELECT DISTINCT ?note ?warning WHERE {{ {{ {source} cg:extractionNote ?note }}
            UNION {{ {source} cg:extractionWarning ?warning }} }}""")
        extra["labels"] = data.labels({r["s"] for r in extra["evidence"]} | {r["o"] for r in extra["evidence"] if r["o"].startswith("http")}
                                      | {r["p"] for r in extra["evidence"]})
    jsonld = schema_org(description) if types & {str(CG.Programme), str(CG.Course)} else None
    pages = description.known | set(backend().manifest().kinds()) | {resource_iri}

    def local(iri: str) -> str | None:  # only IRIs that answer: a referenced course no source describes stays text
        return local_path(iri) if iri in pages else None

    return render_template("resource.html", d=description, extra=extra, jsonld=jsonld, local=local,
                           is_programme=str(CG.Programme) in types)


def _pillar_chart(mix: list[dict[str, str]]) -> dict:
    """A Vega-Lite spec: courses per pillar, stacked by mandatory/elective, with credits in the tooltip."""
    values = [{"pillar": r["pillar"], "status": r["status"], "courses": int(r["courses"]), "credits": float(r.get("credits") or 0)}
              for r in mix]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Courses per pillar, mandatory and elective",
        "data": {"values": values}, "mark": "bar", "width": "container", "height": 160,
        "encoding": {
            "y": {"field": "pillar", "type": "nominal", "title": "Pillar"},
            "x": {"field": "courses", "type": "quantitative", "title": "Courses", "axis": {"tickMinStep": 1}},
            "color": {"field": "status", "type": "nominal", "title": "Status"},
            "tooltip": [{"field": "pillar"}, {"field": "status"}, {"field": "courses"}, {"field": "credits", "title": "credits"}],
        },
    }


def schema_org(d: data.Description) -> dict:
    """schema.org JSON-LD for a programme or course, every term within schema.org's domains and ranges.

    Google's Course guidance wants a name, a description and a provider: a course's providers are those of the
    programmes it belongs to, and a course or programme without a description of its own gets a summary of what the
    graph says about it. Credits are a QuantitativeValue with their unit (numberOfCredits expects an Integer or a
    StructuredValue), pillars DefinedTerms, requirements Text. Course instances (dates, modes) are not in the data.
    """
    values = _values(d)
    is_programme = str(CG.Programme) in d.types()
    node: dict = {"@context": {"@vocab": str(SCHEMA)}, "@id": d.iri,
                  "@type": "EducationalOccupationalProgram" if is_programme else "Course", "name": d.name}
    related = data.schema_org_context(d.iri, is_programme)
    description = values(SCHEMA.description) or values(CG.endGoal)
    node["description"] = description[0] if description else _summary(d, is_programme, related)
    if alternate := values(SCHEMA.alternateName):
        node["alternateName"] = alternate
    providers = related["providers"]
    if providers:
        node["provider"] = [{"@type": "Organization", "@id": r["org"], "name": r["name"]} for r in providers]
    if is_programme:
        courses = [f.value for f in d.facts if f.predicate == str(SCHEMA.hasCourse)]
        if courses:
            node["hasCourse"] = [{"@type": "Course", "@id": c, "name": d.labels.get(c, c)} for c in courses]
        if prerequisites := related["prerequisites"]:
            node["programPrerequisites"] = prerequisites
        if degree := values(CG.degree):
            node["educationalCredentialAwarded"] = degree[0]
        if code := values(CG.courseCode):
            node["identifier"] = code[0]  # schema:courseCode is for courses only
        return node
    if code := values(CG.courseCode):
        node["courseCode"] = code[0]
    # The ECTS value when the data has one; else the credits as written, in their unit (ECTS when none is written).
    ects, credits, unit = values(CG.ectsCredits), values(CG.credits), values(CG.creditUnit)
    if ects or credits:
        node["numberOfCredits"] = {"@type": "QuantitativeValue", "value": _number((ects or credits)[0]),
                                   "unitText": "ECTS" if ects or not unit else unit[0]}
    if language := values(SCHEMA.inLanguage):
        node["inLanguage"] = language[0]
    pillars = [f.value for f in d.facts if f.predicate == str(CG.pillar)]
    if pillars:
        node["about"] = [{"@type": "DefinedTerm", "@id": p, "name": d.labels.get(p, p)} for p in pillars]
    if themes := values(CG.theme):
        node["teaches"] = themes
    if tags := values(CG.tag):
        node["keywords"] = ", ".join(tags)
    return node


def _values(d: data.Description) -> Callable[[URIRef], list[str]]:
    """A function giving the literal values of a property of the described resource, in a stable order."""

    def values(predicate: URIRef) -> list[str]:
        return sorted({f.value for f in d.facts if f.predicate == str(predicate) and f.kind == "literal"})

    return values


def _number(text: str) -> int | float:
    """A number from its lexical form: 6 for "6" or "6.0", 7.5 for "7.5"."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _summary(d: data.Description, is_programme: bool, related: dict) -> str:
    """A one-sentence description from what the graph says (for resources whose source gives none)."""
    if is_programme:
        providers = ", ".join(r["name"] for r in related["providers"])
        return f"{d.name}: a study programme" + (f" provided by {providers}." if providers else ".")
    programmes = ", ".join(sorted({r["name"] for r in related["programmes"]}))
    pillars = ", ".join(d.labels.get(f.value, f.value) for f in d.facts if f.predicate == str(CG.pillar))
    return (f"{d.name}: a course" + (f" of {programmes}" if programmes else "") + (f" in the pillar {pillars}" if pillars else "") + ".")


# Paths crawlers are asked to leave alone: query endpoints, whole-dataset exports, forms and unbounded searches.
ROBOTS_DISALLOW = ("/sparql", "/export", "/api/", "/validate", "/courses", "/search")
SITEMAP_PAGE_SIZE = 50_000  # the sitemap protocol's limit of URLs per file


@blueprint.get("/robots.txt")
def robots() -> ResponseReturnValue:
    """What crawlers may fetch (the linked-data pages), and where the sitemap is."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /", "", f"Sitemap: {site_url()}sitemap.xml"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def _pages_filter() -> str:
    """IRIs under the base with a page of their own: not ontology terms (on /ontology), not graphs (from the manifest)."""
    return (f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {sparql_string(base())}) && !CONTAINS(STR(?s), \"#\") "
            f"&& !STRSTARTS(STR(?s), {sparql_string(base() + 'graph/')}) && ?s != <{str(CG).rstrip('#')}>)")


def _page_iris(offset: int, limit: int) -> list[str]:
    """A stretch of the pages' IRIs, in a stable order."""
    rows = data.select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o {_pages_filter()} }} ORDER BY ?s LIMIT {limit} OFFSET {offset}")
    return [r["s"] for r in rows]


def _page_count() -> int:
    rows = data.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o {_pages_filter()} }}")
    return int(rows[0]["n"]) if rows else 0


@blueprint.get("/sitemap.xml")
def sitemap() -> ResponseReturnValue:
    """The linked-data pages for crawlers: one sitemap, or past SITEMAP_PAGE_SIZE URLs an index of numbered pages."""
    from xml.etree import ElementTree as ET

    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    size = int(current_app.config.get("SITEMAP_PAGE_SIZE") or SITEMAP_PAGE_SIZE)
    site = site_url()
    # The home page, the ontology, the comparison, the dataset description and the named graphs come first.
    head = [site, site + "ontology", site + "compare", site + (local_path(str(catalogue.dataset_iri(base()))) or "").lstrip("/")]
    head += [site + (local_path(g) or "").lstrip("/") for g in backend().manifest().kinds()]
    total = len(head) + _page_count()
    page = request.args.get("page")
    if page is None and total > size:
        root = ET.Element("sitemapindex", xmlns=namespace)
        for number in range(1, (total + size - 1) // size + 1):
            ET.SubElement(ET.SubElement(root, "sitemap"), "loc").text = f"{site}sitemap.xml?page={number}"
    else:
        number = int(page) if page and page.isdigit() else 1
        if number < 1 or (number - 1) * size >= total:
            raise HttpError(404, f"the sitemap has {max(1, (total + size - 1) // size)} page(s)")
        start = (number - 1) * size
        urls = head[start:start + size]
        if len(urls) < size:
            urls += [site + (local_path(i) or "").lstrip("/") for i in _page_iris(max(0, start - len(head)), size - len(urls))]
        root = ET.Element("urlset", xmlns=namespace)
        for url in urls:
            ET.SubElement(ET.SubElement(root, "url"), "loc").text = url
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/xml")


@blueprint.get("/search")
def search() -> ResponseReturnValue:
    """Search programmes, courses and more by name or topic."""
    text = request.args.get("q", "").strip()[:200]
    results = data.search(text) if text else []
    return render_template("search.html", q=text, results=results, local=local_path)


@blueprint.get("/compare")
def compare() -> ResponseReturnValue:
    """Programmes side by side: pillar mix, and the topics they share."""
    chosen = request.args.getlist("programme") or [p["p"] for p in data.programmes()]
    chosen = [p for p in chosen if p.startswith(base()) and is_absolute_iri(p)][:6]
    names = data.labels(set(chosen))
    mixes = {p: data.pillar_mix(p) for p in chosen}
    pillars = sorted({r["pillar"] for rows in mixes.values() for r in rows})
    table = {p: {pillar: sum(int(r["courses"]) for r in mixes[p] if r["pillar"] == pillar) for pillar in pillars} for p in chosen}
    topics = {}
    for p in chosen:
        rows = data.select(f"""SELECT DISTINCT ?t WHERE {{ {{ {data.iri(p)} cg:keyArea ?t }} UNION {{ {data.iri(p)} cg:hasCourse ?c .
            {{ ?c cg:tag ?t }} UNION {{ ?c cg:pillar/skos:prefLabel ?t }} }} }}""")
        topics[p] = {r["t"].lower() for r in rows}
    shared = sorted(set.intersection(*topics.values())) if len(topics) > 1 else []
    chart = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "description": "Courses per pillar for each programme",
             "data": {"values": [{"programme": names.get(p, p), "pillar": k, "courses": v} for p in chosen for k, v in table[p].items()]},
             "mark": "bar", "width": "container", "height": 200,
             "encoding": {"x": {"field": "pillar", "type": "nominal"}, "y": {"field": "courses", "type": "quantitative"},
                          "xOffset": {"field": "programme"}, "color": {"field": "programme", "type": "nominal"}}}
    return render_template("compare.html", chosen=chosen, names=names, pillars=pillars, table=table, shared=shared,
                           chart=chart, local=local_path, all_programmes=data.programmes())


@blueprint.get("/ontology")
def ontology() -> ResponseReturnValue:
    """The ontology, as a readable page generated from the ontology graph, or as RDF."""
    graph: Graph = project_files().ontology
    fmt = _negotiated(None)
    if fmt is not HTML:
        response = Response(bind_prefixes(graph).serialize(format=fmt.rdflib), content_type=fmt.content_type)
    else:
        response = Response(render_template("ontology.html", **_ontology_terms(graph)))
    response.headers["Vary"] = "Accept"
    return response


def _ontology_terms(graph: Graph) -> dict:
    def label(node: URIRef) -> str:
        return str(graph.value(node, RDFS.label) or graph.namespace_manager.normalizeUri(node))

    def term(node: URIRef) -> dict:
        return {"id": str(node)[len(str(CG)):], "iri": str(node), "label": label(node),
                "comment": str(graph.value(node, RDFS.comment) or ""),
                "supers": [(str(o), graph.namespace_manager.normalizeUri(o)) for o in graph.objects(node, RDFS.subClassOf)]
                + [(str(o), graph.namespace_manager.normalizeUri(o)) for o in graph.objects(node, RDFS.subPropertyOf)],
                "domain": [graph.namespace_manager.normalizeUri(o) for o in graph.objects(node, RDFS.domain)],
                "range": [graph.namespace_manager.normalizeUri(o) for o in graph.objects(node, RDFS.range)],
                "inverse": [graph.namespace_manager.normalizeUri(o) for o in graph.objects(node, OWL.inverseOf)]}

    def ours(kind: URIRef) -> list[dict]:
        nodes = sorted((s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(CG))), key=str)
        return [term(s) for s in nodes]

    meta = URIRef(str(CG).rstrip("#"))
    return {"title": str(graph.value(meta, URIRef("http://purl.org/dc/terms/title")) or "Ontology"),
            "description": str(graph.value(meta, URIRef("http://purl.org/dc/terms/description")) or ""),
            "classes": ours(OWL.Class), "object_properties": ours(OWL.ObjectProperty),
            "datatype_properties": ours(OWL.DatatypeProperty), "individuals": ours(OWL.NamedIndividual), "namespace": str(CG)}


