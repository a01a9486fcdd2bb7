def status():
    return {"ok": True}
