"""Allow `python -m currigraph`."""

from currigraph.cli import main

# Guarded: query workers are started with multiprocessing's spawn, which imports this module again.
if __name__ == "__main__":
    main()
