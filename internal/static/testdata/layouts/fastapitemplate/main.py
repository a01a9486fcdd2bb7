from app.main import app  # noqa: F401  (uvicorn main:app)
