"""What the wheel carries besides code: front-end files from npm with their licences, and a project's default files.

Plain data without imports: setup.py reads this file too (with runpy), so that one table says what is served,
packaged, licensed and written by `currigraph init`. The repository's files stay the one source of truth: they are
copied into the wheel when it is built, never kept twice in git.
"""

# Public name (under /assets/) -> npm package, path of the file inside the package.
ASSETS = {
    "yasgui.min.js": ("@zazuko/yasgui", "build/yasgui.min.js"),
    "yasgui.min.css": ("@zazuko/yasgui", "build/yasgui.min.css"),
    "vega.min.js": ("vega", "build/vega.min.js"),
    "vega-lite.min.js": ("vega-lite", "build/vega-lite.min.js"),
    "vega-embed.min.js": ("vega-embed", "build/vega-embed.min.js"),
}

# npm package -> (SPDX licence, licence file relative to the repository root). @zazuko/yasgui publishes no LICENSE
# file on npm, so its text is kept in packaging/licences/ (from github.com/rdfjs/Yasgui, the package's repository).
LICENCES = {
    "@zazuko/yasgui": ("MIT", "packaging/licences/yasgui-LICENSE.txt"),
    "vega": ("BSD-3-Clause", "node_modules/vega/LICENSE"),
    "vega-lite": ("BSD-3-Clause", "node_modules/vega-lite/LICENSE"),
    "vega-embed": ("BSD-3-Clause", "node_modules/vega-embed/LICENSE"),
}

# The files of a new project (`currigraph init`), relative to the repository root: (folder, glob).
PROJECT_FILES = [
    ("ontology", "*.ttl"),
    ("shapes", "*.ttl"),
    ("queries", "*.rq"),
    ("mappings/elm", "*.rq"),
    ("mappings/catalogues", "*.yaml"),
    ("data/lexicon", "*.yaml"),
    ("data/sources", "*.txt"),
    ("data", "elm.yaml"),
]

# Where they go inside the installed package (paths relative to the currigraph package folder).
ASSETS_FOLDER = "web/assets"
LICENCES_FOLDER = "web/assets/licences"
PROJECT_FOLDER = "skeleton"


def licence_name(package: str) -> str:
    """The file name of a package's licence in the wheel (@zazuko/yasgui -> yasgui-LICENSE.txt)."""
    return package.rsplit("/", 1)[-1] + "-LICENSE.txt"
