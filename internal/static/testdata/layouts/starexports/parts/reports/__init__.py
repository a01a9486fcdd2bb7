from .views import *  # noqa: F401,F403
