"""``warta group``, ``warta stories``, ``warta story``, ``warta duplicates``, ``warta trends``
and ``warta rising``: the layer across articles from the command line.

``warta ingest`` places new articles as it goes; ``warta group`` places whatever is not placed
yet (a store filled by an older warta, or after ``ingest --no-corpus``). Exit status: 0 done; 1
the store could not be opened; 2 a bad command line (one line on stderr).
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from warta.cli.store import _db_option, _echo_json, _fail, _is_url, _json_option, _store, _when


def register(main: click.Group) -> None:
    """Add this module's commands to ``main``."""
    for command in (group, stories, story, duplicates, trends, rising_command):
        main.add_command(command)


@click.command("group")
@_db_option
@_json_option
def group(db: str, as_json: bool) -> None:
    """Place every stored article not placed yet among its duplicates and into a story."""
    from warta.corpus.update import update_corpus

    if not _is_url(db) and not os.path.exists(db):  # it writes, but never makes an empty store
        _fail(f"{db}: not_found: no store here yet (run 'warta ingest' first, or give --db)")
    with _store(db, create=True) as store:
        report = update_corpus(store, full=True)  # compares every article: also a repair
    summary = {
        "placed": report.placed,
        "copies": report.copies,
        "stories_opened": report.stories_opened,
        "unreadable": [{"id": article_id, "why": why} for article_id, why in report.unreadable],
    }
    if as_json:
        _echo_json(summary)
    else:
        click.echo(
            f"placed {report.placed} articles: {report.copies} in duplicate groups, "
            f"{report.stories_opened} new stories"
        )
        for article_id, why in report.unreadable:
            click.echo(f"{article_id}: unreadable_record: left unplaced: {why}", err=True)


@click.command("stories")
@_db_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@_json_option
def stories(db: str, limit: int, as_json: bool) -> None:
    """The largest stories: id, articles, first and last time, title."""
    with _store(db, create=False) as store:
        rows = store.corpus_tables().stories(limit)
    if as_json:
        _echo_json([asdict(r) for r in rows])
        return
    for r in rows:
        span = f"{_day(r.first_at)}..{_day(r.last_at)}"
        click.echo(f"{r.id}  {r.articles:4d} articles  {span:23}  {r.title or '(no title)'}")



def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value is not None else "?"


@click.command("story")
@click.argument("story_id")
@_db_option
@_json_option
def story(story_id: str, db: str, as_json: bool) -> None:
    """One story: outlets, top entities and speakers, events and its timeline (an id from
    before a merge still works: it forwards to the story it joined)."""
    from warta.corpus.stories import story_detail

    with _store(db, create=False) as store:
        detail = story_detail(store, story_id)
    if detail is None:
        _fail(f"{story_id}: not_found: no such story (see 'warta stories')", 1)
    if as_json:
        _echo_json(detail)
        return
    if detail["id"] != story_id:
        click.echo(f"({story_id} was merged into {detail['id']})")
    click.echo(f"{detail['id']}: {detail['title'] or '(no title)'}")
    click.echo(
        f"  {detail['articles']} articles, {_day(detail['first_at'])} .. {_day(detail['last_at'])}"
    )
    click.echo("  outlets:  " + ", ".join(f"{o} ({n})" for o, n in detail["outlets"]))
    click.echo(
        "  entities: " + ", ".join(f"{e['name']} ({e['articles']})" for e in detail["entities"][:8])
    )
    click.echo(
        "  speakers: " + ", ".join(f"{s['name']} ({s['articles']})" for s in detail["speakers"][:6])
    )
    for e in detail["events"][:10]:
        click.echo(
            f"  event {e['category']}/{e['mode']}: {e['actor'] or '?'} -> {e['target'] or '?'}"
        )
    click.echo("  timeline:")
    for t in detail["timeline"]:
        click.echo(
            f"    {t['published'] or '(undated)'}  {t['outlet'] or '?':20}  {t['title'] or t['article_id']}"
        )


