"""Declarative catalogue mappings: reading records (reading), the mapping format (spec), transforms, and the generic executor."""
