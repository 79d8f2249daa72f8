"""Production settings for the load test, served over plain HTTP on 127.0.0.1: the secure-cookie
and HTTPS-redirect switches assume a TLS proxy in front, which the benchmark does not have."""

from config.settings.base import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
