"""How well the converters read real documents: recall and precision of their facts against hand-written ones.

Run: .venv/bin/python bench/intake.py [CORPUS_DIR] [--json OUT] [--doc NAME]
CORPUS_DIR holds documents with a sibling NAME.expected.yaml each (default: ../shared/corpus-real from the
repository root). Every document is converted (an error counts as no facts), its RDF read into fact tuples
with SPARQL over the project's vocabulary, its expected file read into fact tuples, and the two matched.
docs/intake-scoring.md defines the facts, the matching and the figures.
"""

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset

try:
    from bench import intake_expected, intake_extract, intake_match, intake_vocab
except ModuleNotFoundError:  # run as a script (python bench/intake.py): the repository root is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench import intake_expected, intake_extract, intake_match, intake_vocab

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-real"
ACCEPTED_FILE = Path(__file__).resolve().parent / "intake_accepted.yaml"
EXPECTED_SUFFIX = ".expected.yaml"

Fact = intake_match.Fact
Converter = Callable[[Path], Dataset]


def convert_with_currigraph(path: Path) -> Dataset:
    """Today's converters on one file, as `currigraph convert FILE` runs them (the one place that calls them)."""
    from currigraph.convert import convert_paths
    from currigraph.iris import DEFAULT_BASE, Minter

    return convert_paths([path], Minter(DEFAULT_BASE)).dataset


@dataclass
class DocumentScore:
    """The figures of one document, and the facts behind them for --doc."""

    name: str
    kind: str
    expected: int = 0
    expected_unsure: int = 0
    extracted: int = 0
    judged: int = 0
    found: int = 0
    right: int = 0
    missed_unsure: int = 0
    error: str | None = None
    convert_seconds: float = 0.0
    triples: int = 0
    not_scorable: list[str] = field(default_factory=list)
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    found_facts: list[str] = field(default_factory=list, repr=False)
    missed_facts: list[str] = field(default_factory=list, repr=False)
    right_facts: list[str] = field(default_factory=list, repr=False)
    wrong_facts: list[str] = field(default_factory=list, repr=False)
    unjudged_facts: list[str] = field(default_factory=list, repr=False)

    @property
    def zero(self) -> bool:
        """The conversion gave no content fact at all."""
        return self.extracted == 0

    @property
    def recall(self) -> float | None:
        """Expected facts found, over expected facts."""
        return self.found / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        """Judged extracted facts that are right, over judged extracted facts."""
        return self.right / self.judged if self.judged else None


# ---------------------------------------------------------------------------------------------------------
# Programme alignment
# ---------------------------------------------------------------------------------------------------------


def align(entries: list[intake_expected.ProgrammeEntry], nodes: dict[str, intake_extract.ProgrammeNode]) -> dict[str, str]:
    """Which expected programme each extracted programme node is: by name; an unnamed expected programme by
    its provider when one node fits; and the one remaining described programme with the one remaining node."""
    meet = intake_match.names_meet
    mapping: dict[str, str] = {}
    for node in sorted(nodes.values(), key=lambda n: n.node):
        candidates = [e for e in entries if e.names and node.names and meet(e.names, node.names)]
        if len(candidates) > 1:  # same name twice (one programme per university in a guide): the provider decides
            by_provider = [e for e in candidates if e.providers and node.providers and meet(frozenset(e.providers), node.providers)]
            candidates = by_provider or candidates
        if candidates:
            mapping[node.node] = candidates[0].key
    aligned = set(mapping.values())
    for entry in entries:
        if entry.names or entry.key in aligned or not entry.providers:
            continue
        fits = [n for n in nodes.values() if n.node not in mapping and n.providers and meet(frozenset(entry.providers), n.providers)]
        if len(fits) == 1:
            mapping[fits[0].node] = entry.key
            aligned.add(entry.key)
    left_entries = [e for e in entries if e.full and e.key not in aligned]
    left_nodes = [n for n in nodes.values() if n.node not in mapping]
    if len(left_entries) == 1 and len(left_nodes) == 1:
        mapping[left_nodes[0].node] = left_entries[0].key
    return mapping


def rescope(facts: list[Fact], mapping: dict[str, str]) -> list[Fact]:
    """Extracted facts with programme nodes replaced by the expected programmes they were aligned with."""
    out: dict[tuple, Fact] = {}
    for fact in facts:
        scope = fact.scope if fact.scope is None else mapping.get(fact.scope, f"extracted:{fact.scope}")
        new = Fact(fact.kind, scope, fact.parts, fact.shown)
        out.setdefault(new.key, new)
    return list(out.values())


