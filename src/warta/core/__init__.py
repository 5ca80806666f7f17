"""The record and stage core: the `Article` record, its JSON, errors, the stage
interface and the stage registry. Nothing here imports the layers above."""
