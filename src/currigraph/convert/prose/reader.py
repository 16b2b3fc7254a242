"""Reading one prose document: organisations, programmes and their providers, people, and writing what was read.

The reader goes over the document several times, each pass using what the ones before learnt: organisation names
first (so that abbreviations and short names used anywhere are known), then which organisation each sentence refers
to, then parents, programmes, providers, details and people. Every fact keeps the sentence it came from.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef

from currigraph.convert.facts import FactWriter
from currigraph.convert.prose.layout import Sentence, read_layout
from currigraph.convert.prose.names import OrgName, is_acronym, is_capitalised, organisation_names, possessor, tokens, whole_name
from currigraph.convert.prose.organisations import Org, Organisations, name_key
from currigraph.convert.prose.people import People, Person, Target
from currigraph.convert.prose.programmes import Mention, Programme, Programmes
from currigraph.convert.prose.words import INSTITUTIONS, UNITS, alternatives, compiled_words, fold
from currigraph.iris import slugify
from currigraph.vocab import CG, SCHEMA, XSD


@dataclass
class Ref:
    """A place in a sentence that refers to an organisation (by name, abbreviation or short name)."""

    start: int
    end: int
    org: Org
    possessive: bool = False


class Reader:
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
        """The abbreviation a text defines right after a name: "Wayne State University (WSU)", "DePaul University
        (DePaul)", or after a place: "Ss. Cyril and Methodius University in Skopje (UKIM)"."""
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
        """'the UAB schools of Engineering and Business', 'die Hochschulen Anhalt und Harz': one unit per item."""
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
                continue  # inside a name (grouped units' names include their owner: "the UAB schools of ...")
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
        ("UAB's X", "at UAB", "THWS-Student", "an der TH Köln")."""
        text = text.strip()
        found = self.orgs.find(text)
        first = text.split()[0] if text else ""
        if found is None and is_acronym(first) and len(text.split()) <= 2 and not self._programme_word(first):
            found = self.orgs.add_abbreviated(text, sentence)
        return found

    def _slots(self) -> None:
        """Abbreviations in places only an organisation takes become organisations before references are read: the
        owner of a unit or a programme ("UAB's X"), the prefix of grouped units, an abbreviation after a provider's
        place word ("an der THWS")."""
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
                    self.org_named(f"{match.group('abbr')} {more}", sentence)  # "an der TH Köln": the name is both words
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
        """'UAB's X', 'its X', 'the UAB schools of ...', 'TUM opened X': parents the sentence's words give."""
        words, orgs = self.words, self.orgs
        for org, prefix, sentence in self._grouped_prefixes:
            owner = self.org_named(prefix, sentence)
            if owner is not None:
                orgs.set_parent(org, owner, sentence)
            else:  # "the Exampleton faculties of Law and Medicine", Exampleton unknown: part of the name
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
                # "TUM opened ... the Munich School of X": the unit is what was opened, a few words after the verb
                if verb is not None and len(sentence.clean[verb.end : name.start].split()) <= 6:
                    founders = [r for r in self.refs[sentence.index] if r.end <= verb.start and r.org is not org
                                and name_key(r.org.name, words) != name_key(org.name, words)]
                    if founders:
                        orgs.set_parent(org, founders[-1].org, sentence)

    def org_before(self, sentence: Sentence, position: int | None = None, exclude: Org | None = None,
                   owners_only: bool = False) -> Org | None:
        """The organisation named last before a place in a sentence, in its paragraph, or the one its section is about
        (owners_only: not a unit of a generic name, which owns nothing: "Oxford ... its X and its Y" are Oxford's)."""
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
        "Institute of X" or a "Centre for X" may stand alone ("Institute of Electrical and Electronic Engineers")."""
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
    # Programmes and their providers
    # ------------------------------------------------------------------------------------------------------

    def _introduce_programmes(self) -> None:
        """A programme the document introduces: named twice, named strongly, provided, or opening its section's text."""
        claims = [self._claims(s, named_only=True) for s in self.sentences]
        for programme in self.programmes.all:
            named = programme.named
            if len({m.sentence.index for m in named}) >= 2 or any(m.strong for m in named):
                programme.evidence = True
            elif any(self.home_of(m.sentence) is not None and self._opens(m) for m in named):
                programme.evidence = True
            elif any(m.programme is programme for found in claims for m, _ in found):
                programme.evidence = True

    def _opens(self, mention: Mention) -> bool:
        """The mention starts its sentence (after at most one function word): the sentence is about it."""
        before = mention.sentence.clean[: mention.start].split()
        return not before or (len(before) == 1 and fold(before[0]) in self.words.articles | self.words.demonstratives)

    def _providers(self) -> None:
        for sentence in self.sentences:
            for mention, orgs in self._claims(sentence, named_only=False):
                programme = self.programmes.of_mention(mention)
                if programme is not None:
                    for org in orgs:
                        programme.providers.setdefault(id(org), (org, sentence))
        for programme in self.programmes.kept():
            for mention in programme.named:
                home = self.home_of(mention.sentence)
                if home is not None:
                    programme.providers.setdefault(id(home), (home, mention.sentence))

    def _claims(self, sentence: Sentence, named_only: bool) -> list[tuple[Mention, list[Org]]]:
        """Which organisations a sentence says provide which programme mention."""
        words = self.words
        text = sentence.clean
        mentions = [m for m in self.programmes.mentions[sentence.index] if m.name or not named_only]
        refs = self.refs[sentence.index]
        claims: list[tuple[Mention, list[Org]]] = []
        by_verbs = f"(?:{alternatives(words.providing_verbs)})(?:\\s+[^\\W\\d_]+)?\\s+(?:{alternatives(words.by_words)})\\s+"
        passive_ends: list[int] = []
        for match in re.finditer(rf"\b(?i:{by_verbs})", text):
            passive_ends.append(match.start())
            target = self._mention_before(mentions, match.start(), text) or self._implicit(sentence, match.start(), named_only)
            orgs = self._chain(refs, match.end(), text)
            if target is not None and orgs:
                claims.append((target, orgs))
        verbs = {fold(v) for v in words.providing_verbs | words.providing_actions}
        for by in [t for t in self.toks[sentence.index] if t.text in words.by_words]:
            orgs = self._chain(refs, by.end, text)
            later = [t for t in self.toks[sentence.index] if t.start > by.end and fold(t.text) in verbs]
            target = self._mention_before(mentions, by.start, text) or self._implicit(sentence, by.start, named_only)
            if orgs and later and target is not None and not any(e <= by.start for e in passive_ends):
                claims.append((target, orgs))  # "vom Fachbereich X der Hochschule Y angeboten": the verb comes last
                passive_ends.append(later[0].start)
        for mention in mentions:
            after = re.sub(r"^\s*\([^()]*\)", "", text[mention.end :])
            offset = len(text) - len(after)
            auxiliary = rf"(?:(?i:{alternatives(words.auxiliaries)})\s+){{0,2}}" if words.auxiliaries else ""
            place = re.match(rf"\s*,?\s*{auxiliary}(?:{alternatives(words.provider_places)})\s+", after)
            if place:
                orgs = self._chain(refs, offset + place.end(), text, single=True)
                if orgs:
                    claims.append((mention, orgs))
            gap = 0 if mention.name else 4  # "UAB's newest AI graduate degree program", "DePaul's MS in AI"
            owner = [r for r in refs if r.possessive and r.end <= mention.start and len(text[r.end : mention.start].split()) <= gap]
            if owner:
                claims.append((mention, [owner[-1].org]))
            if mention.name:
                listed = self._listed_providers(sentence, mention)
                if listed:
                    claims.append((mention, listed))
        actions = [t for t in self.toks[sentence.index] if fold(t.text) in words.providing_actions and t.start not in passive_ends]
        if actions:
            others = {fold(w) for w in words.other_words}
            targets = [m for m in mentions if not m.fused and not any(fold(w) in others for w in text[: m.start].split()[-2:])]
            named = [m for m in targets if m.name]
            previous_end, previous_orgs = 0, []
            # Each programme takes the subject of its own clause: "X offers the A, while Y offers the B"; a programme
            # coordinated with the one before ("offers an A and a B") takes the same subject.
            for target in named or targets[:1]:
                before = [t for t in actions if t.start < target.start]
                verb = before[-1] if before else actions[0]
                limit = min(verb.start, target.start)
                orgs = [r.org for r in refs if previous_end <= r.start and r.end <= limit and not self._after_by(text, r.start)]
                orgs = [o for o in orgs if not any(other.parent is o for other in orgs)]
                pronoun = any(fold(t.text) in words.plural_pronouns for t in self.toks[sentence.index] if t.end <= target.start)
                if not orgs and pronoun:
                    orgs = self._previous_orgs(sentence)
                if not orgs and not named_only:
                    orgs = self._abbreviated_subject(sentence, limit)
                if not orgs and limit < previous_end:
                    orgs = previous_orgs
                if orgs:
                    claims.append((target, list(dict.fromkeys(orgs))))
                previous_end, previous_orgs = target.end, orgs
        return claims

    def _implicit(self, sentence: Sentence, position: int, named_only: bool) -> Mention | None:
        """'It is run by X', 'Er wird von X angeboten': a short subject before the verb refers to the sentence's programme."""
        before = sentence.clean[:position].split()
        if named_only or len(before) > 3 or self.programmes.of_sentence(sentence) is None:
            return None
        return Mention(sentence, 0, 0, "")

    def _abbreviated_subject(self, sentence: Sentence, limit: int) -> list[Org]:
        """'Die TH Köln bietet ... an': an abbreviation (with the place after it) as the subject of a providing verb."""
        toks = [t for t in self.toks[sentence.index] if t.end <= limit]
        for i, token in enumerate(toks):
            if is_acronym(token.text) and not self._programme_word(token.text):
                following = toks[i + 1] if i + 1 < len(toks) else None
                name = token.text
                if following is not None and following.start == token.end + 1 and is_capitalised(following.text) \
                        and not self.words.is_function(following.text) and following.text.isalpha():
                    name += " " + following.text
                org = self.org_named(name, sentence)
                return [org] if org is not None else []
        return []

    def _mention_before(self, mentions: list[Mention], position: int, text: str) -> Mention | None:
        """The programme mention just before a verb (a comma and one word between at most)."""
        before = [m for m in mentions if m.end <= position and len(re.findall(r"\w+", text[m.end : position])) <= 2]
        return before[-1] if before else None

    def _chain(self, refs: list[Ref], start: int, text: str, single: bool = False) -> list[Org]:
        """The organisations named one after another from a place: 'A, B and the C'."""
        fillers = self.words.conjunctions | {a for a in self.words.articles}
        found: list[Org] = []
        position = start
        for ref in refs:
            if ref.start < start:
                continue
            gap = [w for w in re.split(r"[\s,]+", text[position : ref.start]) if w]
            if any(fold(w) not in {fold(f) for f in fillers} for w in gap) or (found and single):
                break
            if ref.org not in found:
                found.append(ref.org)
            position = ref.end
        return found

    def _after_by(self, text: str, position: int) -> bool:
        before = text[:position].split()
        return bool(before) and before[-1] in self.words.by_words

    def _listed_providers(self, sentence: Sentence, mention: Mention) -> list[Org]:
        """'Doctoral Programme in X (University of Luxembourg, LIST, LIH)': the organisations in its parentheses."""
        match = re.match(r"\s*\((?P<list>[^()]{3,200})\)", sentence.clean[mention.end :])
        if not match:
            return []
        joins = "|".join(re.escape(c) for c in self.words.conjunctions)
        items = [i.strip() for i in re.split(rf",\s*|\s+(?:{joins})\s+", match.group("list"))]
        if len(items) == 1 and self.orgs.find(items[0]) is None:
            return []  # "Master of Science in Information Science (MSIS)": its abbreviation
        orgs: list[Org] = []
        for item in items:
            item = item.strip()
            org = self.orgs.find(item) if item else None
            if org is None and is_acronym(item) and not self._programme_word(item):
                org = self.org_named(item, sentence)
            if org is None:
                return []  # a note in parentheses, not a list of organisations
            orgs.append(org)
        return orgs

    def _previous_orgs(self, sentence: Sentence) -> list[Org]:
        """'Gemeinsam entwickeln sie ...': the organisations of the sentence before."""
        if sentence.index == 0:
            return []
        return list(dict.fromkeys(r.org for r in self.refs[sentence.index - 1]))

    # ------------------------------------------------------------------------------------------------------
    # Tracks and the units that deliver them; credits, years, areas, prerequisites, collaborators
    # ------------------------------------------------------------------------------------------------------

    def _tracks_and_units(self) -> None:
        """'Three departments in X will each deliver a track: A (D1), B (D2) and C (D3).' and 'offers three tracks:'
        followed by a list: the tracks, and the units delivering them."""
        words = self.words
        for sentence in self.sentences:
            if ":" not in sentence.clean:
                continue
            before, after = sentence.clean.split(":", 1)
            folded = [fold(w.strip(".,;")) for w in before.split()]
            count = next((self._count(w) for w in folded if self._count(w)), None)
            has_track = any(w in words.track_words for w in folded)
            unit_plural = next((w for w in before.split() if w in words.plurals and words.plurals[w][1]), None)
            if count is None or not (has_track or unit_plural):
                continue
            items = self._colon_items(after) if after.strip() else self._following_items(sentence)
            if len(items) == count - 1:
                items = self._split_last(items)
            if len(items) != count:
                continue
            programme = self.programmes.of_sentence(sentence)
            units: list[Org] = []
            parent_refs = [r for r in self.refs[sentence.index] if r.end <= len(before)]
            for item in items:
                inside = re.match(r"^(?P<name>.*?)\s*\((?P<paren>[^()]+)\)$", item)
                track = item
                if inside and unit_plural:
                    track = inside.group("name")
                    language, concept = words.plurals[unit_plural]
                    head = words.heads[words.singular[(language, concept)]]
                    unit = Org(inside.group("paren"), head, True, sentence, [inside.group("paren")], mentions={sentence.index})
                    self.orgs.all.append(unit)
                    if parent_refs:
                        self.orgs.set_parent(unit, parent_refs[-1].org, sentence)
                    units.append(unit)
                if programme is not None and has_track:
                    self.tracks.setdefault(id(programme), []).append((track, sentence))
            if programme is not None and units and any(fold(t.text) in words.providing_actions for t in self.toks[sentence.index]):
                for unit in units:
                    programme.providers.setdefault(id(unit), (unit, sentence))

    def _count(self, word: str) -> int | None:
        if word.isdigit():
            return int(word)
        return self.words.counts.get(word)

    def _colon_items(self, text: str) -> list[str]:
        """'A (x), B (y), and C (z).' -> its items; commas inside parentheses do not split."""
        joins = "|".join(re.escape(c) for c in self.words.conjunctions if c.isalpha())
        items: list[str] = []
        depth, current = 0, ""
        for char in text.strip().rstrip("."):
            depth += char == "("
            depth -= char == ")"
            if char == "," and depth == 0:
                items.append(current)
                current = ""
            else:
                current += char
        items.append(current)
        cleaned = [re.sub(rf"^\s*(?:{joins})\s+", "", i).strip() for i in items] if joins else [i.strip() for i in items]
        return [i for i in cleaned if i]

    def _split_last(self, items: list[str]) -> list[str]:
        """'A and B' as two items, when the count says there is one more than the commas give."""
        joins = "|".join(re.escape(c) for c in self.words.conjunctions if c.isalpha())
        if not items or not joins:
            return items
        last = items[-1]
        outside = re.sub(r"\([^()]*\)", lambda m: "_" * len(m.group()), last)  # conjunctions inside parentheses stay
        found = list(re.finditer(rf"\s+(?:{joins})\s+", outside))
        if not found:
            return items
        cut = found[-1]
        return [*items[:-1], last[: cut.start()].strip(), last[cut.end() :].strip()]

    def _following_items(self, sentence: Sentence) -> list[str]:
        """The list items right after a sentence ending with a colon: their labels, or their text."""
        layout = self.layout
        items: list[str] = []
        for paragraph in layout.paragraphs[sentence.paragraph + 1 :]:
            if paragraph.kind != "item":
                break
            items.append(paragraph.label or layout.sentences[paragraph.sentences[0]].clean if paragraph.sentences else "")
        return [i for i in items if i]

    # ------------------------------------------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------------------------------------------

    def _write(self) -> None:
        for org in self.orgs.all:
            self._org_iri(org)
        for org in self.orgs.all:
            self._write_org(org)
        written = [p for p in self.programmes.kept() if p.providers or self.main is not None]
        for programme in written:
            if not programme.providers and self.main is not None:
                programme.providers[id(self.main)] = (self.main, programme.named[0].sentence)
            self._write_programme(programme)
        for sentence in self.sentences:
            programme = self.programmes.of_sentence(sentence)
            if programme is None or programme.iri is None:
                continue
            self._credits(programme, sentence)
            self._years(programme, sentence)
            self._key_areas(programme, sentence)
            self._prerequisite(programme, sentence)
            self._collaborators(programme, sentence)
        for person in self.people.all.values():
            self._write_person(person)

    def _org_iri(self, org: Org) -> URIRef:
        if org.iri is not None:
            return org.iri
        minter = self.writer.minter
        parent = self._org_iri(self.orgs.canonical(org.parent)) if org.parent is not None else None
        entry = next((e for e in (minter.linked_entry(n, parent) for n in org.names) if e is not None), None)
        if entry is not None:
            org.iri = minter.linked_organisation(entry)
        elif org.parent is not None:
            org.iri = minter.organisation(org.name, parent=self._org_iri(self.orgs.canonical(org.parent)))
        elif org.generic:
            org.iri = minter.organisation(org.name, scope=self.writer.document.stem)
        else:
            org.iri = minter.organisation(org.name)
        return org.iri

    def _write_org(self, org: Org) -> None:
        writer = self.writer
        standalone = org.head is not None and org.head.concept in self.words.standalone and not org.generic and org.parent is None
        kind = CG.University if org.head is not None and (org.head.kind == INSTITUTIONS or standalone) else CG.Organisation
        parent = self._org_iri(self.orgs.canonical(org.parent)) if org.parent is not None else None
        entry = next((e for e in (writer.minter.linked_entry(n, parent) for n in org.names) if e is not None), None)
        names = list(dict.fromkeys([entry.name, *org.names])) if entry is not None else org.names  # the table's name first
        iri = writer.entity(self._org_iri(org), kind, names[0])
        for name in names[1:]:
            writer.add(iri, SCHEMA.alternateName, Literal(name))
        if org.parent is not None and org.parent_evidence is not None:
            parent = self._org_iri(self.orgs.canonical(org.parent))
            writer.fact(iri, CG.parentOrganisation, parent, org.parent_evidence.text, org.parent_evidence.line)
        writer.fact(writer.source, CG.mentionsOrganisation, iri, org.first.text, org.first.line)

    def _write_programme(self, programme: Programme) -> None:
        writer = self.writer
        name = programme.name
        degree = programme.degree
        providers = list(programme.providers.values())
        ancestors = {id(a) for org, _ in providers for a in self._ancestors(org)}
        # A provider that contains another provider is implied by it (schema:provider reaches it through the parent).
        providers = [(org, sentence) for org, sentence in providers if id(org) not in ancestors] or providers
        if degree is not None and degree.degree and degree.degree in name:
            slug = slugify(name)
        else:  # a programme named by its subject only is one of its institution's ("Computer Science" at KTH)
            root = ([providers[0][0], *self._ancestors(providers[0][0])])[-1]
            slug = f"{str(self._org_iri(root)).rstrip('/').rsplit('/', 1)[-1]}/{slugify(name)}"
        programme.slug = slug
        first = programme.named[0].sentence
        iri = programme.iri = writer.entity(writer.minter.programme(slug), CG.Programme, name)
        for other in programme.names[1:]:
            writer.add(iri, SCHEMA.alternateName, Literal(other))
        if degree is not None and degree.degree:
            writer.fact(iri, CG.degree, Literal(degree.degree), degree.sentence.text, degree.sentence.line)
        subject = next((m.subject for m in programme.named if m.subject), None)
        if subject and is_acronym(subject) and subject not in programme.names:
            writer.fact(iri, SCHEMA.alternateName, Literal(subject), first.text, first.line)
        for org, sentence in providers:
            writer.fact(iri, CG.providedBy, self._org_iri(org), sentence.text, sentence.line)
        for track, sentence in self.tracks.get(id(programme), []):
            node = writer.entity(writer.minter.programme_track(slug, track), CG.Track, track)
            writer.fact(iri, CG.hasTrack, node, sentence.text, sentence.line)

    def _ancestors(self, org: Org) -> list[Org]:
        found: list[Org] = []
        current = org.parent
        while current is not None:
            current = self.orgs.canonical(current)
            found.append(current)
            current = current.parent
        return found

    def _credits(self, programme: Programme, sentence: Sentence) -> None:
        words = self.words
        pattern = (rf"(?i:\b(?:{alternatives(words.total_credit_markers)}))\s+(?P<n>\d+(?:[.,]\d+)?)\s+"
                   rf"(?P<unit>{alternatives(words.credit_units)})(?![\w-])")
        match = re.search(pattern, sentence.clean)
        if match:
            number = Decimal(match.group("n").replace(",", "."))
            self.writer.fact(programme.iri, CG.totalCredits, Literal(number, datatype=XSD.decimal), sentence.text, sentence.line)
            self.writer.fact(programme.iri, CG.creditUnit, Literal(match.group("unit")), sentence.text, sentence.line)

    def _years(self, programme: Programme, sentence: Sentence) -> None:
        words = self.words
        match = re.search(rf"(?i)(?<![\w-])(?P<n>\d+|{alternatives(words.counts)})-(?:{alternatives(words.year_words)})(?![\w-])",
                          sentence.clean)
        if match and self.programmes.mentions[sentence.index]:
            value = match.group("n")
            years = int(value) if value.isdigit() else words.counts[fold(value)]
            self.writer.fact(programme.iri, CG.durationYears, Literal(years, datatype=XSD.integer), sentence.text, sentence.line)

    def _key_areas(self, programme: Programme, sentence: Sentence) -> None:
        words = self.words
        match = re.search(rf"\b(?P<count>\w+)\s+(?:{alternatives(words.area_qualifiers)})\s+areas?\s*(?:,\s*)?"
                          rf"(?:{alternatives(words.area_introducers)}|:)?\s+(?P<list>.+?)\.?$", sentence.clean)
        if not match:
            return
        joins = "|".join(re.escape(c) for c in words.conjunctions if c.isalpha())
        areas = [a.strip() for a in re.split(rf",\s*(?:(?:{joins})\s+)?|\s+(?:{joins})\s+", match.group("list")) if a.strip()]
        expected = self._count(fold(match.group("count")))
        if expected and len(areas) != expected:
            return  # the list did not split as the text counts it: better no areas than wrong ones
        for area in areas:
            self.writer.fact(programme.iri, CG.keyArea, Literal(area), sentence.text, sentence.line)

    def _prerequisite(self, programme: Programme, sentence: Sentence) -> None:
        words = self.words
        match = re.search(rf"\b(?i:{alternatives(words.applicant_words)})\s+who\s+have\s+(?i:{alternatives(words.completion_verbs)})\s+",
                          sentence.clean)
        if not match:
            return
        rest = sentence.clean[match.end() :].split()
        while rest and fold(rest[0]) in words.articles:
            rest.pop(0)
        credential = []
        for word in rest:
            bare = word.rstrip(".,;")
            if credential and bare in words.linkers | words.subject_linkers:
                credential.append(bare)
            elif is_capitalised(bare) or is_acronym(bare):
                credential.append(bare)
            else:
                break
            if bare != word:
                break
        while credential and not is_capitalised(credential[-1]):
            credential.pop()
        if not credential:
            return
        writer = self.writer
        existing = writer.graph.objects(programme.iri, CG.hasRequirement)
        requirement = writer.minter.requirement(programme.slug, len(existing) + 1)
        writer.entity(requirement, CG.CredentialRequirement)
        clause = sentence.clean[match.start() :].rstrip(".")
        writer.add(requirement, SCHEMA.description, Literal(clause[0].upper() + clause[1:]))
        writer.fact(requirement, CG.credentialName, Literal(" ".join(credential)), sentence.text, sentence.line)
        writer.fact(programme.iri, CG.hasRequirement, requirement, sentence.text, sentence.line)

    def _collaborators(self, programme: Programme, sentence: Sentence) -> None:
        match = re.search(rf"(?i:{alternatives(self.words.collaboration_phrases)})\s+", sentence.clean)
        if not match:
            return
        for org in self._chain(self.refs[sentence.index], match.end(), sentence.clean):
            self.writer.fact(programme.iri, CG.collaboratingOrganisation, self._org_iri(org), sentence.text, sentence.line)

    def _write_person(self, person: Person) -> None:
        writer = self.writer
        iri = writer.entity(writer.minter.person(person.name), CG.Person, person.name)
        evidence = person.sentence
        for prefix in person.prefixes:
            writer.fact(iri, SCHEMA.honorificPrefix, Literal(prefix), evidence.text, evidence.line)
        for suffix in person.suffixes:
            writer.fact(iri, SCHEMA.honorificSuffix, Literal(suffix), evidence.text, evidence.line)
        if person.job_title:
            writer.fact(iri, SCHEMA.jobTitle, Literal(person.job_title), evidence.text, evidence.line)
        for role in person.roles:
            target = role.target or self.main
            target_iri = self._target_iri(target) if target is not None else None
            node = writer.entity(writer.minter.role(person.name, role.title, target_iri), CG.RoleAssignment, role.title)
            writer.add(iri, CG.hasRole, node)
            writer.fact(node, CG.roleName, Literal(role.name), role.sentence.text, role.sentence.line)
            writer.add(node, CG.roleTitle, Literal(role.title))
            if target_iri is not None:
                writer.fact(node, CG.roleIn, target_iri, role.sentence.text, role.sentence.line)
                if isinstance(target, Programme) and role.name.split()[-1] in self.words.director_titles:
                    writer.fact(target_iri, CG.programmeDirector, iri, role.sentence.text, role.sentence.line)

    def _target_iri(self, target: Target) -> URIRef | None:
        if isinstance(target, Programme):
            return target.iri if isinstance(target.iri, URIRef) else None
        return self._org_iri(self.orgs.canonical(target))

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
        """'... an der Hochschule Harz' at the end of a role: the place words with the organisation, and the organisation."""
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

