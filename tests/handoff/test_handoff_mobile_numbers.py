"""The hand-off's quick mobile check answers as phonenumbers does, for every region's example
numbers of every kind and for numbers a digit away from them (issue #24: the check was a fifth
of an export's time)."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from leaddesk.handoff.mobile import is_mobile, slow_is_mobile

_KINDS = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
)


def _example_numbers() -> list[str]:
    numbers: set[str] = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in _KINDS:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                numbers.add(phonenumbers.format_number(example, PhoneNumberFormat.E164))
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None:
            numbers.add(phonenumbers.format_number(example, PhoneNumberFormat.E164))
    return sorted(numbers)


def _near(number: str) -> list[str]:
    """The number with its last digit changed, one digit more and one less, and a national
    prefix's 0 put after the calling code."""
    last = str((int(number[-1]) + 3) % 10)
    return [number[:-1] + last, number + "7", number[:-1], number[:3] + "0" + number[3:]]


def test_the_quick_check_agrees_with_phonenumbers_on_every_regions_examples() -> None:
    numbers = _example_numbers()
    assert len(numbers) > 1000
    checked = [*numbers, *(near for number in numbers for near in _near(number))]
    differ = [number for number in checked if is_mobile(number) != slow_is_mobile(number)]
    assert differ == []
    assert sum(map(is_mobile, numbers)) > 200  # the examples hold mobiles and others


def test_numbers_not_in_e164_are_read_as_typed() -> None:
    assert is_mobile("+44 7400 123456")
    assert not is_mobile("+1 212 555 0100")  # North America: landline or mobile, not a mobile
    assert not is_mobile("call me")
    assert not is_mobile("+0123456")
    assert not is_mobile("")
    assert not is_mobile(None)
