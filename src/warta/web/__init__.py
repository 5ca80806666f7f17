"""The web reader: server-rendered pages over the store, in the same process as the REST API.

"Read the news without the ads": every article as its clean body, with who is named and quoted,
what happened and what was removed; search with facets; entities, outlets, stories and trends.
Jinja2 templates and one stylesheet, all served from here: nothing is loaded from another
origin, so the reader works offline.
"""
