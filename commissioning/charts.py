"""Server-rendered SVG charts, always shown with a table of the same figures.

Charts carry a <title> and <desc> and are marked as images; the table beside
them (templates/components/chart.html) is the accessible equivalent.
"""

from django.utils.html import escape

from .summaries import Chart, Table

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 220
BAR_WIDTH = 360
VALUE_WIDTH = 90
COLOURS = ["#1d70b8", "#d4351c", "#505a5f", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197"]


# Labels longer than this are cut with an ellipsis so they fit left of the
# bars; the table beside the chart gives them in full.
LABEL_CHARS = 28


def _short(label):
    label = str(label)
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _fmt(value, unit):
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "£":
        return f"£{value:,.0f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def bar_chart(title, rows, *, unit="", description="", columns=None):
    """A horizontal bar chart of (label, value) rows, with its table.

    Negative values draw to the left of a zero line, so savings and growth
    can share one chart.
    """
    values = [float(v or 0) for _, v in rows]
    low = min([0.0, *values])
    high = max([0.0, *values])
    span = (high - low) or 1.0
    zero_x = LABEL_WIDTH + BAR_WIDTH * (-low / span)
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coproduce-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or 'The table beside this chart gives the same figures.')}</desc>",
    ]
    for i, ((label, _), value) in enumerate(zip(rows, values, strict=True)):
        y = GAP + i * (BAR_HEIGHT + GAP)
        x0 = LABEL_WIDTH + BAR_WIDTH * ((min(value, 0) - low) / span)
        w = BAR_WIDTH * abs(value) / span
        colour = COLOURS[0] if value >= 0 else COLOURS[1]
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
            f'font-family="arial, sans-serif" font-size="14" fill="#0b0c0c">{escape(_short(label))}</text>'
        )
        parts.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
            f'font-family="arial, sans-serif" font-size="14" fill="#0b0c0c">{escape(_fmt(value, unit))}</text>'
        )
    parts.append(
        f'<line x1="{zero_x:.1f}" x2="{zero_x:.1f}" y1="0" y2="{height}" stroke="#0b0c0c" stroke-width="1"/>'
    )
    parts.append("</svg>")
    table = Table(
        caption=title,
        columns=columns or ["", "Value"],
        rows=[[label, value] for label, value in rows],
    )
    return Chart(title=title, svg="".join(parts), table=table)


def stacked_share_chart(title, rows, categories, *, description=""):
    """One 100% bar per row, split into categories (e.g. support/oppose/unsure).

    `rows` is [(label, {category: count})]; the table gives counts and shares.
    """
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP + 30
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coproduce-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or 'The table beside this chart gives the same figures.')}</desc>",
    ]
    table_rows = []
    for i, (label, counts) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        total = sum(counts.get(c, 0) for c, _ in categories) or 1
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
            f'font-family="arial, sans-serif" font-size="14" fill="#0b0c0c">{escape(_short(label))}</text>'
        )
        x = LABEL_WIDTH
        row = [label]
        for j, (key, _) in enumerate(categories):
            count = counts.get(key, 0)
            w = BAR_WIDTH * count / total
            if w:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                    f'fill="{COLOURS[j % len(COLOURS)]}"/>'
                )
            x += w
            row.extend([count, round(100 * count / total) if sum(counts.values()) else 0])
        table_rows.append(row)
    legend_y = height - 12
    x = LABEL_WIDTH
    for j, (_, name) in enumerate(categories):
        parts.append(
            f'<rect x="{x}" y="{legend_y - 11}" width="12" height="12" fill="{COLOURS[j % len(COLOURS)]}"/>'
        )
        parts.append(
            f'<text x="{x + 16}" y="{legend_y}" font-family="arial, sans-serif" font-size="13" '
            f'fill="#0b0c0c">{escape(name)}</text>'
        )
        x += 30 + 8 * len(name)
    parts.append("</svg>")
    columns = [""]
    for _, name in categories:
        columns.extend([name, f"{name} (%)"])
    return Chart(
        title=title,
        svg="".join(parts),
        table=Table(caption=title, columns=columns, rows=table_rows),
    )
