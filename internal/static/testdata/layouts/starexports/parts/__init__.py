from .users import *  # noqa: F401,F403
