from flask import Flask

from views import ItemAPI, ItemListAPI, ping

app = Flask(__name__)

item_view = ItemAPI.as_view("item")
list_view = ItemListAPI.as_view("items")
app.add_url_rule("/items/<int:item_id>", view_func=item_view, methods=["GET", "PUT", "DELETE"])
app.add_url_rule("/items", view_func=list_view)
app.add_url_rule("/ping", "ping", ping)
