from flask import Flask

from plugins.backup import BackupPlugin
from plugins.weather import WeatherPlugin

app = Flask(__name__)
for plugin in (WeatherPlugin(), BackupPlugin()):
    app.register_blueprint(plugin.get_blueprint(), url_prefix="/plugin/" + plugin.identifier, name_prefix="plugin")
