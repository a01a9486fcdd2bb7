from fastapi import FastAPI

from api.factory import create_app
from api.routers import health

app = create_app()


def status():
    return {"ok": True}


app.add_api_route("/status", status, methods=["GET", "HEAD"])

legacy = FastAPI()


@legacy.get("/stats")
def stats():
    return {}


legacy.include_router(health.router)
app.mount("/legacy", legacy)
