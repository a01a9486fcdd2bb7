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
