from .views import keys_bp, users_bp  # noqa: F401
