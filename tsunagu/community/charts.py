"""Bar charts drawn on the server as SVG (no JavaScript, no inline style: the strict
CSP allows neither). The geometry is computed here; `community/_bar_chart.html`
draws it with SVG attributes and the CSS classes in app.css, and repeats the
figures in a table for screen readers and printing."""

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 56
ROW_HEIGHT = 32
BAR_HEIGHT = 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int
    value_x: int
    # Marked bars (a thin network, a gap) get a second colour and a ★ in the table.
    marked: bool


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    unit: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def has_marked(self) -> bool:
        return any(bar.marked for bar in self.bars)


def bar_chart(
    key: str,
    title: str,
    rows: Iterable[tuple[str, int]],
    *,
    unit: str = "",
    marked_below: int | None = None,
) -> BarChart:
    """Horizontal bars, one per (label, value) row, scaled to the largest value.
    With `marked_below`, rows whose value is under it are marked (e.g. districts with
    fewer supporters than that)."""
    rows = list(rows)
    longest = max((value for _, value in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        width = round(room * value / longest) if longest else 0
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        bars.append(
            Bar(
                label=label,
                value=value,
                y=y,
                # A zero still shows a sliver, so that "none" reads as a bar, not a gap in the chart.
                width=max(width, 2),
                text_y=index * ROW_HEIGHT + ROW_HEIGHT // 2 + 6,
                value_x=LABEL_WIDTH + max(width, 2) + 8,
                marked=marked_below is not None and value < marked_below,
            )
        )
    return BarChart(key=key, title=title, unit=unit, bars=tuple(bars))
