from api.marks import endpoint


@endpoint("/items")
def list_items():
    return "[]"


@endpoint("/items/<int:item_id>", methods=("GET", "DELETE"))
def one_item(item_id):
    return str(item_id)
