"""A SPARQL 1.1 parser that reads queries and updates as Oxigraph does, to inspect them before they run."""
