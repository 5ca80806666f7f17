"""CLI commands of this area (registered on ``warta`` by warta.cli)."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this module's commands to ``main``."""
