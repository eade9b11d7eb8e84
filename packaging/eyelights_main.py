"""Entry script for the PyInstaller bundle: the same as the `eyelights` console command."""

import multiprocessing
import sys

from journal.app import main

if __name__ == "__main__":
    # A large import converts HTML in spawned processes (journal.core.importers.convert_pool):
    # in the bundle each of them starts this executable, which must run the worker, not the app.
    multiprocessing.freeze_support()
    sys.exit(main())
