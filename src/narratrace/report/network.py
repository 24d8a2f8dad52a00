"""The outlet copy network as an inline SVG: outlets on a circle, an arrow per copying direction,
thicker for more copies. Plain SVG, no script, so it is inert in the report and the web pages."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from html import escape

from narratrace.export import outlet_node
from narratrace.model import Article, Reuse

WIDTH, HEIGHT, RADIUS = 560, 360, 130


def outlet_edges(pairs: Iterable[Reuse], articles: dict[str, Article]) -> Counter[tuple[str, str]]:
    """(earlier outlet, later outlet) -> number of reuse pairs, stock text left out."""
    edges: Counter[tuple[str, str]] = Counter()
    for pair in pairs:
        if pair.stock or pair.a not in articles or pair.b not in articles:
            continue
        first, second = (pair.b, pair.a) if pair.direction == "b_to_a" else (pair.a, pair.b)
        edges[(outlet_node(articles[first]), outlet_node(articles[second]))] += 1
    return edges


def outlet_network_svg(pairs: Iterable[Reuse], articles: dict[str, Article]) -> str:
    edges = outlet_edges(pairs, articles)
    if not edges:
        return ""
    outlets = sorted({o for edge in edges for o in edge})
    place = {
        outlet: (
            WIDTH / 2 + RADIUS * math.cos(2 * math.pi * i / len(outlets) - math.pi / 2),
            HEIGHT / 2 + RADIUS * math.sin(2 * math.pi * i / len(outlets) - math.pi / 2),
        )
        for i, outlet in enumerate(outlets)
    }
    parts = [
        f'<svg class="network" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="outlet copy network">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#b07a00"/></marker></defs>',
    ]
    for (source, target), count in sorted(edges.items()):
        (x1, y1), (x2, y2) = place[source], place[target]
        title = escape(f"{source} → {target}: {count} reuse pair{'s' if count > 1 else ''}")
        if source == target:  # copies inside one outlet: a loop above the node
            parts.append(
                f'<path d="M {x1 - 8:.0f} {y1 - 8:.0f} C {x1 - 30:.0f} {y1 - 50:.0f} '
                f'{x1 + 30:.0f} {y1 - 50:.0f} {x1 + 8:.0f} {y1 - 8:.0f}" fill="none" stroke="#e0a800" '
                f'stroke-width="{1 + count}">'
                f"<title>{title}</title></path>"
            )
            continue
        shorten = 14 / max(1.0, math.dist((x1, y1), (x2, y2)))
        x2s, y2s = x2 - (x2 - x1) * shorten, y2 - (y2 - y1) * shorten
        parts.append(
            f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2s:.0f}" y2="{y2s:.0f}" stroke="#e0a800" '
            f'stroke-width="{1 + count}" marker-end="url(#arrow)"><title>{title}</title></line>'
        )
    for outlet, (x, y) in place.items():
        anchor = "start" if x > WIDTH / 2 + 1 else ("end" if x < WIDTH / 2 - 1 else "middle")
        dx = 14 if anchor == "start" else (-14 if anchor == "end" else 0)
        parts.append(
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="9" fill="#4a6fa5"><title>{escape(outlet)}</title></circle>'
            f'<text x="{x + dx:.0f}" y="{y + 4:.0f}" text-anchor="{anchor}" font-size="12">'
            f"{escape(outlet)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
