import fastapi

router = fastapi.APIRouter(prefix="/health")


@router.get("/live")
def live():
    return "ok"
