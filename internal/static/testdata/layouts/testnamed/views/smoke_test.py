import pytest
from flask import Blueprint

from app import app

probe = Blueprint("probe", __name__)


@probe.route("/probe")
def probe_view():
    return "ok"


@pytest.fixture
def client():
    return app.test_client()


def test_index(client):
    assert client.get("/accounts/").status_code == 200
