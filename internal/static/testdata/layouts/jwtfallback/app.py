from flask import Flask
from flask_jwt_extended import JWTManager, create_access_token, jwt_required

app = Flask(__name__)
app.config["SECRET_KEY"] = "super-secret"  # want: py.jwt-weak-secret
jwt = JWTManager(app)


@app.post("/login")
def login():
    return {"access_token": create_access_token(identity="alice")}


@app.get("/me")
@jwt_required()
def me():
    return {"user": "alice"}