# ---------------------------------------------------------------------------------------------------------
# Accepted extra facts
# ---------------------------------------------------------------------------------------------------------


def _part(part_type: str, value: Any) -> frozenset[str]:
    forms = {
        intake_match.NAME: lambda v: intake_match.name_forms(str(v)),
        intake_match.PERSON: lambda v: intake_match.person_forms(str(v)),
        intake_match.CODE: lambda v: intake_match.code_form(str(v)),
        intake_match.NUMBER: intake_match.number_form,
        intake_match.UNIT: intake_match.unit_form,
        intake_match.LANG: intake_match.language_form,
        intake_match.STATUS: intake_match.status_form,
        intake_match.TEXT: lambda v: intake_match.text_forms(str(v)),
        intake_match.CHOICE: lambda v: frozenset().union(*(intake_match.text_forms(str(o)) for o in v)),
    }
    return forms[part_type](value)


def load_accepted(path: Path, document: str, expected: intake_expected.Expected) -> list[Fact]:
    """The reviewed extra facts of one document (bench/intake_accepted.yaml), as facts."""
    if not path.is_file():
        return []
    entries = (yaml.safe_load(path.read_text("utf-8")) or {}).get("accepted") or []
    facts = []
    for entry in entries:
        if entry.get("document") not in (document, Path(document).name):
            continue
        kind = entry["kind"]
        types = intake_match.KINDS[kind]
        values = entry.get("values") or []
        if len(values) != len(types):
            raise ValueError(f"{path}: accepted fact {kind} of {document} needs {len(types)} values, has {len(values)}")
        scope = None
        if entry.get("programme"):
            wanted = intake_match.name_forms(entry["programme"])
            scope = next((p.key for p in expected.programmes if intake_match.names_meet(p.names, wanted)), None)
        parts = tuple(_part(t, v) for t, v in zip(types, values, strict=True))
        facts.append(Fact(kind, scope, parts, f"accepted: {entry.get('why', '')}"))
    return facts


# ---------------------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------------------


def _first_is_subject(kind: str) -> bool:
    return intake_match.KINDS[kind][0] in (intake_match.NAME, intake_match.PERSON)


def score_facts(score: DocumentScore, expected: intake_expected.Expected, extracted: list[Fact], accepted: list[Fact]) -> None:
    """Match extracted facts against expected ones (and accepted extras), filling the score's figures."""
    score.expected = len(expected.facts)
    score.expected_unsure = sum(f.unsure for f in expected.facts)
    score.extracted = len(extracted)
    index = intake_match.FactIndex([*expected.facts, *accepted])
    accepted_ids = {id(f) for f in accepted}
    found: set[int] = set()
    tally: dict[str, Counter[str]] = {}
    for fact in extracted:
        candidates = index.candidates(fact)
        matches = [e for e in candidates if intake_match.facts_match(e, fact)]
        found |= {id(e) for e in matches if id(e) not in accepted_ids}
        counts = tally.setdefault(fact.kind, Counter())
        counts["extracted"] += 1
        line = f"{fact.kind} [{fact.scope or '-'}] {fact.shown}"
        if matches:
            judged = True
        elif any(u.kind == fact.kind and (u.scope is None or u.scope == fact.scope)
                 and all(intake_match.part_matches(fact.kind, i, part, fact.parts[i]) for i, part in enumerate(u.parts))
                 for u in expected.unjudgeable):
            judged = False  # the expected file gives this value in words the fact model cannot hold
        elif fact.kind not in expected.stated:
            judged = False  # the expected file says nothing of this kind of fact: it cannot judge it
        elif expected.sampled:
            # A sampled file (a catalogue's spot checks) judges only facts about what it samples.
            pool = candidates if _first_is_subject(fact.kind) else index.by_kind.get(fact.kind, [])
            judged = any(intake_match.subject_matches(e, fact) if _first_is_subject(fact.kind)
                         else e.scope is None or e.scope == fact.scope for e in pool)
        else:
            judged = True
        if not judged:
            score.unjudged_facts.append(line)
            continue
        score.judged += 1
        counts["judged"] += 1
        if matches:
            score.right += 1
            counts["right"] += 1
            score.right_facts.append(line)
        else:
            score.wrong_facts.append(line)
    for fact in expected.facts:
        counts = tally.setdefault(fact.kind, Counter())
        counts["expected"] += 1
        line = f"{fact.kind} [{fact.scope or '-'}] {fact.shown}{' (unsure)' if fact.unsure else ''}"
        if id(fact) in found:
            counts["found"] += 1
            score.found_facts.append(line)
        else:
            score.missed_facts.append(line)
            score.missed_unsure += fact.unsure
    score.found = sum(1 for f in expected.facts if id(f) in found)
    score.by_kind = {kind: dict(counts) for kind, counts in sorted(tally.items())}


