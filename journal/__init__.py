"""Eyelights: a desktop film-review journal."""

__version__ = "0.1.0"
APP_ID = "io.github.eyelights.Eyelights"
APP_NAME = "Eyelights"
ORG_NAME = "Eyelights"
