from shop.blueprints import cart, catalog, orders

BLUEPRINTS = [catalog.blueprint, cart.blueprint]
PREFIXED = (
    (orders.blueprint, "/orders"),
    (orders.legacy, "/v1/orders"),
)
