"""A narrative's articles over time, a lane per outlet, with its debunks' dates marked.

An inline SVG (no script, no CDN), read as an analyst reads a timeline: which outlet said it
first, which took it up and when, and whether it went on after it was debunked. Each article is
a dot in its outlet's lane (hollow when it is only for review), each debunk a dashed line across
the lanes; hovering a mark names the article. Outlets past MAX_LANES share one last lane, so the
drawing stays the same size however large the narrative.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from html import escape

from narratrace.ingest import dates
from narratrace.model import Article

MAX_LANES = 16
LANE = 22  # pixels per outlet lane
LABEL_WIDTH = 170  # the outlets' names, left of the lanes
PLOT_WIDTH = 720
TOP = 28  # room for the debunks' labels
AXIS = 30  # room for the dates under the lanes
MIN_TICK_GAP = 70  # pixels between two date labels, so that they never run into each other
MEMBER, REVIEW, DEBUNK = "#3b6ea5", "#8a8a8a", "#c0392b"
UNKNOWN = "unknown outlet"


def timeline_svg(
    members: Sequence[Article], debunks: Sequence[Article] = (), review: Sequence[Article] = ()
) -> str:
    """The timeline of a narrative's `members`, its `review` articles and its `debunks`; articles
    without a date are counted under it, not drawn."""
    marked = [(a, "member") for a in members] + [(a, "review") for a in review]
    dated = [(a, role, day) for a, role in marked if (day := _day(a))]
    # two debunks of one day: ordered by day only (articles have no order)
    debunk_days = sorted(((day, a) for a in debunks if (day := _day(a))), key=lambda item: item[0])
    # an article dated to the month only is counted, not drawn on a day it was not given
    month_only = sum(dates.precision(a.published) == "month" for a, _ in marked)
    undated = len(marked) - len(dated) - month_only
    if not dated:
        known = f", {month_only} dated to the month only" if month_only else ""
        return f'<p class="muted">No publication days known ({undated} undated articles{known}).</p>'
    lanes = _lanes([(_outlet(a), day) for a, _, day in dated])
    days = [day for _, _, day in dated] + [day for day, _ in debunk_days]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return LABEL_WIDTH + 10 + (day - first).days / span * (PLOT_WIDTH - 20)

    names = sorted(set(lanes.values()))  # the lanes, top to bottom
    rows = len(names)
    height = TOP + rows * LANE + AXIS
    width = LABEL_WIDTH + PLOT_WIDTH
    parts = [
        f'<svg class="timeline" role="img" aria-label="articles over time by outlet" '
        f'width="{width}" height="{height}" font-size="11">'
    ]
    for row, (_, _, name) in enumerate(names):
        y = TOP + row * LANE + LANE / 2
        shade = ' fill="#f4f6f8"' if row % 2 == 0 else ' fill="none"'
        parts.append(f'<rect x="0" y="{y - LANE / 2}" width="{width}" height="{LANE}"{shade}/>')
        parts.append(f'<text x="4" y="{y + 4}">{escape(_short(name))}<title>{escape(name)}</title></text>')
    bottom = TOP + rows * LANE
    for day, label in _ticks(first, last):
        parts.append(f'<line x1="{x(day):.1f}" y1="{TOP}" x2="{x(day):.1f}" y2="{bottom}" stroke="#e2e2e2"/>')
        parts.append(f'<text x="{x(day):.1f}" y="{bottom + 16}" text-anchor="middle">{label}</text>')
    labelled = -float(MIN_TICK_GAP)  # where the last "debunk" label was written
    for n, (day, article) in enumerate(debunk_days):
        where = f"{x(day):.1f}"
        said = f"debunk {day.isoformat()}: {_outlet(article)} · {_headline(article)}"
        label = ""
        if x(day) - labelled >= MIN_TICK_GAP:  # debunks close together share the first one's label
            near = sum(1 for later, _ in debunk_days[n:] if x(later) - x(day) < MIN_TICK_GAP)
            words = "debunk" if near == 1 else f"{near} debunks"
            label = f'<text x="{where}" y="{TOP - 10}" fill="{DEBUNK}" text-anchor="start">{words}</text>'
            labelled = x(day)
        parts.append(
            f'<g class="debunk"><line x1="{where}" y1="{TOP - 6}" x2="{where}" y2="{bottom}" '
            f'stroke="{DEBUNK}" stroke-dasharray="4 3"/>{label}<title>{escape(said)}</title></g>'
        )
    stacked: Counter[tuple[int, int]] = Counter()  # marks already drawn at one place in a lane
    row_of = {lane: row for row, lane in enumerate(names)}
    for article, role, day in sorted(dated, key=lambda item: item[2]):
        row = row_of[lanes[_outlet(article)]]
        spot = (row, round(x(day) / 4))
        offset = (stacked[spot] % 3 - 1) * 5 if stacked[spot] else 0  # a few marks side by side, not on top
        stacked[spot] += 1
        y = TOP + row * LANE + LANE / 2 + offset
        colour = MEMBER if role == "member" else REVIEW
        fill = colour if role == "member" else "white"
        said = f"{day.isoformat()} · {_outlet(article)} · {_headline(article)}"
        if role == "review":
            said += " (for review)"
        parts.append(
            f'<circle class="{role}" cx="{x(day):.1f}" cy="{y:.1f}" r="4.5" fill="{fill}" '
            f'stroke="{colour}" stroke-width="1.5"><title>{escape(said)}</title></circle>'
        )
    parts.append("</svg>")
    legend = (
        f'<span class="swatch" style="background:{MEMBER}"></span>member'
        + (f'<span class="swatch" style="border:1.5px solid {REVIEW}"></span>for review' if review else "")
        + (f'<span class="swatch" style="background:{DEBUNK}"></span>debunk' if debunk_days else "")
        + (f" · {undated} undated" if undated else "")
        + (f" · {month_only} dated to the month only" if month_only else "")
    )
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def _day(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published or "")
    except ValueError:
        return None


def _outlet(article: Article) -> str:
    return article.outlet or UNKNOWN


def _headline(article: Article) -> str:
    words = (article.title or article.text).split()
    return " ".join(words[:14]) + ("…" if len(words) > 14 else "")


def _short(name: str, most: int = 26) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"


def _lanes(marks: list[tuple[str, date]]) -> dict[str, tuple[int, date, str]]:
    """Outlet -> its lane, (0, the lane's first day, its name): lanes in the order outlets came;
    past MAX_LANES outlets, those with the fewest articles share a last lane (1, ...)."""
    first: dict[str, date] = {}
    count: Counter[str] = Counter()
    for outlet, day in marks:
        first[outlet] = min(day, first.get(outlet, day))
        count[outlet] += 1
    if len(first) <= MAX_LANES:
        return {o: (0, d, o) for o, d in first.items()}
    kept = {o for o, _ in sorted(count.items(), key=lambda item: (-item[1], first[item[0]]))[: MAX_LANES - 1]}
    rest = [o for o in first if o not in kept]
    shared = (1, min(first[o] for o in rest), f"{len(rest)} other outlets")
    return {o: (0, first[o], o) if o in kept else shared for o in first}


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Dates to label on the axis: years, or months, or days, as many as fit MIN_TICK_GAP apart."""
    span = (last - first).days
    per_pixel = max(span, 1) / (PLOT_WIDTH - 20)
    if span > 3 * 365:
        points = [date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
        step = max(1, round(MIN_TICK_GAP * per_pixel / 365 + 0.5))
        return [(d, str(d.year)) for d in points[::step]] or [(first, str(first.year))]
    if span > 60:
        months: list[date] = []
        year, month = first.year, first.month
        while True:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            if date(year, month, 1) > last:
                break
            months.append(date(year, month, 1))
        step = max(1, round(MIN_TICK_GAP * per_pixel / 30 + 0.5))
        return [(d, d.strftime("%Y-%m")) for d in months[::step]] or [(first, first.strftime("%Y-%m"))]
    step_days = max(1, round(MIN_TICK_GAP * per_pixel + 0.5))
    return [
        (date.fromordinal(o), date.fromordinal(o).isoformat())
        for o in range(first.toordinal(), last.toordinal() + 1, step_days)
    ]
