def listing():
    return "kbs"


manager.add_url_rule("/kbs", "listing", listing)  # noqa: F821
