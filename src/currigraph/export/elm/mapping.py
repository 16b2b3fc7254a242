"""The generic runner of the declarative ELM mapping: SPARQL CONSTRUCT files, run in file-name order.

Every file of the mappings folder (mappings/elm/*.rq) holds one CONSTRUCT. They run in one in-memory pyoxigraph
store whose default graph is the union of four graphs: the data, the settings (cfg: triples), the vendored
vocabularies and what earlier files constructed, so a mapping can build on the ones before it. Triples with a
cfg: predicate stay working notes; every other constructed triple is the export. Nothing in here knows an ELM
property: adding or changing a mapping is editing a .rq file.
"""

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import ConjunctiveGraph

from currigraph.export.elm.settings import ElmSettings
from currigraph.export.elm.terms import CFG, DATA_GRAPH, EXPORT_GRAPH, PREFIXES, SETTINGS_GRAPH, VOCABULARY_GRAPH
from currigraph.export.elm.vocabulary import VOCABULARIES

Data = Graph | Dataset | ox.Store


class MappingError(RuntimeError):
    """A mapping file that cannot run, or that constructs something the export must not hold."""


def mapping_files(folder: Path) -> list[Path]:
    """The CONSTRUCT files of a mappings folder, in the order they run."""
    files = sorted(folder.glob("*.rq"))
    if not files:
        raise MappingError(f"no ELM mappings (*.rq) in {folder}")
    return files


def _load_data(store: ox.Store, data: Data) -> None:
    target = ox.NamedNode(DATA_GRAPH)
    if isinstance(data, ox.Store):
        store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in data.quads_for_pattern(None, None, None, None))
        return
    graphs = list(data.graphs()) if isinstance(data, Dataset | ConjunctiveGraph) else [data]
    for graph in graphs:
        if len(graph):
            store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=target)


def working_store(data: Data, settings: ElmSettings, ignore_exclusions: bool = False) -> ox.Store:
    """A store with the data, the settings and the vocabularies in their graphs, ready for the mappings."""
    store = ox.Store()
    _load_data(store, data)
    settings_nt = settings.graph(ignore_exclusions).serialize(format="nt", encoding="utf-8")
    if settings_nt.strip():
        store.load(settings_nt, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(SETTINGS_GRAPH))
    store.load(path=str(VOCABULARIES), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(VOCABULARY_GRAPH))
    return store


def run_mappings(store: ox.Store, folder: Path) -> None:
    """Run every mapping of folder over store, adding each result before the next file runs."""
    export, notes = ox.NamedNode(EXPORT_GRAPH), ox.NamedNode(SETTINGS_GRAPH)
    for path in mapping_files(folder):
        try:
            result = store.query(path.read_text("utf-8"), use_default_graph_as_union=True)
        except (SyntaxError, OSError, ValueError) as error:
            raise MappingError(f"{path}: {error}") from None
        if not isinstance(result, ox.QueryTriples):
            raise MappingError(f"{path}: a mapping must be a CONSTRUCT query")
        quads = []
        for triple in result:
            if triple.predicate.value.startswith(str(CFG)):
                quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, notes))
                continue
            if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
                # Blank nodes get new labels on every run; the export must be the same for the same data.
                raise MappingError(f"{path}: constructs a blank node ({triple}); mint an IRI from the currigraph IRI instead")
            if str(CFG) in str(triple.subject) or str(CFG) in str(triple.object):
                raise MappingError(f"{path}: a settings term would reach the export ({triple})")
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, export))
        store.extend(quads)


def elm_graph(data: Data, settings: ElmSettings) -> Graph:
    """The ELM 3 (LOQ) description of the programmes and courses in data, by the mappings of settings.mappings."""
    store = working_store(data, settings)
    run_mappings(store, settings.mappings)
    return exported(store)


def exported(store: ox.Store) -> Graph:
    """The export graph of a store the mappings ran in, as an rdflib Graph with the ELM prefixes bound."""
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(EXPORT_GRAPH))
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    if text:
        graph.parse(data=text, format="nt")
    return graph
