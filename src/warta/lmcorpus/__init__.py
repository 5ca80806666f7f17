"""Language-model training text from warta's records: quality signals, keep/drop rules,
near-duplicate removal and PII masking (``warta corpus``)."""
