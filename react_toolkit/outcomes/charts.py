"""A relative's scores over time as a small SVG line chart, drawn on the server so it needs no script.

The data table under each chart says the same in words; the chart is decoration for those who
can see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from react_toolkit.outcomes.instruments import Band, Instrument
from react_toolkit.outcomes.models import MeasureAnswer

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 20, 16, 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    answer: MeasureAnswer
    band: Band | None


def _y(instrument: Instrument, score: int) -> float:
    span = instrument.highest - instrument.lowest or 1
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - (score - instrument.lowest) / span), 1)


def results(instrument: Instrument, answers: list[MeasureAnswer]) -> dict:
    """One instrument's answers in time order, with the chart's points, band lines and axis ticks."""
    own = [answer for answer in answers if answer.instrument == instrument.key]
    bands = {band.key: band for band in instrument.bands}
    inner = WIDTH - LEFT - RIGHT
    step = inner / (len(own) - 1) if len(own) > 1 else 0
    points = [
        Point(
            round(LEFT + (step * number if len(own) > 1 else inner / 2), 1),
            _y(instrument, answer.total),
            answer,
            bands.get(answer.band),
        )
        for number, answer in enumerate(own)
    ]
    return {
        "instrument": instrument,
        "points": points,
        "line": " ".join(f"{point.x},{point.y}" for point in points),
        # A faint line where each band above the lowest begins.
        "band_lines": [(band, _y(instrument, band.low)) for band in instrument.bands[1:]],
        "ticks": [(value, _y(instrument, value)) for value in (instrument.lowest, instrument.highest)],
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
    }
