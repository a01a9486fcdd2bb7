from fastapi.routing import APIRouter

router = APIRouter()


@router.get("/reports")
def reports():
    return []
