"""Export of programmes and courses in the European Learning Model (ELM 3), valid against the LOQ profile.

    settings = project_settings(project.root, project.base)     # data/elm.yaml + mappings/elm/
    elm = elm_graph(dataset, settings)                          # rdflib.Graph (data: rdflib Graph/Dataset or pyoxigraph Store)
    report = loq_report(elm)                                    # LoqReport: conforms, violations, warnings, infos, text()
    records = readiness(dataset, settings)                      # list[Readiness]: per programme, the gaps and their settings
    text = serialise(elm, TURTLE | JSON_LD | RDF_XML)           # str; formats.ELM_FORMATS; a name ("turtle", "xml") works too

docs/elm.md describes the mapping, the settings and how to add a mapping.
"""

from currigraph.export.elm.loq import LoqReport, LoqResult, loq_report
from currigraph.export.elm.mapping import Data, MappingError, elm_graph
from currigraph.export.elm.readiness import Gap, Readiness, readiness
from currigraph.export.elm.serialise import ELM_FORMATS, serialise
from currigraph.export.elm.settings import ElmSettings, ElmSettingsError, load_settings, project_settings

__all__ = [
    "ELM_FORMATS", "Data", "ElmSettings", "ElmSettingsError", "Gap", "LoqReport", "LoqResult",
    "MappingError", "Readiness", "elm_graph", "load_settings", "loq_report", "project_settings", "readiness", "serialise",
]