def document_pairs(corpus: Path) -> list[tuple[str, Path | None, Path]]:
    """(name, document, expected file) for every *.expected.yaml under the corpus, in a stable order."""
    pairs = []
    for expected in sorted(corpus.rglob(f"*{EXPECTED_SUFFIX}")):
        stem = expected.name[: -len(EXPECTED_SUFFIX)]
        documents = sorted(p for p in expected.parent.glob(f"{stem}.*") if p.is_file() and not p.name.endswith((".yaml", ".yml")))
        name = str(expected.parent.relative_to(corpus) / stem)
        pairs.append((name, documents[0] if documents else None, expected))
    return pairs


def score_document(name: str, document: Path | None, expected_path: Path, vocabulary: intake_vocab.Vocabulary,
                   convert: Converter = convert_with_currigraph, accepted_file: Path = ACCEPTED_FILE) -> DocumentScore:
    """Convert one document and score its facts (a conversion error counts as no facts, with the error kept)."""
    expected = intake_expected.read_expected(expected_path)
    score = DocumentScore(name, expected.kind or name.split("/")[0])
    score.not_scorable = list(expected.skipped)
    extracted: list[Fact] = []
    started = time.perf_counter()
    dataset = None
    try:
        if document is None:
            raise FileNotFoundError(f"no document beside {expected_path.name}")
        dataset = convert(document)
    except Exception as err:  # any failure of a converter is that document's result (no facts), not the scorer's
        score.error = f"{type(err).__name__}: {err}".splitlines()[0][:300]
    score.convert_seconds = time.perf_counter() - started
    if dataset is not None:  # reading the RDF is the scorer's own work: a failure there is a bug to see, not a score
        result = intake_extract.extract(dataset, vocabulary)
        score.triples = result.triples
        extracted = rescope(result.facts, align(expected.programmes, result.programmes))
    score_facts(score, expected, extracted, load_accepted(accepted_file, name, expected))
    return score


@dataclass
class Totals:
    """Micro-averaged figures over documents."""

    documents: int
    expected: int
    expected_unsure: int
    extracted: int
    judged: int
    found: int
    right: int
    missed_unsure: int
    zero_fact_documents: int
    errors: int
    recall: float | None
    precision: float | None


def totals(scores: list[DocumentScore]) -> Totals:
    """Sums over the documents; recall and precision from the sums (micro-averaged)."""
    keys = ("expected", "expected_unsure", "extracted", "judged", "found", "right", "missed_unsure")
    s = {k: sum(getattr(d, k) for d in scores) for k in keys}
    return Totals(len(scores), **s, zero_fact_documents=sum(d.zero for d in scores), errors=sum(d.error is not None for d in scores),
                  recall=s["found"] / s["expected"] if s["expected"] else None,
                  precision=s["right"] / s["judged"] if s["judged"] else None)


def by_kind(scores: list[DocumentScore]) -> dict[str, dict[str, int]]:
    """Per fact kind, summed over documents."""
    out: dict[str, Counter[str]] = {kind: Counter() for kind in intake_match.KINDS}
    for score in scores:
        for kind, counts in score.by_kind.items():
            out[kind].update(counts)
    return {kind: {k: counts.get(k, 0) for k in ("expected", "found", "extracted", "judged", "right")} for kind, counts in out.items()}


