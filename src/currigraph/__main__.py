"""Allow `python -m currigraph`."""

from currigraph.cli import main

main()
