from flask.views import View


class HomeView(View):
    def dispatch_request(self, node):
        return "home %d" % node
