"""Metadata read from page text: dates and times, language, outlet, people, sources."""
