from . import views  # noqa: F401
