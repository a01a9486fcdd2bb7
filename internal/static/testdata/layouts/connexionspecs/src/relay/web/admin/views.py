def list_rules():
    return []


def get_rule(rule_id):
    return {}


def update_rule(rule_id, body):
    return {}


def list_releases_v2():
    return []
