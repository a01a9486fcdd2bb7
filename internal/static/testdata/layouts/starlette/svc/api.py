from fastapi import FastAPI

from svc import orders, reports

api = FastAPI()

for module in (orders, reports):
    api.include_router(module.router, prefix="/v2")
