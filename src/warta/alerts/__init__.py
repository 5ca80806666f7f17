"""Alerts: saved searches ("watches") served as Atom feeds and posted to webhooks with the new
matches after each ingest (:mod:`warta.alerts.watching`, :mod:`warta.alerts.atom`,
:mod:`warta.alerts.webhook`)."""
