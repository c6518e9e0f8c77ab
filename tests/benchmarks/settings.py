"""Settings for `make bench`: the app's own settings, DEBUG off (no query log), plus a trivial view."""

from mtss.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "tests.benchmarks.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
