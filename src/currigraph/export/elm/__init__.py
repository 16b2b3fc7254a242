"""Export of programmes and courses in the European Learning Model (ELM 3), valid against the LOQ profile.

    settings = project_settings(project.root, project.base)     # data/elm.yaml + mappings/elm/
    elm = elm_graph(dataset, settings)                          # rdflib.Graph (data: rdflib Graph/Dataset or pyoxigraph Store)
    report = loq_report(elm)                                    # LoqReport: conforms, violations, warnings, infos, text()
    records = readiness(dataset, settings)                      # list[Readiness]: per programme, the gaps and their settings
    text = serialise(elm, "turtle" | "json-ld" | "xml")        # str; MEDIA_TYPES[fmt] for HTTP, EXTENSIONS[fmt] for files

docs/elm.md describes the mapping, the settings and how to add a mapping.
"""

from currigraph.export.elm.loq import LoqReport, LoqResult, loq_report
from currigraph.export.elm.mapping import Data, MappingError, elm_graph
from currigraph.export.elm.readiness import Gap, Readiness, readiness
from currigraph.export.elm.serialise import EXTENSIONS, MEDIA_TYPES, Format, serialise
from currigraph.export.elm.settings import ElmSettings, ElmSettingsError, load_settings, project_settings

__all__ = [
    "EXTENSIONS", "MEDIA_TYPES", "Data", "ElmSettings", "ElmSettingsError", "Format", "Gap", "LoqReport", "LoqResult",
    "MappingError", "Readiness", "elm_graph", "load_settings", "loq_report", "project_settings", "readiness", "serialise",
]
