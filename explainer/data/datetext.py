"""Dates as the data files write them (YYYY, YYYY-MM or YYYY-MM-DD): checked,
and spelt out for readers ('17 September 2024')."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from explainer.config import MONTHS

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_date(value: Any) -> str | None:
    """Return an error message if value is not YYYY, YYYY-MM or YYYY-MM-DD."""
    text = str(value)
    if not DATE_RE.match(text):
        return f"malformed date {text!r}: use YYYY-MM-DD (or YYYY-MM, YYYY)"
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return f"malformed date {text!r}: no such calendar date"
    return None


def human_date(value: str) -> str:
    """'2024-09-17' -> '17 September 2024'; '2024-09' -> 'September 2024'."""
    parts = str(value).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]
