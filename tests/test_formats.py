"""The format table and its one negotiation: every name and media type of every format, in every set an answer offers."""

import pytest

from currigraph import formats
from currigraph.formats import (
    CONSTRUCTED,
    CSV,
    DATASETS,
    GRAPHS,
    HTML,
    JSON,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    RESULTS,
    RESULTS_CSV,
    RESULTS_JSON,
    RESULTS_TSV,
    RESULTS_XML,
    TEXT,
    TRIG,
    TURTLE,
    Format,
    FormatError,
    find,
    names_of,
    negotiate,
)
from currigraph.web.pages import PAGE_FORMATS

# Every set of formats an answer offers, as the code offers it (formats.ALL is a lookup of known names, not an offer).
OFFERED: dict[str, tuple[Format, ...]] = {
    "sparql-results": RESULTS,
    "sparql-graphs": CONSTRUCTED,
    "graphs": GRAPHS,
    "exports": DATASETS,
    "pages": PAGE_FORMATS,
    "ontology": (*GRAPHS, HTML),
    "errors": (TEXT, HTML),
    "api-list": (JSON, HTML),
    "api-run": (JSON, CSV, HTML),
    "validate": (JSON, TURTLE, HTML),
}
TABLE = [f for f in vars(formats).values() if isinstance(f, Format)]
CASES = [(name, fmt) for name, offered in OFFERED.items() for fmt in offered]


def keys(fmt: Format) -> list[str]:
    """Everything a user may pass for a format: its name, its other names, its media types."""
    return [fmt.name, *fmt.names, fmt.media_type, *fmt.media_aliases]


def test_the_table_is_what_the_sets_offer() -> None:
    offered = {f for fs in OFFERED.values() for f in fs}
    assert set(TABLE) == offered, "a format no answer offers, or an offered format missing from formats.py"


@pytest.mark.parametrize(("offer", "fmt"), CASES, ids=[f"{offer}-{fmt.name}" for offer, fmt in CASES])
def test_every_name_and_media_type_resolves_to_its_format(offer: str, fmt: Format) -> None:
    offered = OFFERED[offer]
    for key in keys(fmt):
        assert find(offered, key) is fmt, key
        assert find(offered, f" {key.upper()} ") is fmt, key  # names and media types are case-insensitive
        assert negotiate(offered, "", key) is fmt, key  # as a format= parameter
        assert negotiate(offered, "", [key, key]) is fmt, key  # repeated, agreeing
    for media in (fmt.media_type, *fmt.media_aliases):
        assert negotiate(offered, media) is fmt, media  # as an Accept header
        assert negotiate(offered, f"image/png, {media};q=0.5") is fmt, media
        assert negotiate(offered, "", f"{media}, image/png;q=0.1") is fmt, media  # a format= value listing media types
    for other in offered:  # no key of this format stands for another format of the same offer
        if other is not fmt:
            assert not set(map(str.lower, keys(fmt))) & set(map(str.lower, keys(other))), (fmt.name, other.name)


@pytest.mark.parametrize(("offered", "wanted"), [(RESULTS, RESULTS_XML), (CONSTRUCTED, RDF_XML), (GRAPHS, RDF_XML),
                                                 (DATASETS, RDF_XML), (PAGE_FORMATS, RDF_XML)])
def test_xml_is_results_for_results_and_rdf_for_graphs(offered: tuple[Format, ...], wanted: Format) -> None:
    for key in ("xml", "XML", "application/xml", "text/xml"):
        assert negotiate(offered, "", key) is wanted
    assert negotiate(offered, "application/xml") is wanted
    assert negotiate(offered, "text/xml") is wanted


@pytest.mark.parametrize("offered", OFFERED.values(), ids=OFFERED.keys())
def test_no_preference_gives_the_first_offered(offered: tuple[Format, ...]) -> None:
    assert negotiate(offered) is offered[0]
    assert negotiate(offered, None, None) is offered[0]
    assert negotiate(offered, "*/*") is offered[0]
    assert negotiate(offered, "", ["", "  "]) is offered[0]


@pytest.mark.parametrize("value", ["nonsense", "jsonx", "rdf/turtle", "application/x-unheard-of"])
def test_unknown_names_are_400(value: str) -> None:
    for offered in OFFERED.values():
        with pytest.raises(FormatError) as err:
            negotiate(offered, "", value)
        assert err.value.status == 400 and "use one of" in str(err.value), value


