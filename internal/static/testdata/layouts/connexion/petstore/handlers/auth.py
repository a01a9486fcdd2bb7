import os
import hmac


def apikey_auth(token, required_scopes):
    if hmac.compare_digest(token, os.environ["PETSTORE_KEY"]):
        return {"sub": "operator"}
    return None
