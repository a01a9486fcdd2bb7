"""An app subclass registering routes on self in its methods; the
instance is made in another module (a subclass of the subclass)."""
from core.server import AdminServer

app = AdminServer(__name__)
