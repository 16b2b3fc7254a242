"""The dataset's own description: DCAT-AP 3 (catalogue, dataset, distributions, SPARQL service) and VoID statistics.

Identifiers never depend on the host a request names: the catalogue, the dataset, its publisher, service and
distributions are IRIs under the data's base (`<base>dataset` and fragments of it), and each named graph is
described under its own IRI (`<base>graph/...`), so all of them dereference on the server like any other resource.
Only locators (download and endpoint URLs, the home page) are URLs of the server, from its public URL.

What DCAT-AP 3.0.0 recommends and the data cannot say (licence, contact point, dates, spatial and temporal coverage,
availability, publisher type) is left out rather than invented; docs/catalogue.md lists it.
"""

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS, XSD

from currigraph.build.statistics import GraphStatistics, Statistics
from currigraph.vocab import SD, VOID, bind_prefixes

# Export formats offered as distributions: (format parameter, media type, EU file type, title).
DISTRIBUTIONS = [
    ("turtle", "text/turtle", "RDF_TURTLE", "Turtle"),
    ("json-ld", "application/ld+json", "JSON_LD", "JSON-LD"),
    ("nt", "application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
    ("xml", "application/rdf+xml", "RDF_XML", "RDF/XML"),
    ("trig", "application/trig", "RDF_TRIG", "TriG (named graphs kept)"),
    ("nquads", "application/n-quads", "RDF_N_QUADS", "N-Quads (named graphs kept)"),
]

# What each kind of named graph holds (titles and descriptions of the graphs, in RDF and on their pages).
GRAPH_KINDS = {
    "source": ("Source document graph", "The statements converted from one source document, with their provenance (PROV-O)."),
    "published": ("Published course graph", "A course published through the server's API, as it was submitted and checked."),
    "shared": ("Shared statements", "Statements about resources several source documents name: pillars, organisations, people, tracks."),
    "ontology": ("Ontology", "The curriculum ontology the data is described with, and its alignment to schema.org and SKOS."),
    "inferred": ("Inferred statements", "What OWL 2 RL reasoning entails from the asserted graphs and the ontology, kept apart from them."),
}

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEMES = URIRef(EU + "data-theme")
EDUCATION = URIRef(EU + "data-theme/EDUC")
ENGLISH = URIRef(EU + "language/ENG")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
KEYWORDS = ("curriculum", "study programme", "course", "higher education", "linked data")


def dataset_iri(base: str) -> URIRef:
    """The dataset's IRI, under the data's base; the catalogue's other nodes are fragments of it."""
    return URIRef(base + "dataset")


def catalogue_node(base: str, name: str) -> URIRef:
    """A node of the catalogue description: <base>dataset#catalogue, #publisher, #sparql-service, #distribution-turtle..."""
    return URIRef(f"{base}dataset#{name}")


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def void_statistics(counts: GraphStatistics, node: URIRef, description: Graph) -> None:
    """Add VoID counts of one graph (triples, entities, classes, properties, distinct subjects/objects)."""
    description.add((node, VOID.triples, _int(counts.triples)))
    description.add((node, VOID.entities, _int(counts.entities)))
    description.add((node, VOID.classes, _int(counts.classes)))
    description.add((node, VOID.properties, _int(counts.properties)))
    description.add((node, VOID.distinctSubjects, _int(counts.subjects)))
    description.add((node, VOID.distinctObjects, _int(counts.objects)))


def _empty(base: str) -> Graph:
    g = bind_prefixes(Graph(), base)
    for prefix, ns in (("dcat", DCAT), ("void", VOID), ("foaf", FOAF), ("sd", SD)):
        g.bind(prefix, ns)
    return g


def graph_dump_url(site: str, graph: str) -> str:
    """A URL that answers with the triples of one named graph (a CONSTRUCT on the endpoint, as Turtle)."""
    from urllib.parse import quote

    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return f"{site}sparql?query={quote(query, safe='')}&format=turtle"


def describe_graph(g: Graph, graph: str, kind: str, counts: GraphStatistics, site: str, base: str) -> URIRef:
    """Add the VoID description of one named graph, under the graph's own IRI; the node."""
    node = URIRef(graph)
    title, description = GRAPH_KINDS.get(kind, ("Named graph", "A named graph of the dataset."))
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, SD.name, node))
    g.add((node, DCTERMS.type, Literal(kind)))
    g.add((node, DCTERMS.title, Literal(title if kind not in ("source", "published") else f"{title} {graph[len(base):]}", lang="en")))
    g.add((node, DCTERMS.description, Literal(description, lang="en")))
    g.add((node, DCTERMS.isPartOf, dataset_iri(base)))
    g.add((node, VOID.sparqlEndpoint, URIRef(f"{site}sparql")))
    g.add((node, VOID.dataDump, URIRef(graph_dump_url(site, graph))))
    void_statistics(counts, node, g)
    return node


