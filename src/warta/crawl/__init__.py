"""``warta crawl``: a polite, resumable news crawler.

:mod:`~warta.crawl.urls` normalises URLs, :mod:`~warta.crawl.frontier` keeps the crawl
state in SQLite, :mod:`~warta.crawl.fetch` does HTTP with every limit, and
:mod:`~warta.crawl.crawler` runs the loop. Nothing heavy is imported here.
"""
