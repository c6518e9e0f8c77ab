import os

from django.core.asgi import get_asgi_application

from mtss.uploads import limit_asgi_body

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtss.settings")
# The body cap goes outside Django: its ASGI handler reads the whole body before any middleware.
application = limit_asgi_body(get_asgi_application())
