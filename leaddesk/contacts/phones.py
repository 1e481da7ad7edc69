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
_SEPARATORS = str.maketrans("", "", "+ ().-/")
# A national prefix rule that is only literal alternatives ("0", "0|180020"): no carrier codes.
_LITERAL_PREFIX = re.compile(r"[0-9]+(?:\|[0-9]+)*")
_CODES = {str(code): code for code in COUNTRY_CODE_TO_REGION_CODE}
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
    """A phone as typed (``raw``), its E.164 form when valid, and a flag: why it is not valid, or
    (with an E.164) how it was read when that was a guess."""

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
    result = _read(text, region)
    if result.e164 is None and text.isdigit() and len(text) >= 8 and text[0] != "0":
        # Excel stores "+44 161…" typed without a leading ' as the number 44161…, losing the +.
        # Only a number that is invalid as typed and valid with the + back is read this way.
        plus = _read("+" + text, None)
        if plus.e164 is not None:
            return PhoneResult(text, plus.e164, "read as international: the + was missing")
    return result


def _read(text: str, region: str | None) -> PhoneResult:
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
    if length in (ValidationResult.TOO_SHORT, ValidationResult.TOO_LONG):
        reason = "too short" if length == ValidationResult.TOO_SHORT else "too long"
        if where and where not in ("ZZ", _NON_GEO) and not text.lstrip().startswith(("+", "00")):
            # Read in the policy's region for want of a code: it may be another country's.
            reason += f" for a {where} number"
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
    digits = text.translate(_SEPARATORS)
    if len(digits) < 3:
        # phonenumbers' "viable number" rule about punctuated short strings is not worth copying.
        return None
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
    found = _compiled(prefix).match(national) if prefix else None
    if found:
        national = _strip_trunk_prefix(national, found, parsing)
        if not national:
            return None
    if not _MIN_NSN <= len(national) <= _MAX_NSN or national[0] == "0":
        # Leading zeros after the country code get phonenumbers' "Italian zero" handling.
        return None
    return f"+{code}{national}", _is_valid(code, national)


def _strip_trunk_prefix(national: str, found: re.Match[str], metadata: Any) -> str:
    """The number without a plain trunk prefix (the UK's or Germany's 0), as parse() does it.

    Returns "" when the prefix is a rule (carrier codes, added area codes) only phonenumbers
    knows how to apply.
    """
    if not _LITERAL_PREFIX.fullmatch(found.re.pattern) or metadata.national_prefix_transform_rule:
        return ""
    general = metadata.general_desc
    stripped = national[found.end() :]
    if _matches(national, general) and not _matches(stripped, general):
        return national
    # parse() keeps the stripped number unless its length test says too short, local-only or
    # invalid (too long is kept); this is that test, for the general description.
    length, lengths = len(stripped), general.possible_length
    if length in (general.possible_length_local_only or ()) or not lengths:
        return national
    if length == lengths[0] or lengths[-1] < length or length in lengths:
        return stripped
    return national


def _split_country_code(digits: str) -> tuple[int, str]:
    # Country codes are prefix-free, so the first 1-3 digit match is the one (as phonenumbers).
    for size in (1, 2, 3):
        code = _CODES.get(digits[:size])
        if code is not None and digits[0] != "0":
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
        return _has_type(national, _patterns(regions[0]))
    # As region_code_for_number: the first region whose leading digits (or, without those,
    # whose patterns) match owns the number; validity is then judged for that region only.
    for region in regions:
        patterns = _patterns(region)
        if patterns.leading is not None:
            if patterns.leading.match(national):
                return _has_type(national, patterns)
        elif _has_type(national, patterns):
            return True
    return False


# Each description as (possible lengths, compiled pattern); no lengths means any length.
_Desc = tuple[frozenset[int], re.Pattern[str]]


@dataclass(frozen=True, slots=True)
class _Patterns:
    general: _Desc | None
    types: tuple[_Desc, ...]
    leading: re.Pattern[str] | None


# is_valid_number means "matches the general pattern and some number type"; common types are
# tried first so a typical number costs two or three regex matches.
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


@lru_cache(maxsize=512)
def _patterns(region: str) -> _Patterns:
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return _Patterns(None, (), None)
    types = tuple(
        desc for name in _TYPE_DESCS if (desc := _desc(getattr(metadata, name))) is not None
    )
    leading = metadata.leading_digits
    return _Patterns(_desc(metadata.general_desc), types, _compiled(leading) if leading else None)


def _desc(desc: Any) -> _Desc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), _compiled(desc.national_number_pattern)


def _has_type(national: str, patterns: _Patterns) -> bool:
    general = patterns.general
    if general is None or not _fits(national, general):
        return False
    for desc in patterns.types:  # noqa: SIM110 - a plain loop is faster than any() here
        if _fits(national, desc):
            return True
    return False


def _fits(national: str, desc: _Desc) -> bool:
    lengths, pattern = desc
    if lengths and len(national) not in lengths:
        return False
    return pattern.fullmatch(national) is not None


def _matches(national: str, desc: Any) -> bool:
    """phonenumbers' _is_number_matching_desc, for the trunk-prefix rule above."""
    compiled = _desc(desc)
    return compiled is not None and _fits(national, compiled)
