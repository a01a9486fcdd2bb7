from flask.views import View


class JobsView(View):
    def dispatch_request(self, node, project=None, spider=None):
        return "jobs"


class JobLogView(View):
    def dispatch_request(self, node, job):
        return "log " + job
