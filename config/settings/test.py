"""Test settings: the environment's settings with fast password hashing."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background imports run inline in tests.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_VERBOSE = False  # no log line per login in the test output

# Each test's transaction is rolled back without committing, so the dashboards' cache would never
# hear of the records a test writes: no caching, except in the cache's own tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
