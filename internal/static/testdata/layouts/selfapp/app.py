from srv.classviews import Views
from srv.server import Server

server = Server(__name__)
app = server.app
app.register_blueprint(Views.bp, url_prefix="/v")
