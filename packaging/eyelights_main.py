"""Entry script for the PyInstaller bundle: the same as the `eyelights` console command."""

import sys

from journal.app import main

if __name__ == "__main__":
    sys.exit(main())
