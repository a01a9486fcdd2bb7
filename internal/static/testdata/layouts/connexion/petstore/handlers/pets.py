PETS = {}


def search(limit=100):
    return list(PETS.values())[:limit]


def get_pet(pet_id):
    return PETS.get(pet_id, ({"error": "not found"}, 404))


def put_pet(pet_id, pet):
    PETS[pet_id] = pet
    return pet, 201


def delete_pet(pet_id):
    PETS.pop(pet_id, None)
    return "", 204
