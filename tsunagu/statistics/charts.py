"""A small trend line of the last 12 months, drawn on the server as SVG (no JavaScript,
no inline style: the strict CSP allows neither). `statistics/_trend.html` draws it and
repeats the values as text for screen readers."""

from dataclasses import dataclass

WIDTH = 120
HEIGHT = 32
PAD = 3


@dataclass(frozen=True)
class Trend:
    points: str  # the polyline's "x,y x,y …"
    last_x: float
    last_y: float
    width: int = WIDTH
    height: int = HEIGHT


def trend(values: list[int | float | None]) -> Trend | None:
    """None when there is nothing to draw (a figure not computed, or no months)."""
    known = [v for v in values if v is not None]
    if not values or not known:
        return None
    top = max(known) or 1
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)
    coords = []
    for index, value in enumerate(values):
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value or 0) / top
        coords.append((round(PAD + index * step, 1), round(y, 1)))
    return Trend(" ".join(f"{x},{y}" for x, y in coords), coords[-1][0], coords[-1][1])
