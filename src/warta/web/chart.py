"""A small inline SVG line chart of trend series, drawn on the server (no script, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from warta.corpus.trends import Series

COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989")
WIDTH, HEIGHT, PAD = 760, 260, 36


def line_chart(all_series: Sequence[Series]) -> Markup:
    """An <svg> with one polyline per series over the union of their buckets."""
    buckets = sorted({p.bucket for s in all_series for p in s.points})
    if not buckets:
        return Markup("<p>No buckets in this range.</p>")
    top = max([p.count for s in all_series for p in s.points] + [1])
    step = (WIDTH - 2 * PAD) / max(len(buckets) - 1, 1)
    index = {b: i for i, b in enumerate(buckets)}

    def xy(bucket: str, count: int) -> str:
        x = PAD + index[bucket] * step
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * count / top
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="articles per day">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>',
        f'<text x="4" y="{PAD}" class="tick">{top}</text>',
        f'<text x="4" y="{HEIGHT - PAD}" class="tick">0</text>',
    ]
    for i in range(0, len(buckets), max(1, len(buckets) // 8)):
        x = PAD + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 10}" class="tick" text-anchor="middle">{escape(buckets[i])}</text>'
        )
    for n, s in enumerate(all_series):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(xy(p.bucket, p.count) for p in s.points)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"><title>{escape(s.kind)}:{escape(s.label)}</title></polyline>'
        )
        parts.append(
            f'<text x="{WIDTH - PAD}" y="{PAD + 14 * n}" fill="{colour}" class="legend" text-anchor="end">{escape(s.label)} ({escape(s.kind)})</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(counts: Sequence[tuple[str, int]], label: str = "mentions per month") -> Markup:
    """An <svg> of one bar per bucket (an entity's mentions by month, an outlet's articles by
    day): sizes are SVG attributes, not style attributes, so the strict CSP holds."""
    if not counts:
        return Markup("")
    top = max([n for _, n in counts] + [1])
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    slot = inner_w / len(counts)
    bar = max(slot * 0.8, 1.0)
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>',
        f'<text x="4" y="{PAD}" class="tick">{top}</text>',
        f'<text x="4" y="{HEIGHT - PAD}" class="tick">0</text>',
    ]
    for i, (bucket, n) in enumerate(counts):
        h = inner_h * n / top
        x = PAD + i * slot + (slot - bar) / 2
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{bar:.1f}" '
            f'height="{h:.1f}"><title>{escape(bucket)}: {n}</title></rect>'
        )
    for i in range(0, len(counts), max(1, len(counts) // 8)):
        x = PAD + i * slot + slot / 2
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 10}" class="tick" text-anchor="middle">{escape(counts[i][0])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
