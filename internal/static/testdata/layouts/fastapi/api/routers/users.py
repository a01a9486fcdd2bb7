from fastapi import APIRouter

router = APIRouter()


@router.delete("/{user_id}")
def delete_user(user_id: str):
    return None


def _files(path: str):
    return path


router.add_api_route("/{user_id}/files/{path:path}", _files)
