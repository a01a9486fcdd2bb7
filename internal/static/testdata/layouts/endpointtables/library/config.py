# An Invenio-style application: endpoint definitions in configuration,
# turned into add_url_rule calls by the framework (not in the tree).
# Literal dicts, dict(...) calls, a .update(...) of a project table, a
# route built with .format, and a definition whose route is read from the
# environment (listed as not resolved).
import os

from library.extra import EXTRA_REST_ENDPOINTS

_PID = 'pid(bookid,record_class="library.api:Book")'

RECORDS_UI_ENDPOINTS = {
    "bookid": {
        "pid_type": "bookid",
        "route": "/books/<pid_value>",
        "template": "library/book.html",
    },
    "bookid_export": {
        "pid_type": "bookid",
        "route": "/books/<pid_value>/export/<any({0}):format>".format(", ".join(["json", "marc"])),
    },
    "env": {
        "route": os.environ.get("LIBRARY_UI_ROUTE"),
    },
}

RECORDS_REST_ENDPOINTS = dict(
    bookid=dict(
        pid_type="bookid",
        list_route="/books/",
        item_route="/books/<{0}:pid_value>".format(_PID),
        default_media_type="application/json",
    ),
)
RECORDS_REST_ENDPOINTS.update(EXTRA_REST_ENDPOINTS)
