from flask import request

from .handlers import RH, HandlerBlueprint


class RHEvent(RH):
    def _process(self, event_id):
        return str(event_id)


class RHEditEvent(RH):
    def _process(self, event_id):
        return request.method


class RHNotes(RH):
    # per-verb methods: one route per verb the rule allows
    def get(self, event_id):
        return "notes"

    def post(self, event_id):
        return "saved"

    def _process(self, event_id):
        return getattr(self, request.method.lower())(event_id)


bp = HandlerBlueprint("events", __name__, url_prefix="/event")
bp.add_url_rule("/<int:event_id>", "display", RHEvent)
bp.add_url_rule("/<int:event_id>/edit", "edit", RHEditEvent, methods=("GET", "POST"))
bp.add_url_rule("/<int:event_id>/notes", "notes", RHNotes, methods=("GET", "POST"))


def redirect_view(endpoint, code=302):
    # A factory of views: the returned closure is the view.
    def _redirect(**kwargs):
        return endpoint, code

    return _redirect


bp.add_url_rule("/old/<int:event_id>", "old_display", redirect_view(".display"))
bp.add_url_rule("/legacy/<int:event_id>", "legacy_edit", redirect_view(".edit", code=301), methods=("GET", "POST"))
