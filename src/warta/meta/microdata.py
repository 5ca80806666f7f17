"""Microdata outside meta tags: ``itemprop`` publish and update times, ``<time pubdate>``,
and ``itemprop=author``/``creator`` names."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from warta.meta.markup import norm


def microdata(tree: LexborHTMLParser) -> tuple[list[tuple[str, str]], list[str]]:
    """(time props, author names) from non-meta microdata and ``<time>`` elements.

    Times: ``[itemprop=datePublished|dateModified]`` with ``content``/``datetime``, and
    ``<time pubdate>``; returned as (key, value) with key "published" or "modified".
    """
    times: list[tuple[str, str]] = []
    authors: list[str] = []
    for node in tree.css("[itemprop], time[pubdate]"):
        if node.tag == "meta":
            continue
        attrs = node.attributes
        props = (attrs.get("itemprop") or "").lower().split()
        value = attrs.get("datetime") or attrs.get("content")
        if "datepublished" in props or "pubdate" in attrs:
            if value:
                times.append(("published", value))
            elif node.tag == "time":
                times.append(("published", node.text(deep=True) or ""))
        elif "datemodified" in props and value:
            times.append(("modified", value))
        elif "author" in props or "creator" in props:
            name_node = node.css_first("[itemprop=name]")
            text = norm((name_node or node).text(deep=True))
            if text and len(text) <= 80:
                authors.append(text)
    return times, authors
