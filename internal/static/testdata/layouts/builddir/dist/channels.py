from build.api import app


@app.get("/channels")
def channels():
    return {"channels": ["stable", "beta"]}
