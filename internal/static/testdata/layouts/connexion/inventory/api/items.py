ITEMS = {}


def search():
    return list(ITEMS.values())


def get(item_id):
    return ITEMS.get(item_id, ({"error": "not found"}, 404))
