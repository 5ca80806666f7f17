"""Readers: turn files, folders, containers and stdin into pages to process."""
