from fastapi import APIRouter, FastAPI

from api.routers import items, users, health

v1 = APIRouter(prefix="/v1")
v1.include_router(items.router)
v1.include_router(users.router, prefix="/people")


def create_app():
    app = FastAPI(title="shop")
    app.include_router(v1, prefix="/api")
    app.include_router(health.router)
    return app
