"""``warta train ner``: rebuild the NER model from the gold sets in ``../shared/data``.

Register on the main command group with :func:`register`.
"""

from __future__ import annotations

from pathlib import Path

import click

from warta.nlp import ner_data


def _split_list(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _train_group(group: click.Group) -> click.Group:
    existing = group.commands.get("train")
    if isinstance(existing, click.Group):
        return existing

    @group.group("train")
    def train() -> None:
        """Train warta's statistical models from the gold data sets."""

    return train


def register(group: click.Group) -> None:
    """Add ``train ner`` to ``group`` (creating the ``train`` sub-group if needed)."""
    train = _train_group(group)

    @train.command("ner")
    @click.option(
        "-o",
        "--output",
        "--out",
        "out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Where to write the model (default: the shipped file warta/models/ner_id_crf.zip).",
    )
    @click.option(
        "--sets",
        multiple=True,
        help="Gold sets to train on, in priority order, comma-separated or repeated "
        f"(default: the shipped recipe). Known: {', '.join(ner_data.SETS)}.",
    )
    @click.option(
        "--types",
        multiple=True,
        help="Entity types to keep (default: PERSON,ORGANIZATION,PLACE).",
    )
    @click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help="The shared data folder (default: $WARTA_SHARED_DATA or ../shared/data).",
    )
    @click.option("--seed", type=int, default=None, help="Seed of the word clusters.")
    @click.option(
        "--language",
        default=None,
        help="Language whose gazetteer lists the model is trained with (default: that of "
        "pages of no known language).",
    )
    @click.option(
        "--cluster-text",
        type=click.Choice(["indosum", "training"]),
        default="indosum",
        show_default=True,
        help="Text the word clusters are learnt from (training: the training sentences).",
    )
    def ner(
        out: Path | None,
        sets: tuple[str, ...],
        types: tuple[str, ...],
        data_dir: Path | None,
        seed: int | None,
        language: str | None,
        cluster_text: str,
    ) -> None:
        """Train the CRF named-entity model (reproducible: same data and seed, same file)."""
        from warta.nlp import train as trainer

        set_list = _split_list(sets) or list(trainer.SHIPPED_SETS)
        type_list = _split_list(types) or list(trainer.SHIPPED_TYPES)
        unknown = [s for s in set_list if s not in ner_data.SETS]
        if unknown:
            raise click.BadParameter(
                f"unknown set(s) {', '.join(unknown)}; known: {', '.join(ner_data.SETS)}",
                param_hint="--sets",
            )
        bad_types = [t for t in type_list if t not in ner_data.ENTITY_TYPES]
        if bad_types:
            raise click.BadParameter(
                f"unknown type(s) {', '.join(bad_types)}; "
                f"known: {', '.join(ner_data.ENTITY_TYPES)}",
                param_hint="--types",
            )
        try:
            report = trainer.train_ner(
                out,
                sets=set_list,
                types=type_list,
                data_dir=data_dir,
                seed=trainer.SEED if seed is None else seed,
                log=lambda msg: click.echo(msg, err=True),
                language=language,
                cluster_text=cluster_text,
            )
        except FileNotFoundError as exc:
            raise click.ClickException(f"{exc} (the gold sets live in ../shared/data)") from exc
        except ImportError as exc:
            raise click.ClickException(
                f"{exc}: training needs numpy and python-crfsuite (pip install warta[nlp])"
            ) from exc
        click.echo(f"training data sha256: {report.data.files_sha256}")
        click.echo(f"model: {report.path} ({report.size:,} bytes)")
        click.echo(f"model sha256: {report.model_sha256}")
