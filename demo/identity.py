"""Generated identifiers that pass the same checks as typed ones (base.identity)."""

from __future__ import annotations

import random

from base import identity
from base.models import county_of
from demo import data

# GB 11714 organisation code: the 9-character body inside a credit code has its own check.
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Chinese patent application numbers (12 digits since 2003) end in a MOD 11 check digit.
PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

_SURNAMES = tuple(name for name, _weight in data.SURNAMES)
_SURNAME_CUMULATIVE = tuple(
    sum(weight for _name, weight in data.SURNAMES[: index + 1])
    for index in range(len(data.SURNAMES))
)


def id_number(county_code: str, birth: str, sequence: int) -> str:
    """A citizen ID number: region, birth date (YYYYMMDD), sequence (odd for men), check."""
    first17 = f"{county_code}{birth}{sequence:03d}"
    return first17 + identity.id_number_check_char(first17)


def _organisation_code(rng: random.Random) -> str:
    # Codes issued since 2015 start with MA; older ones are digits only.
    if rng.random() < 0.6:
        body = "MA" + "".join(
            rng.choice(identity.CREDIT_CODE_CHARS[:10] + "ABCDEFGH") for _ in "123456"
        )
    else:
        body = "".join(rng.choice("0123456789") for _ in "12345678")
    total = sum(
        (int(char) if char.isdigit() else ord(char) - ord("A") + 10) * weight
        for char, weight in zip(body, ORGANISATION_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(rng: random.Random, region_code: str, kind: str = "91") -> str:
    """A unified social credit code: kind (91 = company), county code, organisation code, check."""
    first17 = kind + county_of(region_code) + _organisation_code(rng)
    return first17 + identity.credit_code_check_char(first17)


def mobile(rng: random.Random) -> str:
    return rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def person_name(rng: random.Random, *, male: bool) -> str:
    surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUMULATIVE)[0]
    chars = data.MALE_GIVEN if male else data.FEMALE_GIVEN
    if rng.random() < 0.2:
        return surname + rng.choice(chars)
    return surname + rng.choice(chars) + rng.choice(chars)


def patent_number(rng: random.Random, year: int, *, invention: bool) -> str:
    """ZL + application number (year, type 1 = invention / 2 = utility model, serial) + check."""
    digits = f"{year}{1 if invention else 2}{rng.randrange(10_000_000):07d}"
    check = sum(int(d) * w for d, w in zip(digits, PATENT_WEIGHTS, strict=True)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"
