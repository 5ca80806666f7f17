"""Running stages over pages: the pipeline from specs, the executors, multi-page
joining, the ingest sources and the one ingest driver."""
