# A blueprint registered on the served app under /api, and again on a
# scratch app a helper makes only to list the blueprint's rules (an API
# index page): the scratch app serves nothing, so the blueprint's routes
# exist under /api only.
from flask import Flask

from shop.index import describe
from shop.views import bp

app = Flask(__name__)
app.register_blueprint(bp, url_prefix="/api")
RULES = describe(bp)


@app.get("/index")
def index():
    return {"rules": RULES}
