def list():
    return "ok"
