"""The commissioning cycle as a server-rendered SVG: four stages round a circle.

The SVG is decoration for sighted readers; pages put an ordered list of the
same stages (marking the current one) beside it as the text alternative.
"""

import math

from django.utils.html import escape

from .stages import STAGE_LABELS, STAGE_ORDER

WIDTH, HEIGHT = 480, 420
CX, CY, RADIUS = 240, 210, 150
BOX_W, BOX_H = 150, 64
# Stage positions, clockwise from the top (degrees; SVG's y axis points down).
ANGLES = [-90, 0, 90, 180]
# How far round the circle each box reaches, so arrows start and end clear of it.
CLEARANCE = {-90: 33, 0: 16, 90: 33, 180: 16}
BLUE, BLACK, WHITE, GREY = "#1d70b8", "#0b0c0c", "#ffffff", "#505a5f"
SHORT_LABELS = {
    "analyse": ["Analyse needs", "and assets"],
    "plan": ["Plan and", "appraise options"],
    "do": ["Commission"],
    "review": ["Review"],
}


def _point(angle):
    radians = math.radians(angle)
    return CX + RADIUS * math.cos(radians), CY + RADIUS * math.sin(radians)


def cycle_svg(current=None):
    """SVG markup of the cycle, `current` (a stage key) highlighted."""
    current_label = STAGE_LABELS.get(current)
    description = "The four stages of the commissioning cycle in a loop: " + ", then ".join(
        STAGE_LABELS[key] for key in STAGE_ORDER
    )
    description += f". Now: {current_label}." if current_label else "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coproduce-cycle" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="cycle-title cycle-desc">',
        '<title id="cycle-title">The commissioning cycle</title>',
        f'<desc id="cycle-desc">{escape(description)}</desc>',
        '<defs><marker id="cycle-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{GREY}"/></marker></defs>',
    ]
    for i, angle in enumerate(ANGLES):
        following = ANGLES[(i + 1) % 4] + (360 if i == 3 else 0)
        x1, y1 = _point(angle + CLEARANCE[angle])
        x2, y2 = _point(following - CLEARANCE[ANGLES[(i + 1) % 4]])
        parts.append(
            f'<path d="M{x1:.1f} {y1:.1f}A{RADIUS} {RADIUS} 0 0 1 {x2:.1f} {y2:.1f}" fill="none" '
            f'stroke="{GREY}" stroke-width="3" marker-end="url(#cycle-arrow)"/>'
        )
    for number, (key, angle) in enumerate(zip(STAGE_ORDER, ANGLES, strict=True), start=1):
        x, y = _point(angle)
        is_current = key == current
        fill, text = (BLUE, WHITE) if is_current else (WHITE, BLACK)
        parts.append(
            f'<rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{BOX_W}" height="{BOX_H}" '
            f'rx="6" fill="{fill}" stroke="{BLUE if is_current else BLACK}" '
            f'stroke-width="{4 if is_current else 2}"/>'
        )
        lines = [f"{number}. {SHORT_LABELS[key][0]}", *SHORT_LABELS[key][1:]]
        if is_current:
            lines.append("We are here")
        top = y - (len(lines) - 1) * 9
        for j, line in enumerate(lines):
            weight = "700" if j == 0 or (is_current and j == len(lines) - 1) else "400"
            parts.append(
                f'<text x="{x:.1f}" y="{top + j * 18 + 5:.1f}" text-anchor="middle" '
                f'font-family="arial, sans-serif" font-size="15" font-weight="{weight}" '
                f'fill="{text}">{escape(line)}</text>'
            )
    parts.append(
        f'<text x="{CX}" y="{CY - 4}" text-anchor="middle" font-family="arial, sans-serif" '
        f'font-size="16" font-weight="700" fill="{BLACK}">Commissioning</text>'
        f'<text x="{CX}" y="{CY + 16}" text-anchor="middle" font-family="arial, sans-serif" '
        f'font-size="16" font-weight="700" fill="{BLACK}">cycle</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
