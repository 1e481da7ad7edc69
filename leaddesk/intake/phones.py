"""Phone numbers to E.164, fast enough for six-figure imports.

phonenumbers.parse plus is_valid_number costs about 60 µs a number, which alone would cap an
import near 15,000 rows/s. Most exported numbers are plainly written (``+49 151 2345678``,
``(415) 555-2671``), so those take a fast path that does the same steps as phonenumbers on its
own metadata: country code by table, no national prefix to strip, validity by the same number
patterns (compiled once here). Anything the fast path is not certain about goes to phonenumbers
itself. tests/intake/test_intake_phones.py checks the two agree on many generated numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneMetadata
from phonenumbers.phonenumberutil import ValidationResult

_PLAIN = re.compile(r"\+?[0-9(][0-9 ().\-/]*")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NON_GEO = "001"
# phonenumbers refuses national numbers outside these lengths.
_MIN_NSN, _MAX_NSN = 2, 17
_MAX_INPUT = 250

_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "no country code (add +… or set a default region)",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}


@dataclass(frozen=True, slots=True)
class PhoneResult:
    """A phone as typed (``raw``), its E.164 form when valid, and why not when it is not."""

    raw: str
    e164: str | None
    flag: str | None


NO_PHONE = PhoneResult("", None, None)


def normalise_phone(raw: str, default_region: str | None) -> PhoneResult:
    """E.164 for a typed phone number; invalid ones are kept as typed with a reason.

    ``default_region`` (ISO 3166 alpha-2, e.g. "US") is used for numbers written without +.
    Results are cached: exports repeat switchboard numbers a lot.
    """
    text = raw.strip()
    if not text:
        return NO_PHONE
    return _normalise(text, default_region.upper() if default_region else None)


@lru_cache(maxsize=65536)
def _normalise(text: str, region: str | None) -> PhoneResult:
    # Excel users force text with a leading apostrophe; it is not part of the number.
    if text[0] == "'":
        text = text[1:].strip()
        if not text:
            return NO_PHONE
    fast = _fast_e164(text, region)
    if fast is not None:
        e164, valid = fast
        return PhoneResult(text, e164, None) if valid else _invalid(text, region)
    return _slow(text, region)


def _slow(text: str, region: str | None) -> PhoneResult:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as error:
        return PhoneResult(text, None, _PARSE_REASONS.get(error.error_type, "not a phone number"))
    if phonenumbers.is_valid_number(number):
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return PhoneResult(text, e164, None)
    return _reason_invalid(text, number)


def _invalid(text: str, region: str | None) -> PhoneResult:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:  # pragma: no cover - the fast path already parsed it
        return PhoneResult(text, None, "not a phone number")
    return _reason_invalid(text, number)


def _reason_invalid(text: str, number: phonenumbers.PhoneNumber) -> PhoneResult:
    length = phonenumbers.is_possible_number_with_reason(number)
    where = phonenumbers.region_code_for_country_code(number.country_code or 0)
    if length == ValidationResult.TOO_SHORT:
        reason = "too short"
    elif length == ValidationResult.TOO_LONG:
        reason = "too long"
    elif where and where not in ("ZZ", _NON_GEO):
        reason = f"not a valid number for {where}"
    else:
        reason = "not a valid number"
    return PhoneResult(text, None, reason)


# --- the fast path ------------------------------------------------------------------------------


def _fast_e164(text: str, region: str | None) -> tuple[str, bool] | None:
    """(E.164, valid) exactly as phonenumbers would give, or None when unsure."""
    if len(text) > _MAX_INPUT or not _PLAIN.fullmatch(text):
        return None
    digits = _NOT_DIGIT.sub("", text)
    if text[0] == "+":
        code, national = _split_country_code(digits)
        if code == 0:
            return None
        # parse() tries the national prefix of the code's main region on + numbers too.
        parsing = _main_metadata(code)
    else:
        if region is None:
            return None
        info = _region_info(region)
        if info is None:
            return None
        code, intl_prefix, parsing = info
        national = digits
        # A national number may still carry an international prefix (00…, 011…) or the
        # country code without +; phonenumbers has rules for both, so leave them to it.
        if intl_prefix is not None and intl_prefix.match(national):
            return None
        if national.startswith(str(code)):
            return None
    if parsing is None or _main_metadata(code) is None:
        return None
    prefix = parsing.national_prefix_for_parsing
    if prefix and _compiled(prefix).match(national):
        national = _strip_trunk_prefix(national, prefix, parsing)
        if not national:
            return None
    if not _MIN_NSN <= len(national) <= _MAX_NSN or national[0] == "0":
        # Leading zeros after the country code get phonenumbers' "Italian zero" handling.
        return None
    return f"+{code}{national}", _is_valid(code, national)


def _strip_trunk_prefix(national: str, prefix: str, metadata: Any) -> str:
    """The number without a plain trunk prefix (the UK's or Germany's 0), as parse() does it.

    Returns "" when the prefix is a rule (carrier codes, added area codes) only phonenumbers
    knows how to apply.
    """
    if not prefix.isdigit() or metadata.national_prefix_transform_rule:
        return ""
    general = metadata.general_desc
    stripped = national[len(prefix) :]
    if _matches(national, general) and not _matches(stripped, general):
        return national
    # parse() keeps the stripped number only when its length is possible for the region.
    lengths = general.possible_length
    if lengths and lengths[0] != -1 and len(stripped) in lengths:
        if len(stripped) not in (general.possible_length_local_only or ()):
            return stripped
    return national


def _split_country_code(digits: str) -> tuple[int, str]:
    # Country codes are prefix-free, so the first 1-3 digit match is the one (as phonenumbers).
    if not digits or digits[0] == "0":
        return 0, digits
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[size:]
    return 0, digits


@lru_cache(maxsize=512)
def _region_info(region: str) -> tuple[int, re.Pattern[str] | None, Any] | None:
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None or metadata.country_code is None:
        return None
    intl = metadata.international_prefix
    return metadata.country_code, (_compiled(intl) if intl else None), metadata


@lru_cache(maxsize=512)
def _main_metadata(code: int) -> Any:
    regions = COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    if not regions or regions[0] == _NON_GEO:
        return None
    return PhoneMetadata.metadata_for_region(regions[0], None)


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _is_valid(code: int, national: str) -> bool:
    """phonenumbers.is_valid_number for a number known to be in a geographic country code."""
    regions = COUNTRY_CODE_TO_REGION_CODE[code]
    if len(regions) == 1:
        metadata = PhoneMetadata.metadata_for_region(regions[0], None)
        return metadata is not None and _has_type(national, metadata)
    # As region_code_for_number: the first region whose leading digits (or, without those,
    # whose patterns) match owns the number; validity is then judged for that region only.
    for region in regions:
        metadata = PhoneMetadata.metadata_for_region(region, None)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            if _compiled(metadata.leading_digits).match(national):
                return _has_type(national, metadata)
        elif _has_type(national, metadata):
            return True
    return False


_TYPE_DESCS = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)


def _has_type(national: str, metadata: Any) -> bool:
    # is_valid_number means "matches the general pattern and some number type"; common types
    # are tried first so a typical number costs two or three regex matches.
    if not _matches(national, metadata.general_desc):
        return False
    return any(_matches(national, getattr(metadata, name)) for name in _TYPE_DESCS)


def _matches(national: str, desc: Any) -> bool:
    if desc is None:
        return False
    lengths = desc.possible_length
    if lengths and len(national) not in lengths:
        return False
    pattern = desc.national_number_pattern
    return bool(pattern) and _compiled(pattern).fullmatch(national) is not None
