"""Which organisations provide which programme, and the tracks and units a sentence counts: the reader's passes over
programme mentions (a mixin of Reader, reading its organisations, references and programmes).

Each programme takes the providers of its own clause: passive ("offered by X"), active ("X launches ..."), place
("housed in X", "an der X"), owner ("X's programme"), a list in parentheses, the guide section it is in, the units
that deliver its tracks, and otherwise the document's main institution (docs/prose.md).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from currigraph.convert.prose.layout import Sentence
from currigraph.convert.prose.names import is_acronym, is_capitalised
from currigraph.convert.prose.organisations import Org
from currigraph.convert.prose.programmes import Mention
from currigraph.convert.prose.words import alternatives, fold

if TYPE_CHECKING:
    from currigraph.convert.prose.reader import Reader, Ref

    _Base = Reader
else:
    _Base = object


class ProviderReading(_Base):
    """The passes over programmes: which are introduced, their providers, tracks and delivering units."""

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
            gap = 0 if mention.name else 4  # "NU's newest graduate degree program", "WP's MS in DS"
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
        """'Die TH Nordstadt bietet ... an': an abbreviation (with the place after it) as the subject of a providing verb."""
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
        """'Doctoral Programme in X (University of Eastbridge, EIT, ERC)': the organisations in its parentheses."""
        match = re.match(r"\s*\((?P<list>[^()]{3,200})\)", sentence.clean[mention.end :])
        if not match:
            return []
        joins = "|".join(re.escape(c) for c in self.words.conjunctions)
        items = [i.strip() for i in re.split(rf",\s*|\s+(?:{joins})\s+", match.group("list"))]
        if len(items) == 1 and self.orgs.find(items[0]) is None:
            return []  # "Master of Science in Applied Ecology (MSAE)": its abbreviation
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
        """'Gemeinsam bieten sie ... an': the organisations of the sentence before."""
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