def graph_description(statistics: Statistics, site: str, base: str, graph: str, kind: str) -> Graph:
    """The VoID description of one named graph of the dataset (what its IRI answers with in RDF)."""
    site = site.rstrip("/") + "/"
    g = _empty(base)
    node = describe_graph(g, graph, kind, statistics.graphs.get(graph, GraphStatistics()), site, base)
    g.add((dataset_iri(base), VOID.subset, node))
    return g


def dataset_description(statistics: Statistics, site: str, base: str, graph_kinds: dict[str, str]) -> Graph:
    """DCAT-AP catalogue and VoID description of a built dataset served at site (e.g. http://host:port/)."""
    site = site.rstrip("/") + "/"
    g = _empty(base)
    ds, catalog = dataset_iri(base), catalogue_node(base, "catalogue")
    publisher, service = catalogue_node(base, "publisher"), catalogue_node(base, "sparql-service")
    endpoint, home = URIRef(f"{site}sparql"), URIRef(site)

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("currigraph catalogue", lang="en")))
    g.add((catalog, DCTERMS.description, Literal("Linked data of university curricula published by currigraph.", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.language, ENGLISH))  # the language of this description
    g.add((catalog, FOAF.homepage, home))
    g.add((catalog, DCAT.themeTaxonomy, DATA_THEMES))
    g.add((catalog, DCAT.dataset, ds))
    g.add((catalog, DCAT.service, service))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("currigraph")))

    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("Curriculum knowledge graph", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Study programmes, courses, pillars, requirements, partners and people, converted from source documents, "
        "validated with SHACL and reasoned with OWL 2 RL.", lang="en")))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCAT.theme, EDUCATION))
    for word in KEYWORDS:
        g.add((ds, DCAT.keyword, Literal(word, lang="en")))
    g.add((ds, DCAT.landingPage, home))
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    g.add((ds, VOID.uriSpace, Literal(base)))
    g.add((ds, VOID.rootResource, URIRef(base)))
    for fmt, media_type, file_type, title in DISTRIBUTIONS:
        dist, url = catalogue_node(base, f"distribution-{fmt}"), URIRef(f"{site}export?format={fmt}&graphs=all")
        media, file_format = URIRef(f"https://www.iana.org/assignments/media-types/{media_type}"), URIRef(EU + "file-type/" + file_type)
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"Full export as {title}", lang="en")))
        g.add((dist, DCTERMS.description, Literal(
            f"Every graph of the dataset (asserted, ontology and inferred) as {title}, made from the current build.", lang="en")))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, media))
        g.add((dist, DCTERMS.format, file_format))
        g.add((dist, VOID.dataDump, url))
        g.add((url, RDF.type, RDFS.Resource))
        g.add((media, RDF.type, DCTERMS.MediaType))
        g.add((file_format, RDF.type, DCTERMS.MediaTypeOrExtent))

    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("currigraph SPARQL endpoint", lang="en")))
    g.add((service, DCTERMS.description, Literal("SPARQL 1.1 queries over the dataset (default graph: the union of all graphs).",
                                                 lang="en")))
    g.add((service, DCTERMS.publisher, publisher))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))  # GET without a query: the SPARQL service description
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCAT.theme, EDUCATION))
    g.add((service, DCAT.keyword, Literal("SPARQL", lang="en")))
    g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))

    # The vocabulary terms referred to, typed as DCAT-AP's ranges expect (the EU vocabularies say the same).
    g.add((endpoint, RDF.type, RDFS.Resource))
    g.add((home, RDF.type, FOAF.Document))
    g.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
    g.add((SPARQL_PROTOCOL, DCTERMS.title, Literal("SPARQL 1.1 Protocol", lang="en")))
    g.add((ENGLISH, RDF.type, DCTERMS.LinguisticSystem))
    g.add((DATA_THEMES, RDF.type, SKOS.ConceptScheme))
    g.add((DATA_THEMES, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((EDUCATION, RDF.type, SKOS.Concept))
    g.add((EDUCATION, SKOS.prefLabel, Literal("Education, culture and sport", lang="en")))
    g.add((EDUCATION, SKOS.inScheme, DATA_THEMES))

    for graph, counts in sorted(statistics.graphs.items()):
        if counts.triples:
            g.add((ds, VOID.subset, describe_graph(g, graph, graph_kinds.get(graph, "graph"), counts, site, base)))
    void_statistics(statistics.dataset, ds, g)
    return g
