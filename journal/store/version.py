"""The schema version this Eyelights writes, in a module that imports nothing.

``journal.store.migrations`` checks at import that its last migration reaches this number, so a new
migration cannot be added without bumping it; the start-up's first look compares a journal's
``PRAGMA user_version`` with it before the store layer is even imported.
"""

SCHEMA_VERSION = 10
