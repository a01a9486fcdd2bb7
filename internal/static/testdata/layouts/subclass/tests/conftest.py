import pytest
from flask import Flask


@pytest.fixture
def bare_app():
    # A plain Flask() in the tests must not hide the service's app.
    app = Flask("testing")

    @app.route("/only-in-tests")
    def only_in_tests():
        return "ok"

    return app
