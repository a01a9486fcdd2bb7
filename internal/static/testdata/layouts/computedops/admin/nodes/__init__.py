from flask import request
from flask.views import View


class NodeView(View):
    """Each subclass names its operations; the routes are computed from them."""

    operations = {}
    parent_ids = []
    ids = []

    @classmethod
    def generate_ops(cls):
        cmds = []
        for op in cls.operations:
            idx = 0
            for ops in cls.operations[op]:
                meths = []
                for meth in ops:
                    meths.append(meth.upper())
                if len(meths) > 0:
                    cmds.append({"cmd": op, "req": (idx == 0), "with_id": (idx != 2), "methods": meths})
                idx += 1
        return cmds

    @classmethod
    def get_node_urls(cls):
        common_url = "/"
        for p in cls.parent_ids:
            common_url += "<{0}:{1}>/".format(str(p["type"]), str(p["id"]))
        id_url = None
        for p in cls.ids:
            id_url = "{0}<{1}:{2}>".format(common_url if not id_url else id_url, p["type"], p["id"])
        return id_url, common_url

    def __init__(self, **kwargs):
        self.cmd = kwargs["cmd"]

    @classmethod
    def register_node_view(cls, blueprint):
        id_url, url = cls.get_node_urls()
        commands = cls.generate_ops()
        for c in commands:
            cmd = c["cmd"].replace(".", "-")
            if c["with_id"]:
                blueprint.add_url_rule(
                    "/{0}{1}".format(c["cmd"], id_url if c["req"] else url),
                    view_func=cls.as_view("{0}{1}".format(cmd, "_id" if c["req"] else ""), cmd=c["cmd"]),
                    methods=c["methods"],
                )
            else:
                blueprint.add_url_rule(
                    "/{0}".format(c["cmd"]),
                    view_func=cls.as_view(cmd, cmd=c["cmd"]),
                    methods=c["methods"],
                )

    def dispatch_request(self, *args, **kwargs):
        method = request.method.lower()
        return getattr(self, self.cmd + "_" + method, lambda **kw: ("", 405))(**kwargs)
