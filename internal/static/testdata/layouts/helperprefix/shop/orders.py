from shop.base import make_section

orders = make_section("orders")


@orders.route("/")
def list_orders():
    return {"orders": []}


@orders.route("/<int:order_id>", methods=["DELETE"])
def delete_order(order_id):
    return "", 204
