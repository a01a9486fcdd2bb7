import pecan


class RootController(object):
    @pecan.expose(content_type="application/json")
    def index(self):
        return "{}"

    @pecan.expose()
    def versions(self):
        return self.index()
