from flask.views import View


class SettingsView(View):
    def dispatch_request(self, node):
        return "settings"
