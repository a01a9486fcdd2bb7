from fastapi import APIRouter

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
async def list_items():
    return []


@router.post("")
async def create_item():
    return {}


@router.get("/{item_id:int}")
async def get_item(item_id: int):
    return {}


@router.api_route("/{item_id}/tags", methods=["PUT", "PATCH"])
async def tag_item(item_id: int):
    return {}
