"""Is a phone number a mobile? The hand-off's MobilePhone column, answered as
``phonenumbers.number_type(phonenumbers.parse(phone)) == MOBILE`` answers it, in a few
microseconds instead of ~25.

Stored numbers are E.164 ("+" and digits). For those, the parse comes down to splitting off
the calling code and, like ``parse``, stripping a national prefix where the region has one;
the type check comes to the library's own order of number kinds (any special kind or a fixed
line first, then a mobile), against the region's patterns, each compiled once. Anything
else (a raw number as it was typed) goes through ``phonenumbers`` itself.
tests/handoff/test_handoff_mobile_numbers.py checks both give the same answer for every
region's example numbers of every kind.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from phonenumbers import PhoneMetadata
from phonenumbers import phonenumberutil as _util

_E164 = re.compile(r"\+[1-9][0-9]{3,16}")
_SPECIAL_KINDS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)


class _Kind:
    """One kind of number of a region: its possible lengths and its pattern, compiled when a
    number first needs it (a region has up to 11 kinds; most are never asked about)."""

    __slots__ = ("lengths", "pattern", "source")

    def __init__(self, lengths: frozenset[int], source: str) -> None:
        self.lengths = lengths
        self.source = source
        self.pattern: re.Pattern[str] | None = None

    def matches(self, national: str) -> bool:
        if self.lengths and len(national) not in self.lengths:
            return False
        pattern = self.pattern
        if pattern is None:
            pattern = self.pattern = re.compile(self.source)
        return pattern.fullmatch(national) is not None


def _kind(number_desc: Any) -> _Kind | None:
    """None where the region has no such kind of number."""
    if number_desc is None or not number_desc.national_number_pattern:
        return None
    return _Kind(frozenset(number_desc.possible_length or ()), number_desc.national_number_pattern)


def _matches(national: str, kind: _Kind | None) -> bool:
    return kind is not None and kind.matches(national)


class _Region:
    """One region's kinds of number, read from its metadata once."""

    def __init__(self, region: str, metadata: Any) -> None:
        self.region = region
        self.general = _kind(metadata.general_desc)
        self.special = tuple(
            kind
            for kind in (_kind(getattr(metadata, name)) for name in _SPECIAL_KINDS)
            if kind is not None
        )
        self.fixed = _kind(metadata.fixed_line)
        self.mobile = _kind(metadata.mobile)
        self.same = bool(metadata.same_mobile_and_fixed_line_pattern)
        self.leading = re.compile(metadata.leading_digits) if metadata.leading_digits else None

    def known(self, national: str) -> bool:
        """phonenumbers' type is not UNKNOWN: some kind claims the number (the commonest,
        fixed lines and mobiles, asked first)."""
        if not _matches(national, self.general):
            return False
        if _matches(national, self.fixed) or (not self.same and _matches(national, self.mobile)):
            return True
        return any(kind.matches(national) for kind in self.special)

    def is_mobile(self, national: str) -> bool:
        """phonenumbers' type is MOBILE (not FIXED_LINE_OR_MOBILE): the number is a mobile
        and no kind the library checks before mobiles claims it. The mobile pattern is
        asked first, so most landlines are answered by one pattern, not ten."""
        if self.same or not _matches(national, self.general):
            return False
        if not _matches(national, self.mobile) or _matches(national, self.fixed):
            return False
        return not any(kind.matches(national) for kind in self.special)


class _CallingCode:
    """A calling code: the metadata ``parse`` strips a national prefix with, and the regions
    that share the code in the order ``region_code_for_number`` tries them (each region's
    metadata loaded when a number first reaches it, as the library loads it)."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.region_codes = _util.COUNTRY_CODE_TO_REGION_CODE[code]
        main = _util.region_code_for_country_code(code)
        self.parsing = PhoneMetadata.metadata_for_region_or_calling_code(code, main)
        prefix = self.parsing.national_prefix_for_parsing if self.parsing is not None else None
        # Most numbers start with no national prefix: those need no stripping.
        self.prefix = re.compile(prefix) if prefix else None
        self._regions: dict[str, _Region | None] = {}

    def _region(self, region_code: str) -> _Region | None:
        if region_code not in self._regions:
            metadata = PhoneMetadata.metadata_for_region_or_calling_code(self.code, region_code)
            self._regions[region_code] = (
                _Region(region_code, metadata) if metadata is not None else None
            )
        return self._regions[region_code]

    def national(self, rest: str) -> str:
        """The national significant number, as ``parse`` leaves it."""
        if self.parsing is None or self.prefix is None or self.prefix.match(rest) is None:
            return rest
        _carrier, stripped, _done = _util._maybe_strip_national_prefix_carrier_code(
            rest, self.parsing
        )
        if _util._test_number_length(stripped, self.parsing) in _KEEP_PREFIX:
            return rest
        return stripped

    def region_for(self, national: str) -> _Region | None:
        if len(self.region_codes) == 1:
            return self._region(self.region_codes[0])
        for region_code in self.region_codes:
            region = self._region(region_code)
            if region is None:
                continue
            if region.leading is not None:
                if region.leading.match(national):
                    return region
            elif region.known(national):
                return region
        return None


_KEEP_PREFIX = (
    _util.ValidationResult.TOO_SHORT,
    _util.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    _util.ValidationResult.INVALID_LENGTH,
)
_codes: dict[int, _CallingCode] = {}


def _calling_code(digits: str) -> tuple[_CallingCode, str] | None:
    for length in (1, 2, 3):
        code = int(digits[:length])
        if code in _util.COUNTRY_CODE_TO_REGION_CODE:
            found = _codes.get(code)
            if found is None:
                found = _codes[code] = _CallingCode(code)
            return found, digits[length:]
    return None


# The library's own steps this relies on; a version without them gets the library's answer.
_QUICK = all(
    hasattr(_util, name)
    for name in ("_maybe_strip_national_prefix_carrier_code", "_test_number_length")
)


def is_mobile(phone: str | None) -> bool:
    """True if ``phone`` is a mobile number (a number that may be a landline or a mobile,
    as North American ones are, is not)."""
    if not phone:
        return False
    if not _QUICK or _E164.fullmatch(phone) is None:
        return slow_is_mobile(phone)
    found = _calling_code(phone[1:])
    if found is None:
        return False
    calling_code, rest = found
    if len(rest) < 2:
        return False
    national = calling_code.national(rest)
    region = calling_code.region_for(national)
    return region is not None and region.is_mobile(national)


def slow_is_mobile(phone: str | None) -> bool:
    """The library's own answer (for numbers not in E.164, and for tests)."""
    if not phone:
        return False
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
