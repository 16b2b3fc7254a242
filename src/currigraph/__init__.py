"""currigraph: a knowledge graph of university curricula, published as linked data."""

__version__ = "0.1.0"
