"""Articles per month by outlet, drawn as an inline SVG bar chart (no script, no CDN)."""

from __future__ import annotations

from collections import Counter
from html import escape

from narratrace.model import Article

PALETTE = ("#3b6ea5", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d5a97", "#5f6b6d")
BAR_WIDTH = 28
HEIGHT = 120
LABEL_EVERY_MONTH = 36  # up to this many months, each is labelled; past it, every LABEL_STEP-th
LABEL_STEP = 3


def months(articles: list[Article]) -> list[str]:
    found = sorted({a.published[:7] for a in articles if a.published})
    if not found:
        return []
    first_year, first_month = map(int, found[0].split("-"))
    last_year, last_month = map(int, found[-1].split("-"))
    span = []
    year, month = first_year, first_month
    while (year, month) <= (last_year, last_month):
        span.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return span


def timeline_svg(articles: list[Article]) -> str:
    """A stacked bar per month; undated articles are counted in the caption, not drawn."""
    axis = months(articles)
    undated = sum(1 for a in articles if not a.published)
    if not axis:
        return f'<p class="muted">No publication dates known ({undated} undated articles).</p>'
    counts = Counter((a.published[:7], a.outlet or "unknown outlet") for a in articles if a.published)
    outlets = sorted({o for _, o in counts})
    colour = {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(outlets)}
    tallest = max(sum(counts[(m, o)] for o in outlets) for m in axis) or 1
    width = max(len(axis) * (BAR_WIDTH + 6) + 10, 200)
    parts = [f'<svg role="img" aria-label="articles per month" width="{width}" height="{HEIGHT + 40}">']
    for i, month in enumerate(axis):
        x = 5 + i * (BAR_WIDTH + 6)
        top = HEIGHT
        for outlet in outlets:
            n = counts[(month, outlet)]
            if not n:
                continue
            h = round(n / tallest * (HEIGHT - 10))
            top -= h
            parts.append(
                f'<rect x="{x}" y="{top}" width="{BAR_WIDTH}" height="{h}" fill="{colour[outlet]}">'
                f"<title>{escape(month)}: {n} from {escape(outlet)}</title></rect>"
            )
        # month labels slanted, so that side by side they never run into each other
        # ("2017-082017-09" when written flat under 34-pixel bars)
        if len(axis) <= LABEL_EVERY_MONTH or i % LABEL_STEP == 0:
            y = HEIGHT + 12
            parts.append(
                f'<text x="{x}" y="{y}" font-size="9" transform="rotate(35 {x} {y})">{escape(month)}</text>'
            )
    parts.append("</svg>")
    legend = " ".join(
        f'<span class="swatch" style="background:{colour[o]}"></span>{escape(o)}' for o in outlets
    )
    caption = f" · {undated} undated" if undated else ""
    return "".join(parts) + f'<p class="legend">{legend}{caption}</p>'
