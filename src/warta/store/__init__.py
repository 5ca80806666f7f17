"""The store: SQLite by default, PostgreSQL at scale, one interface (:mod:`warta.store.base`)."""
