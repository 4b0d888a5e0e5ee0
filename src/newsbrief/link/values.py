"""The values a stated figure allows: "about $12 billion" and "$1.8bn" are rounded (half a unit
of their last significant digit either side, within bounds), "under", "more than" and "nearly"
are bounds, "20 to 50" is an exact range; figures agree when the values they allow overlap.
"""
from __future__ import annotations

import math
from decimal import Decimal

from newsbrief.extract.figures import qualifier_meaning

# A plain figure allows its rounding margin, kept between these shares of its value ("$6
# million" may be 5.7-6.3 million, "203,450" is 203,450 give or take 0.5%).
POINT_TOL = (0.005, 0.05)
# "about X": its rounding margin, at least 5% and at most 15% ("about $4 billion" allows $4.2
# billion; "about $12 billion" and "about $15 billion" do not meet).
AROUND_TOL = (0.05, 0.15)


def rounding_share(value: float) -> float:
    """Just under half the unit of a figure's last significant digit, as a share of the figure
    ("1.8 billion" -> 0.049 / 1.8; "480 million" -> 4.9 / 480): two figures rounded to
    neighbouring values ("$1.8bn", "$1.9bn") do not overlap."""
    if not value or not math.isfinite(value):
        return 0.0
    exponent = Decimal(repr(abs(float(value)))).normalize().as_tuple().exponent
    return 0.49 * 10.0 ** int(exponent) / abs(value)


def _tolerance(value: float, bounds: tuple[float, float]) -> float:
    return min(max(rounding_share(value), bounds[0]), bounds[1])


def interval(low: float, high: float, qualifier: str) -> tuple[float, float, bool]:
    """Value interval a figure allows, and whether it is an exact range ("20 to 50")."""
    bound = qualifier_meaning(qualifier).bound
    if bound == "upper":
        return 0.0, high, False
    if bound == "lower":
        return low, math.inf, False
    if bound == "near":
        return low * (1 - AROUND_TOL[1]), high, False
    if bound == "approximate":
        return (low * (1 - _tolerance(low, AROUND_TOL)), high * (1 + _tolerance(high, AROUND_TOL)),
                False)
    if high > low:
        return low, high, True
    return low * (1 - _tolerance(low, POINT_TOL)), high * (1 + _tolerance(high, POINT_TOL)), False


def compatible(a: tuple[float, float, float, float, str], b: tuple[float, float, float, float, str]) -> bool:
    """Do two figures (value, low, high, qualifier) agree? Their intervals overlap: two ranges
    that overlap ("20 to 50 times", "20 to 40 times") are two readings of one estimate."""
    la, ha, _ra = interval(a[1], a[2], a[3])
    lb, hb, _rb = interval(b[1], b[2], b[3])
    return la <= hb and lb <= ha