@click.command("duplicates")
@click.argument("article_id", required=False)
@_db_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@_json_option
def duplicates(article_id: str | None, db: str, limit: int, as_json: bool) -> None:
    """The copies of one article (its original marked), or the largest duplicate groups."""
    with _store(db, create=False) as store:
        tables = store.corpus_tables()
        groups: list[dict[str, Any]] = (
            [{"group": None, "members": tables.duplicate_rows(article_id)}]
            if article_id
            else tables.groups(limit)
        )
    if as_json:
        _echo_json(groups)
        return
    if article_id and not groups[0]["members"]:
        click.echo(f"{article_id}: no copies known")
        return
    for g in groups:
        click.echo(
            f"group {g['group'] if g['group'] is not None else ''} ({len(g['members'])} copies)"
        )
        for m in g["members"]:
            mark = (
                "original"
                if m["original"]
                else f"carries {m['carried']:.0%}, adds {m['added']:.0%}"
            )
            proof = f"  [{', '.join(m['evidence'])}]" if m["evidence"] else ""
            click.echo(f"  {m['article_id']}  {m['outlet'] or '?':18} {mark}{proof}")


@click.command("trends")
@click.argument("what", nargs=-1, required=True)
@_db_option
@click.option(
    "--since",
    callback=_when(False),
    help="From this day (YYYY-MM-DD or ISO); default 30 days back.",
)
@click.option("--until", callback=_when(True), help="To this day, included; default today.")
@click.option("--bucket", type=click.Choice(["day", "hour"]), default="day", show_default=True)
@click.option(
    "--plot",
    "plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw the series to an .svg or .png file.",
)
@click.option(
    "--csv",
    "csv_out",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the series as CSV (- for stdout).",
)
@_json_option
def trends(
    what: tuple[str, ...],
    db: str,
    since: datetime | None,
    until: datetime | None,
    bucket: str,
    plot: Path | None,
    csv_out: str | None,
    as_json: bool,
) -> None:
    """Articles per day (or hour) for each WHAT, written KIND:KEY — entity:KPK,
    keyword:banjir, event:PROTEST, outlet:Kompas.com, speaker:"Sri Mulyani", query:gempa."""
    from warta.core.errors import WartaError
    from warta.corpus.trends import KINDS, series, series_csv

    asked = []
    for item in what:
        kind, sep, key = item.partition(":")
        if not sep or kind not in KINDS or not key:
            raise click.BadParameter(
                f"{item!r}: write KIND:KEY with KIND one of {', '.join(KINDS)}"
            )
        asked.append((kind, key))
    end = until or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )
    start = since or end - timedelta(days=30)
    with _store(db, create=False) as store:
        try:
            found = [series(store, k, v, since=start, until=end, bucket=bucket) for k, v in asked]
        except WartaError as exc:
            _fail(exc.one_line(), 2)
    if plot is not None:
        from warta.corpus.plot import plot_series

        try:
            plot_series(found, plot)
        except WartaError as exc:
            _fail(exc.one_line())
        click.echo(f"drew {plot}", err=True)
    if csv_out is not None:
        text = series_csv(found)
        if csv_out == "-":
            sys.stdout.write(text)
        else:
            Path(csv_out).write_text(text, encoding="utf-8")
    if as_json:
        _echo_json(
            [
                {
                    "kind": s.kind,
                    "key": s.key,
                    "label": s.label,
                    "points": [[p.bucket, p.count] for p in s.points],
                }
                for s in found
            ]
        )
    elif plot is None and csv_out is None:
        for s in found:
            total = sum(p.count for p in s.points)
            click.echo(f"{s.kind}:{s.label}  {total} articles")
            for p in s.points:
                if p.count:
                    click.echo(f"  {p.bucket}  {p.count:5d}  {'#' * min(p.count, 60)}")


@click.command("rising")
@click.argument("day", required=False)
@_db_option
@click.option("--period", type=click.Choice(["day", "week"]), default="day", show_default=True)
@click.option("--min-count", type=click.IntRange(1), default=3, show_default=True)
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@_json_option
def rising_command(
    day: str | None, db: str, period: str, min_count: int, limit: int, as_json: bool
) -> None:
    """What is rising on DAY (YYYY-MM-DD, WIB; default today): entities, keywords and event
    categories whose count stands out against their own previous 14 periods."""
    from warta.corpus.trends import WIB, rising

    try:
        when = date.fromisoformat(day) if day else datetime.now(WIB).date()
    except ValueError:
        raise click.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)") from None
    with _store(db, create=False) as store:
        found = rising(store, when, period=period, min_count=min_count, limit=limit)
    if as_json:
        _echo_json([asdict(r) for r in found])
        return
    if not found:
        click.echo(f"nothing stands out on {when} ({period})")
    for r in found:
        click.echo(f"{r.score:7.2f}  {r.count:4d} (usually {r.baseline:.1f})  {r.kind:8} {r.label}")

