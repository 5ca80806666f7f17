"""Exports of a store: tables as JSON Lines, CSV or Parquet, and the GDELT layout."""
