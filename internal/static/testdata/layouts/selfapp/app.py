from srv.server import Server

server = Server(__name__)
app = server.app