@pytest.mark.parametrize(("offered", "value"), [(RESULTS, "turtle"), (RESULTS, "application/ld+json"), (RESULTS, "trig"),
                                                (CONSTRUCTED, "csv"), (CONSTRUCTED, "application/sparql-results+json"),
                                                (CONSTRUCTED, "srj"), (GRAPHS, "trig"), (GRAPHS, "nquads"), (DATASETS, "n3"),
                                                (DATASETS, "html"), ((JSON, HTML), "csv"), ((TEXT, HTML), "turtle")])
def test_known_but_not_offered_is_406(offered: tuple[Format, ...], value: str) -> None:
    with pytest.raises(FormatError) as err:
        negotiate(offered, "", value)
    assert err.value.status == 406
    assert all(f.name in str(err.value) for f in offered)  # the message says what is offered


def test_an_accept_header_nothing_satisfies_is_406() -> None:
    with pytest.raises(FormatError) as err:
        negotiate(RESULTS, "image/png, text/turtle")
    assert err.value.status == 406 and "application/sparql-results+json" in str(err.value)


@pytest.mark.parametrize(("offered", "values"), [(RESULTS, ["json", "xml"]), (RESULTS, ["csv", "text/tab-separated-values"]),
                                                 (CONSTRUCTED, ["turtle", "application/ld+json"]), (DATASETS, ["trig", "nq"])])
def test_conflicting_repeated_values_are_400(offered: tuple[Format, ...], values: list[str]) -> None:
    with pytest.raises(FormatError) as err:
        negotiate(offered, "", values)
    assert err.value.status == 400 and "conflicting" in str(err.value)


@pytest.mark.parametrize(
    ("offered", "accept", "values", "wanted"),
    [
        # what SPARQLWrapper sends: its format name, then (for these three) its Accept header again as a second value
        (CONSTRUCTED, "application/ld+json,application/x-json+ld", ["json-ld", "application/ld+json,application/x-json+ld"], JSON_LD),
        (CONSTRUCTED, "application/rdf+xml", ["rdf+xml", "application/rdf+xml"], RDF_XML),
        (RESULTS, "text/tab-separated-values", ["tsv", "text/tab-separated-values"], RESULTS_TSV),
        (CONSTRUCTED, "application/rdf+xml", ["xml"], RDF_XML),
        (RESULTS, "application/sparql-results+xml", ["xml"], RESULTS_XML),
        (RESULTS, "application/sparql-results+json,application/json,text/javascript,application/javascript", ["json"], RESULTS_JSON),
        (RESULTS, "text/csv", ["csv"], RESULTS_CSV),
        (CONSTRUCTED, "application/turtle,text/turtle", ["turtle"], TURTLE),
    ],
)
def test_sparqlwrapper_style_repeated_values_agree(offered: tuple[Format, ...], accept: str, values: list[str], wanted: Format) -> None:
    assert negotiate(offered, accept, values) is wanted
    assert negotiate(offered, "", values) is wanted


def test_a_format_parameter_wins_over_accept_and_q_values_count() -> None:
    assert negotiate(RESULTS, "application/sparql-results+xml", "csv") is RESULTS_CSV
    assert negotiate(RESULTS, "text/csv;q=0.9, text/tab-separated-values") is RESULTS_TSV
    assert negotiate(CONSTRUCTED, "application/n-quads;q=0.1, application/trig;q=0.2") is TRIG
    assert negotiate(DATASETS, "", "nq") is N_QUADS and negotiate(GRAPHS, "text/plain") is N_TRIPLES


def test_oversized_headers_are_answered_but_not_cached() -> None:
    accept = "text/csv;q=0.1, " + ", ".join(f"application/x-{n};q=0.2" for n in range(200)) + ", text/tab-separated-values"
    before = formats._negotiate.cache_info().currsize
    assert len(accept) > 1024 and negotiate(RESULTS, accept) is RESULTS_TSV
    assert formats._negotiate.cache_info().currsize == before


def test_names_of_lists_every_name_once() -> None:
    names = names_of(DATASETS)
    assert len(names) == len(set(names)) and {"turtle", "ttl", "jsonld", "json-ld", "nt", "xml", "rdfxml", "trig", "nquads"} <= set(names)
    assert all(find(DATASETS, name) for name in names)
