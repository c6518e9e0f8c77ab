"""Settings for the test suite: the app's own settings plus an N+1 detector.

django-zeal watches every request (and every block wrapped in `zeal_context`): a page that
loads one related object per row, where one query for all of them would do, fails its test.
Query counts are pinned per page as well (docs/quality.md P1); zeal names the line that went wrong.
"""

from mtss.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "zeal.middleware.zeal_middleware"]  # noqa: F405
ZEAL_RAISE = True
ZEAL_SHOW_ALL_CALLERS = True

# Only for speed: the real hasher costs about half a second per person created.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
