"""Entry point: gunicorn app:app."""
from conduit.app import create_app

app = create_app()
