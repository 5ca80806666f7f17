"""What one running API server allows: its store, its keys and its limits, in one frozen record.

The limits are the server's protection against expensive or hostile requests; each default is
sized from what a real client needs (a news page is rarely above 2 MB of HTML, a search of more
than a few dozen words is not a search).
"""

from __future__ import annotations

from dataclasses import dataclass

#: A news page above this is not a news page (the largest of the seed corpora is ~1.5 MB).
DEFAULT_MAX_PAGE_BYTES = 5 * 1024 * 1024
#: A whole request body: a few large pages, or many small ones.
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
#: The raw query string (every parameter together, percent-encoded).
DEFAULT_MAX_QUERY_STRING_BYTES = 4096
#: The search text itself, in characters.
DEFAULT_MAX_QUERY_CHARS = 500
#: Words and operators in one search: each term is one index lookup and one join.
DEFAULT_MAX_QUERY_TERMS = 32
#: Pages or URLs in one ingest request (each page may take seconds to extract).
DEFAULT_MAX_INGEST_ITEMS = 20
#: Rows skipped by ``offset`` in list endpoints: deeper pages cost a scan of everything before.
MAX_OFFSET = 10_000
#: Items in one page of any list.
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything :func:`warta.server.app.create_app` was configured with."""

    store_location: str
    api_key: str | None = None
    read_key_required: bool = False
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_query_string_bytes: int = DEFAULT_MAX_QUERY_STRING_BYTES
    max_query_chars: int = DEFAULT_MAX_QUERY_CHARS
    max_query_terms: int = DEFAULT_MAX_QUERY_TERMS
    max_ingest_items: int = DEFAULT_MAX_INGEST_ITEMS
    page_time_limit_s: float = 30.0
    fetch_allow_private: bool = False
    #: the stages the ingest endpoints run (None: warta's default pipeline)
    ingest_pipeline: tuple[str, ...] | None = None
