from flask import Blueprint

from admin.nodes import NodeView

blueprint = Blueprint("server", __name__)


class ServerView(NodeView):
    parent_ids = [{"type": "int", "id": "gid"}]
    ids = [{"type": "int", "id": "sid"}]
    operations = dict({
        "obj": [{"get": "properties", "delete": "delete", "put": "update"}, {"get": "list", "post": "create"}],
        "connect": [{"get": "connect_status", "post": "connect", "delete": "disconnect"}],
        "supported_servers.js": [{}, {}, {"get": "supported_servers"}],
    })


ServerView.register_node_view(blueprint)
