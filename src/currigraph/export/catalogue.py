"""The dataset's own description: DCAT (catalogue, dataset, distributions, SPARQL service) and VoID statistics."""

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

from currigraph import __version__
from currigraph.build.statistics import GraphStatistics, Statistics
from currigraph.vocab import SD, VOID, bind_prefixes

# Export formats offered as distributions: (format parameter, media type, title).
DISTRIBUTIONS = [
    ("turtle", "text/turtle", "Turtle"),
    ("json-ld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
    ("xml", "application/rdf+xml", "RDF/XML"),
    ("trig", "application/trig", "TriG (named graphs kept)"),
    ("nquads", "application/n-quads", "N-Quads (named graphs kept)"),
]


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


def dataset_description(statistics: Statistics, site: str, base: str, graph_kinds: dict[str, str]) -> Graph:
    """DCAT-AP catalogue and VoID description of a built dataset served at site (e.g. http://host:port/)."""
    site = site.rstrip("/") + "/"
    g = bind_prefixes(Graph(), base)
    for prefix, ns in (("dcat", DCAT), ("void", VOID), ("foaf", FOAF), ("sd", SD)):
        g.bind(prefix, ns)
    catalog, ds = URIRef(f"{site}.well-known/void#catalog"), URIRef(f"{site}.well-known/void#dataset")
    publisher, service = URIRef(f"{site}.well-known/void#publisher"), URIRef(f"{site}sparql")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("currigraph catalogue", lang="en")))
    g.add((catalog, DCTERMS.description, Literal("Linked data of university curricula published by currigraph.", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
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
    g.add((ds, VOID.sparqlEndpoint, service))
    g.add((ds, VOID.uriSpace, Literal(base)))
    g.add((ds, VOID.rootResource, URIRef(base)))
    g.add((ds, DCTERMS.creator, Literal(f"currigraph {__version__}")))
    for fmt, media_type, title in DISTRIBUTIONS:
        dist = URIRef(f"{site}.well-known/void#distribution-{fmt}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"Full export as {title}", lang="en")))
        g.add((dist, DCAT.accessURL, URIRef(f"{site}export?format={fmt}&graphs=all")))
        g.add((dist, DCAT.downloadURL, URIRef(f"{site}export?format={fmt}&graphs=all")))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")))
        g.add((dist, VOID.dataDump, URIRef(f"{site}export?format={fmt}&graphs=all")))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("currigraph SPARQL endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for number, (graph, counts) in enumerate(sorted(statistics.graphs.items())):
        if not counts.triples:
            continue
        part = URIRef(f"{site}.well-known/void#graph-{number}")
        g.add((ds, VOID.subset, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, SD.name, URIRef(graph)))
        g.add((part, DCTERMS.type, Literal(graph_kinds.get(graph, "graph"))))
        void_statistics(counts, part, g)
    void_statistics(statistics.dataset, ds, g)
    return g
