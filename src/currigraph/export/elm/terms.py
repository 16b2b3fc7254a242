"""Namespaces, vocabulary schemes and the working graphs of the ELM export."""

from rdflib import Namespace

ELM = Namespace("http://data.europa.eu/snb/model/elm/")
DC = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ROV = Namespace("http://www.w3.org/ns/regorg#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SH = Namespace("http://www.w3.org/ns/shacl#")
# currigraph's own ontology; fixed, whatever the data base IRI is.
CG = Namespace("https://data.currigraph.org/ontology#")
# Settings become triples in this namespace for the mappings to read; the runner never lets one into the export.
CFG = Namespace("https://data.currigraph.org/ontology/elm-settings#")

PREFIXES = {"elm": ELM, "dc": DC, "foaf": FOAF, "rov": ROV, "adms": ADMS, "org": ORG, "skos": SKOS}

# The working store of a run keeps inputs and results apart, so a mapping can tell what is already exported.
DATA_GRAPH = "urn:currigraph:elm:data"
SETTINGS_GRAPH = "urn:currigraph:elm:settings"
VOCABULARY_GRAPH = "urn:currigraph:elm:vocabulary"
EXPORT_GRAPH = "urn:currigraph:elm:export"

# The controlled vocabularies LOQ points to (Europass and EU Publications Office concept schemes), by setting kind.
SCHEMES = {
    "isced-f": "http://data.europa.eu/snb/isced-f/25831c2",
    "eqf": "http://data.europa.eu/snb/eqf/25831c2",
    "nqf": "http://data.europa.eu/snb/qdr/25831c2",
    "mode": "http://data.europa.eu/snb/learning-assessment/25831c2",
    "learning-setting": "http://data.europa.eu/snb/learning-setting/25831c2",
    "learning-opportunity": "http://data.europa.eu/snb/learning-opportunity/25831c2",
    "credit": "http://data.europa.eu/snb/education-credit/25831c2",
    "country": "http://publications.europa.eu/resource/authority/country",
    "language": "http://publications.europa.eu/resource/authority/language",
}
