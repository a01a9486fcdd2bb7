from shop import base

items = base.make_section("items", base="/store", sub="stock")


@items.route("/count")
def count():
    return {"n": 0}
