"""Reading one prose document: organisations, programmes and their providers, people, and writing what was read.

The reader goes over the document several times, each pass using what the ones before learnt: organisation names
first (so that abbreviations and short names used anywhere are known), then which organisation each sentence refers
to, then parents, programmes, providers, details and people. Every fact keeps the sentence it came from.
"""

import re
from dataclasses import dataclass

from currigraph.convert.facts import FactWriter
from currigraph.convert.prose.layout import Sentence, read_layout
from currigraph.convert.prose.names import OrgName, is_acronym, is_capitalised, organisation_names, possessor, tokens, whole_name
from currigraph.convert.prose.organisations import Org, Organisations, name_key
from currigraph.convert.prose.people import People, Target
from currigraph.convert.prose.programmes import Programmes
from currigraph.convert.prose.providers import ProviderReading
from currigraph.convert.prose.words import UNITS, alternatives, compiled_words, fold
from currigraph.convert.prose.writing import Writing


@dataclass
class Ref:
    """A place in a sentence that refers to an organisation (by name, abbreviation or short name)."""

    start: int
    end: int
    org: Org
    possessive: bool = False


class Reader(ProviderReading, Writing):
    """Everything read from one prose document."""

    def __init__(self, writer: FactWriter) -> None:
        self.writer = writer
        self.words = compiled_words()
        document = writer.document
        self.layout = read_layout(document.body, document.body_line, self.words)
        self.sentences = self.layout.sentences
        self.toks = [tokens(s.clean, self.words) for s in self.sentences]
        self.orgs = Organisations(self.words)
        self.names: list[list[tuple[OrgName, Org]]] = []
        self.refs: list[list[Ref]] = []
        self.homes: dict[tuple[str, int], Org] = {}
        self.main: Org | None = None
        self.programmes = Programmes(self)
        self.people = People(self)
        self.tracks: dict[int, list[tuple[str, Sentence]]] = {}
        self._grouped_prefixes: list[tuple[Org, str, Sentence]] = []

    def run(self) -> None:
        """Read the document and write its facts."""
        self.programmes.read_mentions()
        self._read_organisations()
        self.programmes.group()
        self._introduce_programmes()
        self._providers()
        self._tracks_and_units()
        self.people.read()
        self._write()

    # ------------------------------------------------------------------------------------------------------
    # Organisations
    # ------------------------------------------------------------------------------------------------------

    def _read_organisations(self) -> None:
        words, orgs = self.words, self.orgs
        for sentence in self.sentences:
            paragraph = self.layout.paragraphs[sentence.paragraph]
            names = organisation_names(sentence.clean, self.toks[sentence.index], words)
            pairs: list[tuple[OrgName, Org]] = []
            whole = self._whole(sentence)
            if whole is not None:
                name, abbreviation = whole
                names = [n for n in names if n.end <= name.start or n.start >= name.end]
                org = orgs.add(name, sentence)
                if abbreviation:
                    orgs.alias(org, abbreviation)
                pairs.append((name, org))
                key = ("section", sentence.section) if paragraph.kind == "heading" else ("item", paragraph.index)
                self.homes[key] = org
            grouped = self._grouped(sentence)
            spans = [(g.start, g.end) for g, _ in grouped]
            names = [n for n in names if not any(s <= n.start < e for s, e in spans)]
            pairs += [(n, orgs.add(n, sentence)) for n in names]
            for name, prefix in grouped:
                org = orgs.add(name, sentence)
                pairs.append((name, org))
                if prefix:
                    self._grouped_prefixes.append((org, prefix, sentence))
            self.names.append(sorted(pairs, key=lambda p: p[0].start))
        for sentence, pairs in zip(self.sentences, self.names, strict=True):
            by_name = {id(n): org for n, org in pairs}
            for name, org in pairs:
                if name.parent is not None and id(name.parent) in by_name:
                    orgs.set_parent(org, by_name[id(name.parent)], sentence)
                abbreviation = self._defined_abbreviation(sentence.clean[name.end :])
                if abbreviation:
                    orgs.alias(org, abbreviation)
        self._slots()
        self.refs = [self._refs(s) for s in self.sentences]
        self._parents_from_wording()
        self.main = orgs.main_institution(self.sentences)
        placed: dict[tuple[str, int | None], Org] = {}  # a generic unit's name (and guide section) -> its parent
        for org in orgs.all:
            if org.generic and org.parent is not None:
                placed.setdefault((name_key(org.name, self.words), self.scope_of(org.first)), org.parent)
        for org in orgs.all:
            if org.generic and org.parent is None:
                parent = self._context_parent(org, placed)
                if parent is not None:
                    orgs.set_parent(org, parent, org.first)
                    placed.setdefault((name_key(org.name, self.words), self.scope_of(org.first)), parent)
        orgs.merge_generic()
        for refs in self.refs:
            for ref in refs:
                ref.org = orgs.canonical(ref.org)
        for key, org in self.homes.items():
            self.homes[key] = orgs.canonical(org)

    @staticmethod
    def _defined_abbreviation(after: str) -> str | None:
        """The abbreviation a text defines right after a name: "Riverside State University (RSU)", "DeWitt University
        (DeWitt)", or after a place: "Ss. Peter and Paul University in Southport (UPP)"."""
        match = re.match(r"\s*\((?P<abbr>[^()]{2,12})\)", after)
        if match and (is_acronym(match.group("abbr")) or re.fullmatch(r"[^\W\d_][\w-]+", match.group("abbr"))):
            return match.group("abbr")
        placed = re.match(r"\s+(?P<word>[^\W\d_]+)\s+(?P<place>[^\W\d_][\w-]*)\s*\((?P<abbr>[^()]{2,12})\)", after)
        if placed and placed.group("word").islower() and is_capitalised(placed.group("place")) and is_acronym(placed.group("abbr")):
            return placed.group("abbr")
        return None

    def _whole(self, sentence: Sentence) -> tuple[OrgName, str | None] | None:
        """A heading, or a list item's label, that is an organisation's name."""
        paragraph = self.layout.paragraphs[sentence.paragraph]
        if paragraph.kind == "heading" and self.layout.sections[sentence.section].level <= 6:
            return whole_name(sentence.clean, self.words)  # a Markdown heading; a lone line of a page may be navigation
        if paragraph.kind == "item" and paragraph.label and paragraph.sentences and paragraph.sentences[0] == sentence.index:
            label = paragraph.label
            if sentence.clean.startswith(label):
                return whole_name(label, self.words)
        return None

    def _grouped(self, sentence: Sentence) -> list[tuple[OrgName, str | None]]:
        """'the NU schools of Engineering and Business', 'die Hochschulen Nordstadt und Weststadt': one unit per item."""
        found: list[tuple[OrgName, str | None]] = []
        text = sentence.clean
        for rule in self.words.grouped:
            for match in rule.pattern.finditer(text):
                language, concept = self.words.plurals[match.group("plural")]
                singular = self.words.singular.get((language, concept))
                if singular is None:
                    continue
                head = self.words.heads[singular]
                before = text[: match.start()].split()
                prefix = before[-1] if before and is_capitalised(before[-1]) and not self.words.is_function(before[-1]) else None
                start = text.rfind(prefix, 0, match.start()) if prefix else match.start()
                items, end = self._items(text[match.start("items") :])
                for item in items:
                    name = rule.name.format(singular=singular, item=item)
                    org_name = OrgName(name, start, match.start("items") + end, head, head.kind == UNITS, tokens=name.split())
                    found.append((org_name, prefix))
        return found

    def _items(self, text: str) -> tuple[list[str], int]:
        """The capitalised items of 'A, B and C ...', and where the last ends: the list ends at an item that is not a
        bare name ("... and the College of X", an organisation of its own) or where lower-case text follows one."""
        joins = "|".join(re.escape(c) for c in self.words.conjunctions)
        separator = re.compile(rf",?\s+(?:{joins})\s+|,\s*|[.;:!?]")
        items: list[str] = []
        end = position = 0
        while position < len(text):
            cut = separator.search(text, position)
            piece = text[position : cut.start() if cut else len(text)]
            parts = piece.split()
            name = []
            for part in parts:
                if not is_capitalised(part) or self.words.head(part) or self.words.is_function(part):
                    break
                name.append(part)
            if not name:
                break
            items.append(" ".join(name))
            end = position + piece.find(name[-1]) + len(name[-1])
            if len(name) < len(parts) or cut is None or cut.group().strip() in ".;:!?":
                break
            position = cut.end()
        return items, end

    def _refs(self, sentence: Sentence) -> list[Ref]:
        """Where a sentence refers to organisations: their names, and abbreviations or short names of known ones."""
        refs = [Ref(n.start, n.end, org) for n, org in self.names[sentence.index]]
        toks = self.toks[sentence.index]
        covered = [(r.start, r.end) for r in refs]
        for i, token in enumerate(toks):
            if not token.word or any(s <= token.start < e for s, e in covered):
                continue  # inside a name (grouped units' names include their owner: "the NU schools of ...")
            base = possessor(token.text, self.words) or token.text
            org = None
            following = toks[i + 1] if i + 1 < len(toks) else None
            if (following is not None and following.word and is_capitalised(following.text) and following.start == token.end + 1
                    and not self.words.is_function(base)):
                org = self.orgs.find(f"{base} {following.text}")
                if org is not None:
                    refs.append(Ref(token.start, following.end, org))
                    covered.append((token.start, following.end))
                    org.mentions.add(sentence.index)
                    continue
            if is_acronym(base) or (is_capitalised(base) and not self.words.is_function(base)):
                org = self.orgs.find(base)
            if org is None and "-" in base and is_acronym(base.split("-")[0]):
                org = self.orgs.find(base.split("-")[0])
            if org is not None:
                refs.append(Ref(token.start, token.end, org, possessive=base != token.text))
                org.mentions.add(sentence.index)
        return sorted(refs, key=lambda r: r.start)

    def org_named(self, text: str, sentence: Sentence) -> Org | None:
        """The organisation a short text names, made from an abbreviation in a place only an organisation can take
        ("NU's X", "at NU", "TUS-Student", "an der TH Nordstadt")."""
        text = text.strip()
        found = self.orgs.find(text)
        first = text.split()[0] if text else ""
        if found is None and is_acronym(first) and len(text.split()) <= 2 and not self._programme_word(first):
            found = self.orgs.add_abbreviated(text, sentence)
        return found

    def _slots(self) -> None:
        """Abbreviations in places only an organisation takes become organisations before references are read: the
        owner of a unit or a programme ("NU's X"), the prefix of grouped units, an abbreviation after a provider's
        place word ("an der TUS")."""
        places = alternatives(self.words.provider_places)
        for sentence, pairs in zip(self.sentences, self.names, strict=True):
            for name, _org in pairs:
                if name.possessor:
                    self.org_named(name.possessor, sentence)
            toks = self.toks[sentence.index]
            for i, token in enumerate(toks):
                owner = possessor(token.text, self.words) if token.word else None
                nouns = {fold(n) for n in self.words.programme_nouns | self.words.degree_nouns}
                if owner and any(fold(t.text) in nouns for t in toks[i + 1 : i + 6]):
                    self.org_named(owner, sentence)
            placed = rf"(?<!\w)(?:{places})\s+(?P<abbr>[A-Z][A-Z0-9]{{1,7}})\b(?P<more>\s+[^\W\d_][\w-]*)?"
            for match in re.finditer(placed, sentence.clean):
                more = (match.group("more") or "").strip()
                if more and (self.orgs.find(f"{match.group('abbr')} {more}") or self.orgs.find(more)):
                    continue
                if more and is_capitalised(more) and not self.words.is_function(more) and not self.words.head(more):
                    self.org_named(f"{match.group('abbr')} {more}", sentence)  # "an der TH Nordstadt": the name is both words
                else:
                    self.org_named(match.group("abbr"), sentence)
        for _org, prefix, sentence in self._grouped_prefixes:
            self.org_named(prefix, sentence)

    def _programme_word(self, text: str) -> bool:
        """An abbreviation that is a degree or a programme's subject ("MS", "AI"), not an organisation."""
        if text in self.words.degrees:
            return True
        return any(m.subject and (m.subject == text or m.name == text) for found in self.programmes.mentions for m in found)

    def _parents_from_wording(self) -> None:
        """'NU's X', 'its X', 'the NU schools of ...', 'TUS opened X': parents the sentence's words give."""
        words, orgs = self.words, self.orgs
        for org, prefix, sentence in self._grouped_prefixes:
            owner = self.org_named(prefix, sentence)
            if owner is not None:
                orgs.set_parent(org, owner, sentence)
            else:  # "the Southport faculties of Law and Medicine", Southport unknown: part of the name
                org.name = f"{prefix} {org.name}"
                org.names[0] = org.name
                org.generic = False
                orgs.version += 1
        for sentence, pairs in zip(self.sentences, self.names, strict=True):
            toks = self.toks[sentence.index]
            for name, org in pairs:
                if not name.is_unit or org.parent is not None:
                    continue
                if name.possessor:
                    owner = self.org_named(name.possessor, sentence)
                    if owner is not None and owner is not org:
                        orgs.set_parent(org, owner, sentence)
                        continue
                before = [t for t in toks if t.end <= name.start]
                if before and fold(before[-1].text) in words.possessive_pronouns:
                    owner = self.org_before(sentence, name.start, exclude=org, owners_only=True)
                    if owner is not None:
                        orgs.set_parent(org, owner, sentence)
                        continue
                verb = next((t for t in reversed(before) if fold(t.text) in words.founding), None)
                # "TUS opened ... the Südheim School of X": the unit is what was opened, a few words after the verb
                if verb is not None and len(sentence.clean[verb.end : name.start].split()) <= 6:
                    founders = [r for r in self.refs[sentence.index] if r.end <= verb.start and r.org is not org
                                and name_key(r.org.name, words) != name_key(org.name, words)]
                    if founders:
                        orgs.set_parent(org, founders[-1].org, sentence)

    def org_before(self, sentence: Sentence, position: int | None = None, exclude: Org | None = None,
                   owners_only: bool = False) -> Org | None:
        """The organisation named last before a place in a sentence, in its paragraph, or the one its section is about
        (owners_only: not a unit of a generic name, which owns nothing: "Eastbridge ... its X and its Y" are Eastbridge's)."""
        paragraph = self.layout.paragraphs[sentence.paragraph]
        for index in reversed([i for i in paragraph.sentences if i <= sentence.index]):
            refs = [r for r in self.refs[index] if r.org is not exclude and not (owners_only and r.org.generic)
                    and (index < sentence.index or position is None or r.end <= position)]
            if index == sentence.index and position is None:
                refs = []
            if refs:
                return refs[-1].org
        return self.home_of(sentence)

    def home_of(self, sentence: Sentence) -> Org | None:
        """The organisation the list item or section of a sentence is about, if its label or heading names one."""
        home = self.homes.get(("item", sentence.paragraph))
        if home is None:
            home = self.homes.get(("section", sentence.section))
        return self.orgs.canonical(home) if home is not None else None

    def scope_of(self, sentence: Sentence) -> int | None:
        """The organisation a sentence's programmes belong to, in a guide of several organisations (else None)."""
        if len({id(o) for o in self.homes.values()}) < 2:
            return None
        home = self.home_of(sentence)
        return id(home) if home is not None else None

    def _context_parent(self, org: Org, placed: dict[tuple[str, int | None], Org]) -> Org | None:
        """The parent of a generic unit whose words give none: its section's or item's organisation, the same name placed
        before, the one institution of its sentence; and for a unit that is always part of something (a school,
        faculty, department: `dependent_units`), the one institution of its paragraph or the document's main one. An
        "Institute of X" or a "Centre for X" may stand alone ("Institute of Water Engineers")."""
        home = self.home_of(org.first)
        if home is not None and home is not org:
            return home
        earlier = placed.get((name_key(org.name, self.words), self.scope_of(org.first)))
        if earlier is not None and earlier is not org:
            return earlier  # "Fachbereich X der Hochschule Y" first, "des Fachbereichs X" later: the same unit
        in_sentence = {id(r.org): r.org for r in self.refs[org.first.index] if r.org.institution and r.org is not org}
        if len(in_sentence) == 1:
            return next(iter(in_sentence.values()))
        if org.head is None or org.head.concept not in self.words.dependent_units:
            return None
        paragraph = self.layout.paragraphs[org.first.paragraph]
        sentences = [i for i in paragraph.sentences if i <= org.first.index]
        found = {id(r.org): r.org for i in sentences for r in self.refs[i] if r.org.institution and r.org is not org}
        if len(found) == 1:
            return next(iter(found.values()))
        return self.main if self.main is not org else None

    # ------------------------------------------------------------------------------------------------------
    # Where roles are held
    # ------------------------------------------------------------------------------------------------------

    def role_target(self, piece: str, sentence: Sentence) -> Target | None:
        """The organisation a role's words name, else the programme they name."""
        text = sentence.clean
        start = text.find(piece)
        if start < 0:
            return None
        end = start + len(piece)
        inside = [r.org for r in self.refs[sentence.index] if start <= r.start and r.end <= end]
        if inside:
            ancestors = {id(a) for org in inside for a in self._ancestors(org)}
            innermost = [o for o in inside if id(o) not in ancestors]  # "in the Department of X at the University of Y"
            return (innermost or inside)[-1]
        mentions = [m for m in self.programmes.mentions[sentence.index] if start <= m.start and m.end <= end]
        for mention in mentions:
            programme = self.programmes.of_mention(mention)
            if programme is not None:
                return programme
        return None

    def trailing_place(self, title: str, sentence: Sentence) -> tuple[str, Org] | None:
        """'... an der Hochschule Nordstadt' at the end of a role: the place words with the organisation, and the organisation."""
        text = sentence.clean
        start = text.find(title)
        if start < 0:
            return None
        end = start + len(title)
        refs = [r for r in self.refs[sentence.index] if start <= r.start and r.end == end]
        if not refs:
            return None
        ref = refs[-1]
        before = text[start : ref.start].split()
        places = self.words.role_places | self.words.part_of
        while before and fold(before[-1]) in self.words.articles and " ".join(before[-2:]) not in places:
            before.pop()
        for size in (2, 1):
            phrase = " ".join(before[-size:])
            if len(before) > size and phrase in self.words.role_places | self.words.part_of:
                return text[start + text[start:].find(phrase, len(" ".join(before[:-size]))) : end], ref.org
        return None

    def has_object(self, title: str) -> bool:
        """A role with its own object ('vice president of Medicine'), which a shared organisation does not replace."""
        return re.search(rf"\s(?:{alternatives(self.words.role_places)})\s+\S", title) is not None

