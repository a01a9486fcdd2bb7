# Apps mounted under prefixes by werkzeug's DispatcherMiddleware (a
# mapping bound to a name first, one entry dropped under a setting): each
# mounted app's routes are served under its key, the root app at /.
import os

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from svc import reports, root, v2


def make():
    mounts = {
        "/v2": v2.create(),
        "/reports": reports.app,
    }
    if os.environ.get("NO_REPORTS"):
        mounts.pop("/reports")
    return DispatcherMiddleware(root.app, mounts)


application = make()
