"""Settings loaded with app.config.from_object("settings")."""
import os

SECRET_KEY = os.environ.get("APP_SECRET", "secret-key")  # want: py.flask-weak-secret-key
RECAPTCHA_PUBLIC_KEY = "6LcXbq8UAAAAAL9qjGw2bSA1wGHpOKbXGVmTXVnQ"
SESSION_COOKIE_NAME = "notes_session"
