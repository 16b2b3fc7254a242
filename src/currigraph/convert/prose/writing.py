"""Writing what a prose document says: organisations with their IRIs, programmes, people and roles, each fact with
the sentence it came from (a mixin of Reader)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from currigraph.convert.prose.layout import Sentence
from currigraph.convert.prose.names import is_acronym, is_capitalised
from currigraph.convert.prose.organisations import Org
from currigraph.convert.prose.people import Person, Target
from currigraph.convert.prose.programmes import Programme
from currigraph.convert.prose.words import INSTITUTIONS, alternatives, fold
from currigraph.iris import slugify
from currigraph.vocab import CG, SCHEMA, XSD

if TYPE_CHECKING:
    from currigraph.convert.prose.reader import Reader

    _Base = Reader
else:
    _Base = object


class Writing(_Base):
    """Writes a document's organisations, programmes and people into its FactWriter."""

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
        else:  # a programme named by its subject only is one of its institution's ("Computer Science" at Eastbridge)
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
            return target.iri
        return self._org_iri(self.orgs.canonical(target))
