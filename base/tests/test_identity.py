import datetime

import pytest
from django.core.exceptions import ValidationError

from base import identity

# GB 11643's own example and numbers with correct check digits.
VALID_IDS = ["11010519491231002X", "11010119900307387X", "330381199001011230", "33032719700105644X"]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_id_numbers_pass(number):
    identity.validate_id_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("330381199001011234", "id_check_digit"),  # last digit should be 0
        ("11010519491231002Y", "id_format"),
        ("3303811990010112", "id_format"),  # 16 digits
        ("3.30381E+17", "id_format"),  # what Excel makes of an ID typed as a number
        ("330381199002301234", "id_birth_date"),  # 30 February
        ("440524188001010014", "id_birth_date"),  # GB 11643's 1880 example: correct digit, too old
        ("330381209901011235", "id_birth_date"),  # born in the future
    ],
)
def test_invalid_id_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as error:
        identity.validate_id_number(number)
    assert error.value.code == code


def test_gender_and_birth_date_come_from_the_id_number():
    assert identity.id_number_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert identity.id_number_gender("11010519491231002X") == "F"  # 17th digit 2
    assert identity.id_number_gender("33032719700105644X") == "F"
    assert identity.id_number_gender("330381199001011230") == "M"  # 17th digit 3


def test_lowercase_x_is_normalised():
    assert identity.normalise_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000100005220B"])
def test_valid_credit_codes_pass(code):
    identity.validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "credit_code_check"),
        ("91330000142911200J", "credit_code_check"),
        ("91350100M000100Y4", "credit_code_format"),
        ("9135010OM000100Y43", "credit_code_format"),  # the letter O is not used
    ],
)
def test_invalid_credit_codes_are_refused(code, reason):
    with pytest.raises(ValidationError) as error:
        identity.validate_credit_code(code)
    assert error.value.code == reason


@pytest.mark.parametrize("phone", ["13812345678", "0577-65812345", "057765812345", "0571-8888888"])
def test_mobile_and_landline_numbers_pass(phone):
    identity.validate_phone(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "65812345", "138-1234-5678x"])
def test_malformed_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError):
        identity.validate_phone(phone)


def test_masks_keep_only_what_identifies_the_region_and_the_last_digits():
    assert identity.mask_id_number("330381199001011230") == "330381********1230"
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_id_number("") == ""
