"""Prose (news articles, guides): programmes, providing institutions and their units, people and roles, from sentences.

Every fact is added with the sentence it came from and its line. The rules read the shape of sentences ("offered by
X and Y", "said NAME, TITLE", "X at the University of Y", "Masterstudiengang NAME an der X"), never the content of
one document; the words they are built from are in data/lexicon/ (prose.yaml, prose-de.yaml, ...). Modules:
layout (sections, paragraphs, sentences), names (organisation and person names), organisations (identity and
parents inside a document), programmes, people, and reader (the passes, and writing the facts).
"""

from currigraph.convert.facts import FactWriter
from currigraph.convert.prose.names import initials
from currigraph.convert.prose.reader import Reader
from currigraph.convert.prose.words import compiled_words


def convert_prose(writer: FactWriter) -> None:
    """Extract programmes, organisations, people and their roles, areas, prerequisites and listed organisations."""
    Reader(writer).run()


def acronym(name: str) -> str:
    """Initials of the capitalised words of a name, skipping single-letter initials ('Jane A. Smith ...')."""
    return initials(name, compiled_words())


__all__ = ["acronym", "convert_prose"]
