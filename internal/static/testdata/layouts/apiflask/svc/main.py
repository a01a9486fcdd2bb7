# APIFlask (a framework built on Flask): its app and blueprint classes are
# Flask's subclasses, in the constructor table. Not importable here (no
# Debian package), so this layout is checked statically only.
from apiflask import APIBlueprint, APIFlask

app = APIFlask(__name__)
pets = APIBlueprint("pets", __name__, url_prefix="/pets")


@pets.get("/<int:pet_id>")
def get_pet(pet_id):
    return {}


@app.post("/login")
def login():
    return {}


app.register_blueprint(pets)
