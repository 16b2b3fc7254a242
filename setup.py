"""Packaging hooks for setuptools (the metadata is in pyproject.toml).

The wheel carries what a server needs offline: the front-end files npm installed (YASGUI, Vega), with their
licences, and a project's default files (ontology, shapes, named queries, ELM mappings, lexicon, example sources)
for `currigraph init`. Both are copied when the package is built, from node_modules/ and the repository's top-level
folders, which stay their one source of truth (src/currigraph/bundle.py lists them). The sdist carries the same
files, so a wheel built from it (what `python -m build` does) is complete too.
"""

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
BUNDLE = runpy.run_path(str(ROOT / "src" / "currigraph" / "bundle.py"))


def bundled_files(root: Path) -> list[tuple[Path, str]]:
    """(file in the source tree, path inside the currigraph package) for every file the wheel bundles."""
    files: list[tuple[Path, str]] = []
    for name, (package, inside) in BUNDLE["ASSETS"].items():
        files.append((root / "node_modules" / package / inside, f"{BUNDLE['ASSETS_FOLDER']}/{name}"))
    for package, (_, licence) in BUNDLE["LICENCES"].items():
        files.append((root / licence, f"{BUNDLE['LICENCES_FOLDER']}/{BUNDLE['licence_name'](package)}"))
    for folder, pattern in BUNDLE["PROJECT_FILES"]:
        for path in sorted((root / folder).glob(pattern)):
            if path.is_file() and not path.name.startswith("."):
                files.append((path, f"{BUNDLE['PROJECT_FOLDER']}/{folder}/{path.name}"))
    missing = [str(source.relative_to(root)) for source, _ in files if not source.is_file()]
    if missing:
        raise SystemExit(f"cannot package currigraph: missing {', '.join(missing)}; run `npm ci` first (or `make dist`)")
    return files


class BuildPy(build_py):
    """build_py that also copies the bundled files into the package (not for editable installs: a checkout serves its own)."""

    def run(self) -> None:
        """Build the Python modules, then copy the bundle next to them."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "currigraph"
        for source, target in bundled_files(ROOT):
            destination = package / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


class Sdist(sdist):
    """sdist that also carries the npm files the wheel bundles, at their node_modules paths."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        """Lay out the release tree, then add the bundled files that are not in it (MANIFEST.in has the rest)."""
        super().make_release_tree(base_dir, files)
        for source, _ in bundled_files(ROOT):
            target = Path(base_dir) / source.relative_to(ROOT)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


# setuptools' scratch folder is not build/, which holds the project's built dataset.
setup(cmdclass={"build_py": BuildPy, "sdist": Sdist}, options={"build": {"build_base": ".setuptools-build"}})
