"""``warta watch``: saved searches, each served as an Atom feed (``/v1/watches/NAME.atom``) and,
with a webhook, posted its new matches after each ingest.

Exit status: 0 done; 1 the store could not be opened, or ``deliver`` left posts undelivered;
2 a bad command line or watch (one line on stderr).
"""

from __future__ import annotations

from typing import Any

import click

from warta.cli.store import _db_option, _echo_json, _fail, _json_option, _print_result, _store

SECRET_ENV = "WARTA_WEBHOOK_SECRET"


def register(main: click.Group) -> None:
    """Add ``warta watch`` to ``main``."""
    main.add_command(watch)


@click.group("watch")
def watch() -> None:
    """Saved searches: Atom feeds and webhooks of new matches."""


@watch.command("add")
@click.argument("name")
@click.argument("query", required=False, default="")
@_db_option
@click.option("--outlet", "outlets", multiple=True, help="Only this outlet; repeat for several.")
@click.option("--entity", default=None, help="Names this entity (an id, a name or an alias).")
@click.option("--speaker", default=None, help="Quotes this speaker.")
@click.option("--event", default=None, help="Has an event of this PLOVER category.")
@click.option("--place", default=None, help="Names this place.")
@click.option("--language", default=None, help="Written in this language (id, en, ...).")
@click.option("--story", default=None, help="Articles of this story.")
@click.option("--originals-only", is_flag=True, help="Leave out copies of another report.")
@click.option("--webhook", default=None, metavar="URL", help="POST new matches here (JSON).")
@click.option(
    "--secret",
    envvar=SECRET_ENV,
    default=None,
    help=f"Shared secret that signs each post (HMAC-SHA256; also from {SECRET_ENV}).",
)
@click.option("--replace", is_flag=True, help="Replace a watch of the same name.")
@_json_option
def add(
    name: str,
    query: str,
    db: str,
    webhook: str | None,
    secret: str | None,
    replace: bool,
    as_json: bool,
    **filters: Any,
) -> None:
    """Save the search QUERY (with filters) as watch NAME. Articles matching it now count as
    seen: its webhook hears of articles stored from now on."""
    from warta.alerts.watching import add_watch, make_watch
    from warta.core.errors import QueryError, StoreError

    try:
        made = make_watch(name, query, filters, webhook=webhook, secret=secret)
    except QueryError as exc:
        _fail(exc.message, 2)
    with _store(db, create=True) as store:
        try:
            present = add_watch(store, made, replace=replace)
        except StoreError as exc:
            _fail(exc.message, 2)
    if as_json:
        _echo_json({"name": name, "matching_now": present})
    else:
        click.echo(f"watch {name}: {present} articles match now; feed /v1/watches/{name}.atom")


@watch.command("list")
@_db_option
@_json_option
def list_watches(db: str, as_json: bool) -> None:
    """The saved watches (secrets are never printed)."""
    with _store(db, create=False) as store:
        rows = store.watch_tables().all()
    items = [
        {
            "name": w.name,
            "query": w.query,
            "filters": dict(w.filters),
            "webhook": w.webhook,
            "created": w.created,
        }
        for w in rows
    ]
    if as_json:
        _echo_json(items)
        return
    for item in items:
        hook = f"  -> {item['webhook']}" if item["webhook"] else ""
        click.echo(f"{item['name']}  {item['query']!r}  {item['filters']}{hook}")


@watch.command("show")
@click.argument("name")
@_db_option
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
@_json_option
def show(name: str, db: str, limit: int, as_json: bool) -> None:
    """The newest articles watch NAME matches, and its latest webhook deliveries."""
    from warta.alerts.watching import request_of

    with _store(db, create=False) as store:
        tables = store.watch_tables()
        found = tables.get(name)
        if found is None:
            _fail(f"no watch named {name!r} (see 'warta watch list')", 2)
        result = store.search(request_of(found, limit=limit))
        deliveries = tables.deliveries(name, limit=10)
    if as_json:
        _echo_json(
            {
                "hits": [h.id for h in result.hits],
                "deliveries": [
                    {
                        "id": d.id,
                        "state": d.state,
                        "attempts": d.attempts,
                        "next_try": d.next_try,
                        "error": d.last_error,
                    }
                    for d in deliveries
                ],
            }
        )
        return
    _print_result(result)
    for d in deliveries:
        click.echo(f"delivery {d.id}: {d.state} after {d.attempts} attempts {d.last_error or ''}")


@watch.command("remove")
@click.argument("name")
@_db_option
def remove(name: str, db: str) -> None:
    """Forget watch NAME and its pending deliveries."""
    with _store(db, create=True) as store:
        if not store.watch_tables().remove(name):
            _fail(f"no watch named {name!r} (see 'warta watch list')", 2)
    click.echo(f"removed watch {name}")


@watch.command("deliver")
@_db_option
@click.option(
    "--budget",
    type=click.FloatRange(0.5, 600),
    default=30.0,
    show_default=True,
    help="Seconds the posts may take in all.",
)
@_json_option
def deliver(db: str, budget: float, as_json: bool) -> None:
    """Post the webhook deliveries whose time has come (ingest does this itself; this retries
    without ingesting). Exit status 1 when some stay undelivered."""
    from warta.alerts.webhook import deliver_due

    with _store(db, create=True) as store:
        outcomes = deliver_due(store, budget_s=budget)
    failed = [o for o in outcomes if not o.delivered]
    if as_json:
        _echo_json(
            [
                {
                    "delivery": o.delivery,
                    "watch": o.watch,
                    "delivered": o.delivered,
                    "attempts": o.attempts,
                    "error": o.error,
                }
                for o in outcomes
            ]
        )
    else:
        click.echo(f"{len(outcomes) - len(failed)} delivered, {len(failed)} not delivered")
        for o in failed:
            click.echo(f"  delivery {o.delivery} ({o.watch}): {o.error}", err=True)
    if failed:
        raise SystemExit(1)
