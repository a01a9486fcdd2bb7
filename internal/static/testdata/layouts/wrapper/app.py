from svc.core import api, app
from svc.resources import NoteItem, NoteList, Ping

api.add_resource(Ping, "/ping")
api.add_resource(NoteList, "/notes", "/notes/")
api.add_resource(NoteItem, "/notes/<int:nid>")
api.register()
