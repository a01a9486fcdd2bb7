from flask import Flask

from crm import contacts, deals

app = Flask(__name__)
app.register_blueprint(contacts.blueprint)
app.register_blueprint(deals.blueprint, url_prefix="/v2")
