from flask import Flask

from admin.nodes.groups import blueprint as groups_bp
from admin.nodes.servers import blueprint as servers_bp

app = Flask(__name__)
app.register_blueprint(groups_bp, url_prefix="/browser/group")
app.register_blueprint(servers_bp, url_prefix="/browser/server")
