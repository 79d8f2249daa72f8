"""Property-based tests of the identifier validators, masks and range checks."""

import datetime
import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from base import identity, validators

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31))


@st.composite
def id_numbers(draw):
    region = draw(st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
    serial = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{region}{draw(birth_dates):%Y%m%d}{serial:03d}"
    return first17 + identity.id_number_check_char(first17)


@st.composite
def credit_codes(draw):
    first17 = draw(st.text(alphabet=identity.CREDIT_CODE_CHARS, min_size=17, max_size=17))
    return first17 + identity.credit_code_check_char(first17)


def is_valid(validate, value) -> bool:
    try:
        validate(value)
    except ValidationError:
        return False
    return True


@given(value=st.text(max_size=30) | st.text(alphabet="0123456789Xx ", max_size=20))
def test_the_validators_refuse_anything_with_a_validation_error_only(value):
    for validate in (
        identity.validate_id_number,
        identity.validate_credit_code,
        identity.validate_phone,
    ):
        is_valid(validate, value)


@given(number=id_numbers())
def test_an_id_number_with_its_computed_check_digit_is_valid_and_tells_birth_and_gender(number):
    identity.validate_id_number(number)
    assert identity.id_number_birth_date(number) == datetime.date(
        int(number[6:10]), int(number[10:12]), int(number[12:14])
    )
    assert identity.id_number_gender(number) == ("M" if int(number[16]) % 2 else "F")


@given(number=id_numbers(), position=st.integers(0, 16), digit=st.sampled_from(string.digits))
def test_any_one_mistyped_digit_makes_an_id_number_invalid(number, position, digit):
    if number[position] == digit:
        return
    mistyped = number[:position] + digit + number[position + 1 :]
    assert not is_valid(identity.validate_id_number, mistyped)


@given(number=id_numbers(), position=st.integers(0, 15))
def test_two_swapped_neighbouring_digits_make_an_id_number_invalid(number, position):
    first, second = number[position], number[position + 1]
    if first == second:
        return
    swapped = number[:position] + second + first + number[position + 2 :]
    assert not is_valid(identity.validate_id_number, swapped)


@given(number=id_numbers(), check=st.sampled_from(identity.ID_CHECK_CHARS))
def test_only_the_computed_check_character_is_accepted(number, check):
    candidate = number[:17] + check
    assert is_valid(identity.validate_id_number, candidate) == (check == number[17])


@given(
    code=credit_codes(),
    position=st.integers(0, 16),
    char=st.sampled_from(identity.CREDIT_CODE_CHARS),
)
def test_any_one_mistyped_character_makes_a_credit_code_invalid(code, position, char):
    identity.validate_credit_code(code)
    if code[position] == char:
        return
    assert not is_valid(
        identity.validate_credit_code, code[:position] + char + code[position + 1 :]
    )


@given(code=credit_codes(), letter=st.sampled_from("IOZSV"), position=st.integers(0, 17))
def test_a_credit_code_never_holds_the_letters_that_look_like_digits(code, letter, position):
    assert not is_valid(
        identity.validate_credit_code, code[:position] + letter + code[position + 1 :]
    )


@given(mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mainland_mobile_number_is_valid_and_one_digit_more_or_less_is_not(mobile):
    identity.validate_phone(mobile)
    assert not is_valid(identity.validate_phone, mobile + "0")
    assert not is_valid(identity.validate_phone, mobile[:-1])


@given(value=st.text(alphabet=string.digits + "X", max_size=25))
def test_a_masked_id_number_keeps_its_length_region_and_last_four_only(value):
    masked = identity.mask_id_number(value)
    assert len(masked) == len(value)
    if len(value) > 10:
        assert masked[:6] == value[:6] and masked[-4:] == value[-4:]
        assert set(masked[6:-4]) == {"*"}
    else:
        assert set(masked) <= {"*"}
    assert identity.mask_id_number(masked) == masked
    assert not value or identity.is_masked(masked)


@given(value=st.from_regex(r"1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8}", fullmatch=True))
def test_a_masked_phone_number_shows_at_most_its_first_three_and_last_four(value):
    masked = identity.mask_phone(value)
    assert len(masked) == len(value)
    assert masked[3:-4] == "*" * (len(value) - 7)
    assert identity.is_masked(masked)


@given(start=st.dates(), end=st.dates())
def test_a_period_is_refused_exactly_when_it_ends_before_it_starts(start, end):
    if end < start:
        with pytest.raises(ValidationError) as error:
            validators.validate_date_order(start, end, end_field="ended_on")
        assert "ended_on" in error.value.message_dict
    else:
        validators.validate_date_order(start, end, end_field="ended_on")
    validators.validate_date_order(None, end, end_field="ended_on")
    validators.validate_date_order(start, None, end_field="ended_on")


@given(year=st.integers(-10_000, 10_000))
def test_the_year_validators_accept_exactly_the_year_range(year):
    accepted = True
    for validate in validators.year_validators:
        try:
            validate(year)
        except ValidationError:
            accepted = False
    assert accepted == (validators.YEAR_RANGE[0] <= year <= validators.YEAR_RANGE[1])
