from flask import Flask

from shop import items, orders

app = Flask(__name__)
for section in (orders.orders, items.items):
    app.register_blueprint(section)
