"""``warta entities``, ``warta entity``, ``warta quotes`` and ``warta events``: the store's
entities, quotes and coded events, as the REST API's ``/v1/entities``, ``/v1/quotes`` and
``/v1/events`` give them.

Exit status: 0 done; 1 the store could not be opened; 2 a bad command line, an unknown entity
type or event category, or a name the store does not hold (with the names probably meant).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from warta.cli.store import _db_option, _echo_json, _fail, _json_option, _store, _when

F = TypeVar("F", bound=Callable[..., Any])


def register(main: click.Group) -> None:
    """Add this module's commands to ``main``."""
    for command in (entities, entity, quotes, events):
        main.add_command(command)


def _time_and_page(command: F) -> F:
    """The options quotes and events share: a publish-time window and a page of rows."""
    for option in reversed(
        (
            click.option(
                "--since", callback=_when(False), help="Published on or after (YYYY-MM-DD or ISO)."
            ),
            click.option(
                "--until",
                callback=_when(True),
                help="Published before (a bare date includes that day).",
            ),
            click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True),
            click.option("--offset", type=click.IntRange(0), default=0, show_default=True),
        )
    ):
        command = option(command)
    return command


def _entity_types() -> list[str]:
    from warta.nlp.ner_data import ENTITY_TYPES

    return list(ENTITY_TYPES)


@click.command("entities")
@click.argument("prefix", required=False, default=None)
@_db_option
@click.option(
    "--type",
    "type_",
    type=click.Choice(_entity_types(), case_sensitive=False),
    default=None,
    help="Only entities of this type.",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@_json_option
def entities(prefix: str | None, db: str, type_: str | None, limit: int, as_json: bool) -> None:
    """Entities, most mentioned first (those whose name starts with PREFIX, if given)."""
    with _store(db, create=False) as store:
        rows = store.entities(prefix=prefix, type=type_.upper() if type_ else None, limit=limit)
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(
            f"{row.get('mentions', 0):6d}  {row.get('type', '?'):12}  "
            f"{row.get('canonical') or row.get('id')}  [{row.get('id')}]"
        )


@click.command("entity")
@click.argument("key")
@_db_option
@_json_option
def entity(key: str, db: str, as_json: bool) -> None:
    """One entity by id, name or alias: aliases, mentions by month, co-occurring entities and
    its quotes."""
    from dataclasses import asdict

    with _store(db, create=False) as store:
        profile = store.entity(key)
        if profile is None:
            resolved = store.resolve_name("entity", key)
            if resolved.known and resolved.ids:
                profile = store.entity(resolved.ids[0])
            if profile is None:
                hint = (
                    f"; did you mean: {', '.join(resolved.suggestions)}?"
                    if resolved.suggestions
                    else ""
                )
                _fail(f"no entity named {key!r} in this store{hint}", 2)
    if as_json:
        _echo_json(asdict(profile))
        return
    click.echo(f"{profile.canonical}  ({profile.type}, {profile.id})")
    click.echo(f"  {profile.mentions} mentions in {profile.articles} articles")
    if profile.window < profile.articles:
        click.echo(f"  (aliases, co-occurring and quotes: its newest {profile.window:,} articles)")
    if profile.aliases:
        click.echo("  written as: " + ", ".join(f"{a} ({n})" for a, n in profile.aliases[:10]))
    for month, n in profile.by_month[-12:]:
        click.echo(f"  {month}  {n}")
    for other_id, name, n in profile.co_occurring[:10]:
        click.echo(f"  with {name} [{other_id}]: {n} articles")


def _rows_out(rows: list[dict[str, Any]], as_json: bool, line: Any) -> None:
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(line(row))


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}"
    return str(value)[:10] if value else "----------"


@click.command("quotes")
@_db_option
@click.option("--speaker", default=None, help="Spoken by this speaker: an id, a name or an alias.")
@_time_and_page
@_json_option
def quotes(
    db: str,
    speaker: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Quotes with their speakers, newest first."""
    from warta.store.base import QuoteRequest

    asked = QuoteRequest(speaker=speaker, since=since, until=until, limit=limit, offset=offset)
    with _store(db, create=False) as store:
        rows = store.quotes(asked)
        if not rows and speaker:
            resolved = store.resolve_name("speaker", speaker)
            if not resolved.known:
                hint = (
                    f"; did you mean: {', '.join(resolved.suggestions)}?"
                    if resolved.suggestions
                    else ""
                )
                _fail(f"no speaker named {speaker!r} in this store{hint}", 2)
    _rows_out(
        rows,
        as_json,
        lambda r: (
            f"{_day(r.get('published'))}  {r.get('speaker') or '?'}: "
            f"{(r.get('text') or '')[:100]}  [{r.get('article_id')}]"
        ),
    )


@click.command("events")
@_db_option
@click.option("--category", default=None, help="A PLOVER category (PROTEST, ASSAULT, ...).")
@click.option("--actor", default=None, help="Events with this actor (a name as written).")
@click.option("--place", default=None, help="Events at this place (a name as written).")
@_time_and_page
@_json_option
def events(
    db: str,
    category: str | None,
    actor: str | None,
    place: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Coded events (PLOVER), newest first; an unknown category is a usage error."""
    from warta.store.base import EventRequest

    asked = EventRequest(
        category=category,
        actor=actor,
        place=place,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    with _store(db, create=False) as store:
        rows = store.events(asked)
    _rows_out(
        rows,
        as_json,
        lambda r: (
            f"{_day(r.get('published'))}  {r.get('category')} ({r.get('mode')}): "
            f"{r.get('actor') or '?'} -> {r.get('target') or '?'}"
            f"{' @ ' + r['place'] if r.get('place') else ''}  [{r.get('article_id')}]"
        ),
    )
