"""UCUM quantities in the unit a question is asked in, converted only where exact.

A FHIR ``valueQuantity`` (:mod:`kneeguide.inputs.fhir`) may give a length in mm or
inches, a duration in hours or weeks: UCUM defines these as exact multiples of the
question's own unit (cm, days, minutes), so they are converted with fractions, not
floats (25 mm is 2.5 cm, 72 h is exactly 3 days). A UCUM month or year is an average
(30.4375 and 365.25 days), not a calendar length, so it is never converted; an age is
read in years only. Every refusal says why and what is expected.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import NamedTuple

#: UCUM length units → centimetres per unit (exact, so 25 mm is 2.5 cm, not 2.5000000000000004).
LENGTH_TO_CM: dict[str, Fraction] = {
    "cm": Fraction(1),
    "mm": Fraction(1, 10),
    "m": Fraction(100),
    "[in_i]": Fraction(254, 100),
}

#: UCUM time units → days per unit, exact by UCUM's own definitions (min = 60 s,
#: h = 60 min, d = 24 h, wk = 7 d).
TIME_IN_DAYS: dict[str, Fraction] = {
    "s": Fraction(1, 86400),
    "min": Fraction(1, 1440),
    "h": Fraction(1, 24),
    "d": Fraction(1),
    "wk": Fraction(7),
}

#: UCUM units of time that are averages, not calendar lengths: never converted (3 months
#: is not 91.3125 days to anyone who said it), with the reason said.
AVERAGE_TIME: dict[str, str] = {
    "mo": "a UCUM month ('mo') is an average of 30.4375 days",
    "mo_j": "a UCUM Julian month ('mo_j') is an average of 30.4375 days",
    "mo_g": "a UCUM Gregorian month ('mo_g') is an average of 30.436875 days",
    "mo_s": "a UCUM synodal month ('mo_s') is an average of 29.53059 days",
    "a": "a UCUM year ('a') is an average of 365.25 days",
    "a_j": "a UCUM Julian year ('a_j') is an average of 365.25 days",
    "a_g": "a UCUM Gregorian year ('a_g') is an average of 365.2425 days",
    "a_t": "a UCUM tropical year ('a_t') is an average of 365.24219 days",
}


class Unit(NamedTuple):
    """How a question asked in a unit reads a ``valueQuantity``: the UCUM code of its own
    unit, its name in messages, the units converted exactly to it (factor: own units
    per unit) and what a message says is expected."""

    code: str
    name: str
    factors: dict[str, Fraction]
    expected: str


def _time(code: str, name: str) -> Unit:
    per_day = TIME_IN_DAYS[code]
    others = [f"'{u}'" for u in TIME_IN_DAYS if u != code]
    others_text = ", ".join(others[:-1]) + " or " + others[-1]
    factors = {u: d / per_day for u, d in TIME_IN_DAYS.items()}
    return Unit(code, name, factors, f"{name} (UCUM '{code}'), or {others_text}")


#: A question's unit (its English wording in questions.yaml) → how a Quantity is read for it.
#: An age is read in years only: an age in months or days would have to be cut to the whole
#: years the question is asked in, and which birthday has passed is not known from it.
UNITS: dict[str, Unit] = {
    "cm": Unit("cm", "a length in cm", LENGTH_TO_CM, "a length in cm (UCUM 'cm'), or 'mm', 'm' or '[in_i]'"),
    "days": _time("d", "days"),
    "minutes": _time("min", "minutes"),
    "years": Unit("a", "years", {"a": Fraction(1)}, "years (UCUM 'a')"),
}
#: How a Quantity is read without the rule set's questions: as a length, in centimetres.
LENGTH = UNITS["cm"]


def convert(value: int | float, unit: str, own: Unit) -> int | float | str:
    """``value`` in the UCUM ``unit`` expressed in the unit ``own`` of a question: as it
    is in that unit itself (the answer checker then judges it), else converted exactly
    (an int when whole), or a str: the end of a message saying what it cannot be read as
    and why (``days: a UCUM month ('mo') is an average ...; expected days (UCUM 'd'), ...``).
    """
    factor = own.factors.get(unit)
    if factor is None:
        why = (
            f": {AVERAGE_TIME[unit]}, not a calendar length"
            if unit in AVERAGE_TIME and own.code in ("d", "min")
            else ": an age is read in whole years only"
            if own.code == "a" and unit in {*TIME_IN_DAYS, *AVERAGE_TIME}
            else ""
        )
        return f"{own.name}{why}; expected {own.expected}"
    if factor == 1:
        return value
    try:
        exact = Fraction(Decimal(repr(value))) * factor
    except (InvalidOperation, ValueError):  # an infinite or NaN float: the checker refuses it
        return value
    return exact.numerator if exact.denominator == 1 else float(exact)
