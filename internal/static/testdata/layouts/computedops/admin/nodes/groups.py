from flask import Blueprint

from admin.nodes import NodeView
from admin.nodes.auth import login_required

blueprint = Blueprint("group", __name__)


class GroupView(NodeView):
    ids = [{"type": "int", "id": "gid"}]
    operations = dict({
        "obj": [{"get": "properties", "delete": "delete", "put": "update"}, {"get": "list", "post": "create"}],
        "nodes": [{"get": "node"}, {"get": "nodes"}],
    })

    # Run by dispatch_request for DELETE /obj/<gid> (by name, not as a verb).
    @login_required
    def obj_delete(self, gid):
        return "", 204

    @login_required
    def delete(self, gid):
        return "", 204


GroupView.register_node_view(blueprint)
