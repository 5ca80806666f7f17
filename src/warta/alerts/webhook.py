"""Posting a watch's queued deliveries to its webhook: signed, retried, never holding up ingest.

Each post carries the JSON body queued for it, ``X-Warta-Signature: sha256=<hex>`` (HMAC-SHA256
of the exact body bytes with the watch's secret), ``X-Warta-Delivery`` (the delivery id, the
same on every retry, so a receiver can drop a repeat) and ``X-Warta-Watch``. A 2xx answer
delivers it. Anything else is retried: a few times at once with short waits while the time
budget lasts, then on later runs after a wait that doubles each attempt (one minute first, six
hours at most) until :data:`MAX_ATTEMPTS`, when it is marked failed with its last error.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import warta
from warta.store.base import Store
from warta.store.watch_tables import Delivery

#: attempts before a delivery is given up
MAX_ATTEMPTS = 10
#: the wait after the first failed run of attempts; it doubles after each, up to MAX_WAIT
FIRST_WAIT = timedelta(minutes=1)
MAX_WAIT = timedelta(hours=6)
#: attempts within one run, and the short waits between them (seconds)
QUICK_WAITS = (0.5, 1.0)


def signature(secret: str, body: bytes) -> str:
    """The value of ``X-Warta-Signature`` for ``body``: what a receiver recomputes to check it."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Outcome:
    delivery: int
    watch: str
    delivered: bool
    attempts: int
    error: str | None


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> str | None:
    """Post once: None when the receiver accepted it (2xx), else what went wrong."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked when the watch was made
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"unreachable: {reason}"
    return None if 200 <= status < 300 else f"HTTP {status}"


def _attempts(
    delivery: Delivery, secret: str, deadline: float, post: Callable[..., str | None]
) -> tuple[bool, int, str | None]:
    body = delivery.body.encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"warta/{warta.__version__}",
        "X-Warta-Signature": signature(secret, body),
        "X-Warta-Delivery": str(delivery.id),
        "X-Warta-Watch": delivery.watch,
    }
    tries, error = 0, None
    for wait in (0.0, *QUICK_WAITS):
        if wait:
            if time.monotonic() + wait >= deadline:
                break
            time.sleep(wait)
        left = deadline - time.monotonic()
        if left <= 0.05:
            break
        tries += 1
        error = post(delivery.url, body, headers, min(5.0, left))
        if error is None:
            return True, tries, None
    return False, tries, error or "no time left to try"


def _next_wait(attempts: int) -> timedelta:
    wait: timedelta = FIRST_WAIT * (2 ** max(0, attempts - 1))
    return min(wait, MAX_WAIT)


def deliver_due(
    store: Store,
    *,
    budget_s: float = 10.0,
    now: datetime | None = None,
    post: Callable[..., str | None] = _post,
) -> list[Outcome]:
    """Post every delivery whose time has come, at most ``budget_s`` seconds in all (posts run
    side by side), and record what came of each in the store. Never raises for a receiver's
    failure: that is an outcome."""
    tables = store.watch_tables()
    now = now or datetime.now(UTC)
    due = tables.due(now)
    if not due:
        return []
    secrets = {w.name: w.secret for w in tables.all()}
    deadline = time.monotonic() + budget_s
    with ThreadPoolExecutor(max_workers=min(4, len(due))) as pool:
        futures = [
            pool.submit(_attempts, d, secrets.get(d.watch) or "", deadline, post) for d in due
        ]
        results = [f.result() for f in futures]
    outcomes: list[Outcome] = []
    for d, (ok, tries, error) in zip(due, results, strict=True):
        attempts = d.attempts + tries
        if ok:
            tables.settle(d.id, state="delivered", attempts=attempts, next_try=None, error=None)
        elif attempts >= MAX_ATTEMPTS:
            tables.settle(d.id, state="failed", attempts=attempts, next_try=None, error=error)
        else:
            tables.settle(
                d.id,
                state="pending",
                attempts=attempts,
                next_try=now + _next_wait(attempts),
                error=error,
            )
        outcomes.append(Outcome(d.id, d.watch, ok, attempts, error))
    return outcomes
