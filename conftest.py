import pytest
from django.test import Client
from hypothesis import settings

from tests import factories


@pytest.fixture
def ruian_towns(db):
    """Two towns of 瑞安市 and one of 乐清市 (another county of the same city)."""
    return {
        "anyang": factories.town("330381001", "安阳街道"),
        "tangxia": factories.town("330381101", "塘下镇"),
        "yueqing_town": factories.town("330382001", "城东街道"),
    }


@pytest.fixture
def login():
    """Log a user in on a fresh client: `login(user)`."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


# Property-based tests: no per-example deadline (two shared cores make timings noisy).
settings.register_profile("ledger", deadline=None)
settings.load_profile("ledger")
