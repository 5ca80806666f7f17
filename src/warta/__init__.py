"""warta: turn raw, messy news pages into clean, structured news records.

The public entry points live in :mod:`warta.api`; nothing heavy happens at import time.
"""

__version__ = "0.1.0"