# ---------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def markdown(scores: list[DocumentScore], seconds: float, corpus: Path, details: bool) -> str:
    """The report: one row per document, the overall figures, the figures per fact kind, and details on request."""
    lines = [f"## Intake scores ({corpus})", "",
             "| document | kind | expected | extracted (judged) | found | right | recall | precision | zero facts |",
             "|---|---|---:|---:|---:|---:|---:|---:|:---:|"]
    for d in scores:
        extracted = f"{d.extracted}" + (f" ({d.judged})" if d.judged != d.extracted else "")
        lines.append(f"| {d.name} | {d.kind} | {d.expected} | {extracted} | {d.found} | {d.right} | {_pct(d.recall)} | "
                     f"{_pct(d.precision)} | {'yes' if d.zero else ''} |")
    t = totals(scores)
    lines.append(f"| **all {t.documents} (micro)** | | {t.expected} | {t.extracted} ({t.judged}) | {t.found} | {t.right} | "
                 f"**{_pct(t.recall)}** | **{_pct(t.precision)}** | {t.zero_fact_documents} |")
    lines += ["", f"Recall {_pct(t.recall)} ({t.found} of {t.expected} expected facts), precision {_pct(t.precision)} "
              f"({t.right} of {t.judged} judged extracted facts; {t.extracted - t.judged} not judged), "
              f"{t.zero_fact_documents} of {t.documents} documents with zero facts, {t.errors} conversion error(s).",
              f"Expected facts marked `# unsure`: {t.expected_unsure}; of the {t.expected - t.found} misses, "
              f"{t.missed_unsure} are unsure ones."]
    errors = [d for d in scores if d.error]
    if errors:
        lines += ["", "Conversion errors (counted as zero facts):", ""]
        lines += [f"- {d.name}: {d.error}" for d in errors]
    lines += ["", "### By fact kind", "", "| fact kind | expected | found | recall | extracted (judged) | right | precision |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, c in by_kind(scores).items():
        if any(c.values()):
            recall = c["found"] / c["expected"] if c["expected"] else None
            precision = c["right"] / c["judged"] if c["judged"] else None
            lines.append(f"| {kind} | {c['expected']} | {c['found']} | {_pct(recall)} | {c['extracted']} ({c['judged']}) | "
                         f"{c['right']} | {_pct(precision)} |")
    lines += ["", f"Ran in {seconds:.1f} s (conversion {sum(d.convert_seconds for d in scores):.1f} s)."]
    if details:
        for d in scores:
            lines += ["", f"### {d.name}", ""]
            if d.error:
                lines.append(f"Conversion error: {d.error}")
            sections = (("Found", d.found_facts), ("Missed", d.missed_facts), ("Right", d.right_facts), ("Wrong", d.wrong_facts),
                        ("Not judged", d.unjudged_facts), ("Not scorable in the expected file", d.not_scorable))
            for title, items in sections:
                lines.append(f"**{title}** ({len(items)})")
                lines += [f"- {item}" for item in sorted(items)] + [""]
    return "\n".join(lines) + "\n"


def to_json(scores: list[DocumentScore], seconds: float, corpus: Path, vocabulary: intake_vocab.Vocabulary) -> dict[str, Any]:
    """The same figures as the report, for tooling (bench/README.md)."""
    documents = []
    for d in scores:
        row = {k: v for k, v in asdict(d).items() if not k.endswith("_facts")}
        row.update(recall=d.recall, precision=d.precision, zero_facts=d.zero)
        documents.append(row)
    return {"corpus": str(corpus), "date": datetime.now(UTC).isoformat(timespec="seconds"), "seconds": round(seconds, 2),
            "overall": asdict(totals(scores)), "by_kind": by_kind(scores), "documents": documents,
            "planned_terms_not_in_ontology": vocabulary.planned_missing()}


def run(corpus: Path, only: str | None = None, convert: Converter = convert_with_currigraph,
        accepted_file: Path = ACCEPTED_FILE, ontology_dir: Path = ROOT / "ontology") -> list[DocumentScore]:
    """Score every document of the corpus (or those whose name contains `only`)."""
    vocabulary = intake_vocab.load_vocabulary(ontology_dir)
    pairs = [p for p in document_pairs(corpus) if only is None or only in p[0]]
    return [score_document(name, document, expected, vocabulary, convert, accepted_file) for name, document, expected in pairs]


def main(argv: list[str] | None = None) -> int:
    """Command line: score the corpus, print Markdown, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, help=f"folder of documents and *.expected.yaml (default {DEFAULT_CORPUS})")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--doc", help="only documents whose name contains this, with every fact found, missed, right and wrong")
    args = parser.parse_args(argv)
    corpus = args.corpus or DEFAULT_CORPUS
    if not corpus.is_dir():
        parser.error(f"no corpus folder at {corpus}; give one as CORPUS_DIR")
    started = time.perf_counter()
    scores = run(corpus, args.doc)
    if not scores:
        parser.error(f"no *{EXPECTED_SUFFIX} found under {corpus}" + (f" matching {args.doc!r}" if args.doc else ""))
    seconds = time.perf_counter() - started
    sys.stdout.write(markdown(scores, seconds, corpus, details=bool(args.doc)))
    if args.json:
        vocabulary = intake_vocab.load_vocabulary(ROOT / "ontology")
        args.json.write_text(json.dumps(to_json(scores, seconds, corpus, vocabulary), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
