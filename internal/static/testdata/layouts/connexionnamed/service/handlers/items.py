def list():
    return []


def post():
    return {}, 201


def get(item_id):
    return {}


def delete(item_id):
    return "", 204
