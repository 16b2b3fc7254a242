"""The section writer's binary search on sorted N-Quads: SectionWriter.splice and _lower_bound, against a plain sort."""

import random
from pathlib import Path

import pytest

from currigraph.build.writer import SectionWriter, _lower_bound

GRAPH = "<https://example.org/g>"
# Subjects chosen to be hard for a search: prefixes of each other, IRIs that sort around '>' and ' ', a blank node.
SUBJECTS = [b"<a>", b"<ab>", b"<abc>", b"<a/b>", b"<a!>", b"<b>", b"<c>", b"_:b0", b"_:b1"]


def line(subject: bytes, n: int) -> bytes:
    return b"%s <https://example.org/p%d> \"v%d\" %s .\n" % (subject, n, n, GRAPH.encode())


def section(subjects: dict[bytes, int]) -> bytes:
    """Sorted N-Quads lines: `count` lines for each subject."""
    return b"".join(sorted(line(s, n) for s, count in subjects.items() for n in range(count)))


def expected(old: bytes, blocks: dict[bytes, bytes]) -> tuple[bytes, int]:
    """What splice must write, by a plain sort: the old lines of other subjects and the new blocks; and the lines removed."""
    kept = [x for x in old.splitlines(keepends=True) if x.split(b" ", 1)[0] not in blocks]
    new = [x for block in blocks.values() for x in block.splitlines(keepends=True)]
    return b"".join(sorted(kept + new)), old.count(b"\n") - len(kept)


def splice(tmp_path: Path, old: bytes, blocks: dict[bytes, bytes], before: bytes = b"", after: bytes = b"",
           written_before: bytes = b"") -> tuple[bytes, int, tuple[int, int]]:
    """Splice a section that sits between other bytes of its file, into an output that may already hold bytes."""
    source = tmp_path / "old.nq"
    source.write_bytes(before + old + after)
    with source.open("rb") as src, (tmp_path / "new.nq").open("w+b") as out:
        out.write(written_before)
        writer = SectionWriter(out)
        removed = writer.splice("g", src, len(before), len(old), blocks)
        where = writer.sections["g"]
    data = (tmp_path / "new.nq").read_bytes()
    assert data[:len(written_before)] == written_before
    return data[where[0]:where[0] + where[1]], removed, where


OLD = section({b"<a>": 3, b"<ab>": 2, b"<abc>": 1, b"<a/b>": 2, b"<b>": 2, b"<c>": 3, b"_:b0": 1})
CASES = {
    "first subject": {b"<a/b>": line(b"<a/b>", 7)},
    "last subject": {b"_:b0": line(b"_:b0", 5) + line(b"_:b0", 6)},
    "a prefix of others": {b"<a>": line(b"<a>", 9)},
    "one that has a prefix": {b"<ab>": line(b"<ab>", 8)},
    "missing, between others": {b"<a!>": line(b"<a!>", 1)},
    "missing, after all": {b"_:b1": line(b"_:b1", 0)},
    "missing, before all": {b"<0>": line(b"<0>", 0)},
    "removed": {b"<ab>": b""},
    "all removed": {s: b"" for s in (b"<a>", b"<ab>", b"<abc>", b"<a/b>", b"<b>", b"<c>", b"_:b0")},
    "several": {b"<a>": b"", b"<abc>": line(b"<abc>", 4), b"<b>": line(b"<b>", 5), b"_:b1": line(b"_:b1", 2)},
    "nothing": {},
}


@pytest.mark.parametrize("name", CASES)
def test_splice_replaces_exactly_the_subjects_lines(tmp_path: Path, name: str) -> None:
    blocks = CASES[name]
    want, removed = expected(OLD, blocks)
    # other graphs' lines around the section sort before and after any of its lines: a search past its bounds would find them
    got, count, where = splice(tmp_path, OLD, blocks, before=line(b"<zzz>", 1), after=line(b"<0>", 1), written_before=b"# header\n")
    assert got == want and count == removed
    assert where == (len(b"# header\n"), len(want))


@pytest.mark.parametrize("blocks", [{}, {b"<a>": line(b"<a>", 1)}, {b"<a>": b""}], ids=["nothing", "a new subject", "a removal"])
def test_splice_of_an_empty_section(tmp_path: Path, blocks: dict[bytes, bytes]) -> None:
    got, removed, where = splice(tmp_path, b"", blocks, before=line(b"<b>", 1), after=line(b"<c>", 1))
    assert got == b"".join(blocks.values()) and removed == 0 and where[1] == len(got)


def test_splice_agrees_with_a_sort_on_random_sections(tmp_path: Path) -> None:
    rng = random.Random(7)
    for _ in range(200):
        old = section({s: rng.randint(0, 3) for s in SUBJECTS})
        chosen = rng.sample(SUBJECTS, rng.randint(1, len(SUBJECTS)))
        blocks = {s: b"".join(sorted({line(s, rng.randint(0, 9)) for _ in range(rng.randint(0, 3))})) for s in chosen}
        want, removed = expected(old, blocks)
        got, count, _ = splice(tmp_path, old, blocks, before=line(b"<zzz>", 0), after=line(b"<0>", 0))
        assert (got, count) == (want, removed), (old, blocks)


def test_lower_bound_finds_the_first_line_not_below_the_key() -> None:
    data = section({b"<a>": 2, b"<ab>": 2, b"<b>": 1})
    lines = data.splitlines(keepends=True)
    starts = [sum(len(x) for x in lines[:i]) for i in range(len(lines) + 1)]
    for key in (b"<a> ", b"<a>!", b"<ab> ", b"<ab>!", b"<b> ", b"<b>!", b"<", b"<0", b"~", b"<a", b"<aa", *lines):  # a whole line is >= itself
        want = next((starts[i] for i, x in enumerate(lines) if x >= key), len(data))
        assert _lower_bound(data, 0, len(data), key) == want, key
    # within bounds: lines outside [lo, hi) are never looked at
    lo, hi = starts[1], starts[4]
    assert _lower_bound(data, lo, hi, b"<") == lo and _lower_bound(data, lo, hi, b"~") == hi
    assert _lower_bound(data, lo, hi, b"<ab> ") == starts[2]
    assert _lower_bound(data, 0, 0, b"<a> ") == 0 and _lower_bound(b"", 0, 0, b"x") == 0
