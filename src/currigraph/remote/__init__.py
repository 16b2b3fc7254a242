"""Working with an external SPARQL store through the standard protocols (SPARQL 1.1 Protocol, Graph Store Protocol).

client.py speaks HTTP to the store, manifest.py keeps the build's manifest as a named graph in the store,
publish.py pushes a build, and engine.py answers the endpoint's jobs from the store.
"""
