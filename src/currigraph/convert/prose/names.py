"""Names in a sentence: tokens, organisation names with the relations their wording gives, acronyms, people's names.

An organisation's name is capitalised words around a head word of the lexicon ("University", "Hochschule"), joined
only by the lexicon's linking words; it ends where its words end, so no run-on text becomes a name. Two names
written together ("Riverside State University College of Engineering", "School of X at the University of Y",
"NU's Keller School of Nursing") give the unit and the organisation it belongs to.
"""

import re
from dataclasses import dataclass, field

from currigraph.convert.prose.words import UNITS, Head, Words

# Names longer than this are not names but text that happened to be capitalised.
MAX_NAME_WORDS = 12
MAX_NAME_CHARS = 120
MAX_MODIFIERS = 4  # "Carl-Muster-Universität", "Maria E. Keller Institute": words before the head word

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_](?:[\w'.&-]*[^\W_])?|\S")


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark of a sentence, with its character span."""

    text: str
    start: int
    end: int

    @property
    def word(self) -> bool:
        """True for words (letters or digits), False for punctuation."""
        return self.text[0].isalnum()


def tokens(text: str, words: Words) -> list[Token]:
    """The tokens of a sentence; a full stop stays with an initial ("E."), an abbreviation or an honorific ("Prof.")."""
    found = [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    dotted = words.abbreviations | words.honorific_prefixes | words.honorific_suffixes | set(words.degrees)
    out: list[Token] = []
    i = 0
    while i < len(found):
        token = found[i]
        following = found[i + 1] if i + 1 < len(found) else None
        if following is not None and following.text == "." and following.start == token.end and token.word:
            joined = token.text + "."
            if joined in dotted or "." in token.text or (len(token.text) == 1 and token.text.isupper()):
                out.append(Token(joined, token.start, following.end))
                i += 2
                continue
        out.append(token)
        i += 1
    return out


def is_capitalised(text: str) -> bool:
    """A word starting with a capital letter ("Nordstadt", "Carl-von-Muster", "DeWitt")."""
    return text[:1].isupper()


def is_initial(text: str) -> bool:
    """A single capital with its full stop: "E." of "Maria E. Keller"."""
    return len(text) == 2 and text[0].isupper() and text[1] == "."


def is_acronym(text: str) -> bool:
    """An all-capitals abbreviation of two to eight characters ("NU", "TUS", "WP"), digits allowed inside."""
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(text) <= 8 and len(letters) >= 2 and all(c.isupper() for c in letters) and text.isalnum()


def possessor(text: str, words: Words) -> str | None:
    """The owner of a possessive word ("NU's" -> "NU"), or None."""
    for suffix in sorted(words.possessive_suffixes, key=len, reverse=True):
        if text.endswith(suffix.replace("\u2019", "'")) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return None


def initials(name: str, words: Words, lower: bool = False) -> str:
    """Initials of the capitalised words of a name, skipping linkers and single-letter initials; with lower, hyphen
    parts and lower-case particles count too ("Carl-von-Muster Universität" -> "CvMU")."""
    letters: list[str] = []
    for word in name.replace("(", " ").replace(")", " ").split():
        if is_initial(word) or word in words.linkers or words.is_function(word) and not is_capitalised(word):
            continue
        parts = word.split("-") if lower else [word]
        for part in parts:
            if part and (is_capitalised(part) or (lower and part.isalpha())):
                letters.append(part[0])
    return "".join(letters)


def acronym_of(short: str, name: str, words: Words) -> bool:
    """True when a short form abbreviates a name: its initials ("RSU" of "Riverside State University"), with hyphen parts ("CVMU" of
    "Carl-von-Muster Universität"), or skipping some ("CNR" of "College of Natural and Social Resources")."""
    if not is_acronym(short):
        return False
    for letters in {initials(name, words), initials(name, words, lower=True)}:
        upper = letters.upper()
        if short == upper:
            return True
        if len(short) >= 3 and short[0] == upper[:1] and short[-1] == upper[-1:] and _subsequence(short, upper):
            return True
    return False


def _subsequence(short: str, letters: str) -> bool:
    rest = iter(letters)
    return all(c in rest for c in short)


@dataclass
class OrgName:
    """An organisation name found in a sentence, with what its wording says about it."""

    name: str
    start: int
    end: int
    head: Head
    generic: bool  # a unit named by its kind and subject only ("Faculty of Medicine"): needs its parent to be known
    parent: "OrgName | None" = None  # written with it: "X at Y", "Y X", "Y's X"
    possessor: str | None = None  # "NU's X", "Fakultät X der TH Nordstadt": the owner as written
    tokens: list[str] = field(default_factory=list)

    @property
    def is_unit(self) -> bool:
        """True when the head word names a part of an organisation (school, faculty, department ...)."""
        return self.head.kind == UNITS


def organisation_names(text: str, toks: list[Token], words: Words) -> list[OrgName]:
    """Every organisation name of a sentence, in order, with the parents and possessors their wording gives."""
    found: list[OrgName] = []
    for run, owner in _runs(text, toks, words):
        names = _segments(text, run, words)
        if names and owner is not None and names[0].start == run[0].start and not names[0].parent:
            names[0].possessor = owner
        found += names
    _link_between_runs(text, found, words)
    return found


def _is_linker(token: Token, words: Words) -> bool:
    return token.text in words.linkers


def _runs(text: str, toks: list[Token], words: Words) -> list[tuple[list[Token], str | None]]:
    """Stretches of capitalised words and linking words, separated by nothing but spaces; a possessive ends one and
    is kept as the owner of the next."""
    runs: list[tuple[list[Token], str | None]] = []
    current: list[Token] = []
    owner: tuple[str, int] | None = None  # a possessive just before the run: the owner and where it ends

    def close(next_owner: tuple[str, int] | None = None) -> None:
        nonlocal current, owner
        while current and _is_linker(current[-1], words):
            current.pop()
        dropped = False
        while current and words.is_function(current[0].text) and not words.head(current[0].text):
            current.pop(0)
            dropped = True
        if current:
            adjacent = owner is not None and not dropped and not text[owner[1] : current[0].start].strip()
            runs.append((current, owner[0] if adjacent and owner else None))
        current, owner = [], next_owner

    for token in toks:
        if current and text[current[-1].end : token.start].strip():
            close()
        own = possessor(token.text, words) if token.word else None
        if own is not None and is_capitalised(own):
            close((own, token.end))
            continue
        if token.word and (is_capitalised(token.text) or is_initial(token.text)):
            current.append(token)
        elif _is_linker(token, words) and current:
            current.append(token)
        else:
            close()
    close()
    return runs


def _segments(text: str, run: list[Token], words: Words) -> list[OrgName]:
    """The organisation names in one run: each head word with the modifiers before it and its tail after it."""
    heads = [i for i, t in enumerate(run) if words.head(t.text) and is_capitalised(t.text)]
    names: list[OrgName] = []
    relation: str | None = None
    previous: OrgName | None = None
    coordinated: list[OrgName] = []  # units joined by conjunctions: "the Faculty of X and the Faculty of Y at Z"
    cursor = 0
    for h in heads:
        if h < cursor:
            continue
        head = words.head(run[h].text)
        assert head is not None
        start = h
        while start - 1 >= cursor and h - start < MAX_MODIFIERS:
            before = run[start - 1]
            if _is_linker(before, words):
                # "Ss. Peter and Paul University": a conjunction between two words of the name, not after a head
                joined = before.text in words.conjunctions and start - 2 >= cursor and not words.head(run[start - 2].text) \
                    and not _is_linker(run[start - 2], words) and not words.is_function(run[start - 2].text)
                if not joined:
                    break
            elif words.head(before.text) or words.is_function(before.text):
                break  # "... Says That The Large International University": a name's words before its head are few
            start -= 1
        start = _drop_place_adjective(run, start, h, head, words)
        end, budget, j, next_relation, owner = h + 1, head.after, h + 1, None, None
        tail_linkers = words.tail_linkers(head)
        while j < len(run):
            token = run[j]
            if _is_linker(token, words) and token.text not in tail_linkers:
                break  # a linker of another language: "Institute und ..." is no English name
            if _is_linker(token, words):
                k = j
                while k < len(run) and _is_linker(run[k], words):
                    k += 1
                group_end = k
                while group_end < len(run) and not _is_linker(run[group_end], words):
                    group_end += 1
                group = range(k, group_end)
                joins = [t.text for t in run[j:k]]
                # "at", "of the", "an der": the words of "X at Y"; a lone "of" is a name's own ("Department of Laboratory
                # Medicine"), so only a listed phrase or word separates two names.
                part = " ".join(joins) in words.part_of or any(w in words.part_of and " " not in w for w in joins)
                if k < len(run) and part and is_acronym(run[k].text):
                    # "Fakultät für X der TH Nordstadt": the abbreviation owns the unit; it is no word of its name
                    owner = " ".join(t.text for t in run[k : min(group_end, k + 2)])
                    break
                if k == len(run):
                    break
                if any(i in heads for i in group):
                    if set(joins) & words.conjunctions:
                        next_relation = "and"  # "Northfield University and Lakeside Institute of Technology": two names
                        break
                    if part:
                        next_relation = "part"
                        break
                end = j = group_end
                continue
            if words.head(token.text):
                next_relation = "adjacent"
                break
            if budget > 0:
                budget -= 1
                end = j = j + 1
                continue
            break
        name = _name(text, run, start, h, end, head, words)
        if name is not None and owner is not None:
            name.possessor = owner
        if name is not None:
            if previous is not None and relation == "part":
                for unit in [*coordinated, previous]:  # "X at Y": the first is part of the second, and so are its siblings
                    if unit.is_unit and unit.parent is None:
                        unit.parent = name
            elif previous is not None and relation == "adjacent" and name.is_unit and len(previous.tokens) > 1:
                name.parent = previous  # "Y X", two names written together: the second is part of the first
            names.append(name)
        coordinated = [*coordinated, previous] if relation == "and" and previous is not None else []
        previous = name
        relation = next_relation
        cursor = end
    return names


def _drop_place_adjective(run: list[Token], start: int, head_at: int, head: Head, words: Words) -> int:
    """'Nordstädter Muster Hochschule': an adjective of the place before a name is not part of it."""
    suffixes = words.place_adjective_suffixes.get(head.language, set())
    if head_at - start >= 2 and any(run[start].text.endswith(s) for s in suffixes) and len(run[start].text) > 4:
        return start + 1
    return start


def _name(text: str, run: list[Token], start: int, head_at: int, end: int, head: Head, words: Words) -> OrgName | None:
    """The name of a segment, if it is one: more than a bare head word, and not too long."""
    part = run[start:end]
    if len(part) == 1 or len(part) > MAX_NAME_WORDS:
        return None
    name = text[part[0].start : part[-1].end]
    written = run[head_at].text
    if written != head.word and written in words.heads:  # an inflected head ("des Instituts für X")
        name = name.replace(written, head.word, 1)
    name = _nominative(text, run, start, head_at, head, name, words)
    if len(name) > MAX_NAME_CHARS:
        return None
    modifiers = head_at - start
    tail = end - head_at - 1
    generic = head.kind == UNITS and (modifiers == 0 or tail == 0 and modifiers <= 2)
    return OrgName(name, part[0].start, part[-1].end, head, generic, tokens=[t.text for t in part])


def _nominative(text: str, run: list[Token], start: int, head_at: int, head: Head, name: str, words: Words) -> str:
    """'an der Technischen Universität Südheim' names the Technische Universität Südheim: after an oblique article,
    the adjectives before the head word take their nominative ending (the head's language's `modifier_endings`)."""
    endings = words.modifier_endings.get(head.language, {})
    before = text[: run[start].start].split()
    if not endings or start == head_at or not before or before[-1].casefold() not in words.oblique_articles:
        return name
    for token in run[start:head_at]:
        for oblique, nominative in endings.items():
            if token.text.endswith(oblique) and "-" not in token.text:
                name = name.replace(token.text, token.text[: -len(oblique)] + nominative, 1)
                break
    return name


def _link_between_runs(text: str, names: list[OrgName], words: Words) -> None:
    """'Institut für X an der Universität Y': a part-of phrase between two names makes the first a unit of the second."""
    phrases = sorted(words.part_of, key=len, reverse=True)
    for first, second in zip(names, names[1:], strict=False):
        if first.parent is not None or not first.is_unit:
            continue
        between = re.sub(r"^\s*\([^()\s]{2,12}\)", "", text[first.end : second.start])  # "X (SNS) at the University of Y"
        if between.strip() == "," and first.generic and second.head.kind != UNITS:
            first.parent = second  # "Department of Computer Science, University of Eastbridge"
            continue
        gap = between.strip().split()
        while gap and words.is_function(gap[-1]) and " ".join(gap) not in phrases:
            gap.pop()  # "at the University ...": the article
        if gap and " ".join(gap) in phrases:
            first.parent = second


@dataclass
class PersonName:
    """A person's name in a sentence, with the honorifics written before and after it."""

    name: str
    start: int
    end: int
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)


def person_at(text: str, toks: list[Token], i: int, words: Words) -> tuple[PersonName, int] | None:
    """The person's name starting at token i (after any honorific prefixes), and the index after it; None if not one.

    A name is two to four capitalised words or initials, lower-case particles allowed inside ("Ludwig van Beethoven"),
    none of them a head word, a function word, a role title or a degree; honorific suffixes after commas are read too.
    """
    prefixes: list[str] = []
    while i < len(toks) and toks[i].text in words.honorific_prefixes:
        prefixes.append(toks[i].text)
        i += 1
    parts: list[Token] = []
    j = i
    while j < len(toks) and len(parts) < 5:
        t = toks[j]
        if parts and text[parts[-1].end : t.start].strip():
            break
        if is_initial(t.text) or (t.word and is_capitalised(t.text) and _name_word(t.text, words)):
            parts.append(t)
        elif parts and t.text in words.particles and j + 1 < len(toks) and is_capitalised(toks[j + 1].text):
            parts.append(t)
        else:
            break
        j += 1
    words_in = [p for p in parts if not is_initial(p.text) and p.text not in words.particles]
    if len(words_in) < 2 or len(parts) > 4 or is_initial(parts[-1].text):
        return None
    person = PersonName(text[parts[0].start : parts[-1].end], parts[0].start, parts[-1].end, prefixes)
    k = j
    while k + 1 < len(toks) and toks[k].text == "," and toks[k + 1].text in words.honorific_suffixes:
        person.suffixes.append(toks[k + 1].text)
        person.end = toks[k + 1].end
        k += 2
    return person, k


def _name_word(text: str, words: Words) -> bool:
    """A capitalised word that can be part of a person's name."""
    if words.head(text) or words.is_function(text) or text in words.months or text in words.degrees or is_acronym(text):
        return False
    if text.casefold() in words.role_titles or text in words.plurals or text in words.programme_nouns:
        return False
    return not any(ch.isdigit() for ch in text)


def whole_name(text: str, words: Words) -> tuple[OrgName, str | None] | None:
    """A heading or list label that is an organisation's name and nothing else ("Eastbridge University St. John
    Smith", "Norra Muster Högskolan (NMH)"), with the abbreviation in its parentheses."""
    text = text.strip().rstrip(":").strip()
    abbreviation = None
    match = re.match(r"^(?P<name>.*\S)\s*\((?P<abbr>[^()]{2,12})\)$", text)
    if match:
        text, abbreviation = match.group("name"), match.group("abbr").strip()
    parts = text.split()
    if not 2 <= len(parts) <= MAX_NAME_WORDS or len(text) > MAX_NAME_CHARS:
        return None
    if not all(is_capitalised(p) or p in words.linkers or is_initial(p) for p in parts) or words.is_function(parts[0]):
        return None
    at = [i for i, p in enumerate(parts) if words.head(p)]
    heads = [words.head(parts[i]) for i in at]
    between = parts[at[0] : at[-1]] if at else []
    if not heads or parts[-1] in words.linkers or any(p in words.conjunctions for p in between):
        return None  # no head word, cut after a linker, or two names joined ("Fachbereich X und des Fachbereichs Y")
    head = heads[0]
    assert head is not None
    generic = head.kind == UNITS and words.head(parts[0]) is not None
    return OrgName(text, 0, len(text), head, generic, tokens=parts), abbreviation
