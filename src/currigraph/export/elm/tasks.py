"""The ELM export as one step a task worker runs (serving.tasks): N-Quads of the dataset in, a serialised export out."""

from pathlib import Path

import pyoxigraph as ox

from currigraph.errors import InputError
from currigraph.export.elm.loq import loq_report
from currigraph.export.elm.mapping import elm_graph
from currigraph.export.elm.serialise import serialise
from currigraph.export.elm.settings import ElmSettingsError, project_settings


def export_nquads(nquads: bytes, project_root: str, base: str, fmt: str) -> tuple[str, str]:
    """The ELM export of a dataset given as N-Quads, and the LOQ summary of it (InputError for unusable settings)."""
    try:
        settings = project_settings(Path(project_root), base)
    except ElmSettingsError as err:
        raise InputError(str(err), "data/elm.yaml") from None
    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    elm = elm_graph(store, settings)
    return serialise(elm, fmt), loq_report(elm).summary()
