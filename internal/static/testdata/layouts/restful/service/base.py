from flask_restful import Api

MULTI_ORG = False


def org_scoped_rule(rule):
    if MULTI_ORG:
        return "/<org_slug>{}".format(rule)
    return rule


class ApiExt(Api):
    def add_org_resource(self, resource, *urls, **kwargs):
        urls = [org_scoped_rule(url) for url in urls]
        return self.add_resource(resource, *urls, **kwargs)
