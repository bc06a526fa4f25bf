"""schemathesis hooks of the contract runs (scripts/lib/fuzz.ts): reach past the first check.

Generated division codes are almost never real or inside the caller's region, and generated dates
are rarely real days, so nearly every write stops at a 400/403 and no workflow ever starts. For
about half of the generated cases these hooks put the caller's own codes (FUZZ_REGION) and a real
date in place; the other half stay as generated. The must-fail runs load no hooks: their data must
stay invalid.
"""

import itertools
import os
import re

import schemathesis

REGION = os.environ.get("FUZZ_REGION", "14")
# A village, its township and its county inside every caller's region (the fixtures' Shanxi codes).
VILLAGE = "140802101201"
CODES = {
    "villageCode": VILLAGE,
    "village": VILLAGE,
    "townshipCode": VILLAGE[:9],
    "township": VILLAGE[:9],
    "countyCode": VILLAGE[:6],
    "regionCode": REGION,
    "region": REGION,
}
# Shaped like a date or month, but not a real one (month 00 or 13+, day 00 or 29+): replaced. A real
# month or day of any year stays, so years out of range (0000, 9999) still reach the API.
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REAL_DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$")
MONTH = re.compile(r"^\d{4}-\d{2}$")
_calls = itertools.count()
REAL_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _half(value) -> bool:
    """Every other generated value. Not a hash of the value: the generator repeats its smallest
    examples often, and a hash would give all of them the same answer; not `random`: Hypothesis
    seeds it anew for every example."""
    return next(_calls) % 2 == 0


def _fill(value):
    if isinstance(value, list):
        return [_fill(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key in CODES and isinstance(v, str):
            out[key] = CODES[key]
        elif isinstance(v, str) and DAY.match(v) and not REAL_DAY.match(v):
            out[key] = "2026-03-02"
        elif isinstance(v, str) and MONTH.match(v) and not REAL_MONTH.match(v):
            out[key] = "2026-03"
        else:
            out[key] = _fill(v)
    return out


@schemathesis.hook
def map_body(context, body):
    return _fill(body) if _half(body) else body


@schemathesis.hook
def map_query(context, query):
    return _fill(query) if query and _half(query) else query


@schemathesis.hook
def map_path_parameters(context, path_parameters):
    return _fill(path_parameters) if path_parameters and _half(path_parameters) else path_parameters
