"""Across articles: duplicates and syndicated copies, stories across outlets and days, trends.

These are passes over the store (DESIGN.md: the store is the barrier between one article and
the corpus). Each pass is incremental: a new article is placed among what is stored, nothing is
recomputed for the corpus. The pure logic lives here; the tables are in
:mod:`warta.store.corpus_tables`.
"""
