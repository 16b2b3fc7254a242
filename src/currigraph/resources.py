"""Files that come with currigraph: the front-end assets and a new project's defaults, from the wheel or from a checkout.

An installed wheel carries them inside the package (setup.py copies them there, bundle.py lists them); a checkout
has them in node_modules/ and the repository's top-level folders.
"""

import shutil
from pathlib import Path

from currigraph import bundle
from currigraph.errors import InputError

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parents[1]  # the repository root when the package runs from src/ of a checkout


def in_checkout() -> bool:
    """True when currigraph runs from a repository checkout (an editable install), not from a wheel."""
    return (CHECKOUT / "pyproject.toml").is_file() and PACKAGE == CHECKOUT / "src" / "currigraph"


def asset_file(name: str, project_node_modules: Path | None = None) -> Path | None:
    """The file served as /assets/NAME: the package's copy when installed, else from node_modules (project's, checkout's)."""
    if name not in bundle.ASSETS:
        return None
    package, inside = bundle.ASSETS[name]
    candidates = [PACKAGE / bundle.ASSETS_FOLDER / name]
    candidates += [folder / package / inside for folder in (project_node_modules, CHECKOUT / "node_modules") if folder]
    return next((path for path in candidates if path.is_file()), None)


def default_file(relative: str) -> Path:
    """A project file currigraph falls back on outside a project (data/lexicon/prose.yaml, mappings/catalogues):
    the wheel's copy when installed, else the checkout's own."""
    packaged = PACKAGE / bundle.PROJECT_FOLDER / relative
    return packaged if packaged.exists() else CHECKOUT / relative


def skeleton_root() -> Path:
    """Where a new project's files are read from: the package's copy, or the checkout's own folders."""
    packaged = PACKAGE / bundle.PROJECT_FOLDER
    if packaged.is_dir():
        return packaged
    if in_checkout():
        return CHECKOUT
    raise InputError("this installation of currigraph has no project files; reinstall it from a complete wheel")


def skeleton_files() -> list[tuple[Path, Path]]:
    """(file to copy, path relative to the new project) for every file of a new project."""
    root = skeleton_root()
    files = []
    for folder, pattern in bundle.PROJECT_FILES:
        for path in sorted((root / folder).glob(pattern)):
            if path.is_file() and not path.name.startswith("."):
                files.append((path, Path(folder) / path.name))
    return files


def init_project(target: Path, force: bool = False) -> list[Path]:
    """Write a new project (ontology, shapes, queries, mappings, lexicon, example sources) into target; the files written.

    A folder that holds anything is refused (InputError) unless force, which writes the project's files over files of
    the same name and leaves every other file alone.
    """
    if target.exists() and not target.is_dir():
        raise InputError("is a file, not a folder: give a new or empty folder for the project", str(target))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InputError("the folder is not empty: give a new or empty folder, or --force to write the project's files "
                         "into it (files of the same name are replaced, others are left alone)", str(target))
    files = skeleton_files()
    written = []
    for source, relative in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    ignore = target / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# What `currigraph build` writes (the data is in data/, the model in ontology/ and shapes/).\nbuild/\n", "utf-8")
        written.append(ignore)
    return written
