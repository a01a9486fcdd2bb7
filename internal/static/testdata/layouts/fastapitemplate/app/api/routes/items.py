from typing import Any

from fastapi import APIRouter

from app.api.deps import CurrentUser

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def read_items(current_user: CurrentUser) -> Any:
    return []


@router.get("/{id}")
def read_item(current_user: CurrentUser, id: int) -> Any:
    return {}
