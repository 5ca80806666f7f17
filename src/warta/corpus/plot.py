"""A picture of trend series: volume over time, one line per series (SVG or PNG by suffix)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from warta.core.errors import ExportError
from warta.corpus.trends import Series

FORMATS = (".svg", ".png")


def plot_series(all_series: Sequence[Series], path: Path, *, title: str | None = None) -> None:
    """Draw the series as lines over their buckets and write ``path`` (.svg or .png)."""
    if path.suffix.lower() not in FORMATS:
        raise ExportError(
            f"cannot draw {path.suffix or 'a file without a suffix'}: use .svg or .png",
            source=str(path),
        )
    from warta.core.extras import require

    require("plot", "a trend picture")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    buckets = sorted({p.bucket for s in all_series for p in s.points})
    index = {b: i for i, b in enumerate(buckets)}
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=110)
    try:
        for s in all_series:
            xs = [index[p.bucket] for p in s.points]
            ax.plot(
                xs,
                [p.count for p in s.points],
                marker="o",
                markersize=3,
                linewidth=1.6,
                label=f"{s.label} ({s.kind})",
            )
        step = max(1, len(buckets) // 12)
        ax.set_xticks(range(0, len(buckets), step))
        ax.set_xticklabels(buckets[::step], rotation=35, ha="right", fontsize=8)
        ax.set_ylabel("articles")
        ax.set_title(
            title or "articles per " + ("hour" if buckets and "T" in buckets[0] else "day")
        )
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
        fig.tight_layout()
        try:
            fig.savefig(path)
        except OSError as exc:
            raise ExportError(
                f"cannot write the picture: {exc.strerror or exc}", source=str(path)
            ) from exc
    finally:
        plt.close(fig)
