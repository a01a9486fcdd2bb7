from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from svc.api import api


async def homepage(request):
    return JSONResponse({"hello": "world"})


async def user(request):
    return JSONResponse({"id": request.path_params["user_id"]})


async def upload(request):
    return JSONResponse({})


routes = [
    Route("/", homepage),
    Mount("/users", routes=[
        Route("/{user_id:int}", user),
        Route("/{user_id:int}/avatar", upload, methods=["POST", "PUT"]),
    ]),
    Mount("/api", app=api),
]

app = Starlette(debug=False, routes=routes)
