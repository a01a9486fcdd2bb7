"""API routes of the billing service, each behind its client's verifier."""
from flask import g, jsonify

import verifiers as v

INVOICES = {
    "alice": [{"id": "INV-1001", "amount": 120.0}, {"id": "INV-1002", "amount": 80.5}],
    "bob": [{"id": "INV-2001", "amount": 42.0}],
    "erin": [{"id": "INV-5001", "amount": 310.0, "overdue": True}, {"id": "INV-5002", "amount": 12.5, "overdue": False}],
}
PAYOUTS = [{"id": "PO-1", "merchant": "m-17", "amount": 10400.0}, {"id": "PO-2", "merchant": "m-23", "amount": 880.0}]


def mine():
    return INVOICES.get(g.claims["sub"], [])


def register(app, guarded):
    """Registers every API route; guarded(verify) wraps a view with a verifier."""

    def route(path, verify, view, name):
        view.__name__ = name
        app.add_url_rule(path, name, guarded(verify)(view), methods=["GET"])

    # Web app, RS256.
    route("/api/invoices", v.web, lambda: jsonify(owner=g.claims["sub"], invoices=mine()), "invoices")
    route("/api/v1/invoices", v.web_v1, lambda: jsonify(owner=g.claims["sub"], invoices=mine()), "invoices_v1")
    route("/api/statements", v.web_header_key,
          lambda: jsonify(owner=g.claims["sub"], statements=["2026-09", "2026-10"]), "statements")
    route("/api/receipts", v.web_jku, lambda: jsonify(owner=g.claims["sub"], receipts=len(mine())), "receipts")
    route("/api/refunds", v.web_jku_pinned, lambda: jsonify(owner=g.claims["sub"], refunds=[]), "refunds")
    route("/api/payouts", v.web_x5u, lambda: jsonify(owner=g.claims["sub"], payouts_pending=1), "payouts")
    route("/api/disputes", v.web_x5u_pinned, lambda: jsonify(owner=g.claims["sub"], disputes=[]), "disputes")

    # Partners, HS256 with a kid.
    route("/api/partner/orders", v.partner, lambda: jsonify(partner=g.claims["sub"], orders=[{"id": 7}]), "partner_orders")
    route("/api/partner/shipments", v.partner_file,
          lambda: jsonify(partner=g.claims["sub"], shipments=[{"id": "SH-3"}]), "partner_shipments")
    route("/api/partner/invoices", v.partner_sql,
          lambda: jsonify(partner=g.claims["sub"], invoices=[{"id": "PI-9"}]), "partner_invoices")

    # Terminals, ES256.
    route("/api/devices/me", v.terminal, lambda: jsonify(device=g.claims["sub"], status="online"), "device_me")
    route("/api/telemetry", v.terminal_fast, lambda: jsonify(device=g.claims["sub"], readings=128), "telemetry")

    # Mobile wallet v2, HS256. Each route grew its own shortcut.
    wallet_routes = [
        ("/api/v2/balance", v.wallet(), "balance"),
        # clock skew on old phones (#431): expiry checked by the gateway (it is not)
        ("/api/v2/transactions", v.wallet(options={"verify_exp": False}), "transactions"),
        # the card service mints its own tokens without exp
        ("/api/v2/cards", v.wallet(options={"require": ["iat", "iss", "aud", "sub"]}), "cards"),
        ("/api/v2/limits", v.wallet(options={"verify_nbf": False}), "limits"),
        ("/api/v2/alerts", v.wallet(options={"verify_iat": False}), "alerts"),
        # tokens from the staging issuer are welcome here
        ("/api/v2/beneficiaries", v.wallet(issuer=None, options={"require": ["exp", "iat", "aud", "sub"]}),
         "beneficiaries"),
        ("/api/v2/mandates", v.wallet(options={"verify_aud": False}), "mandates"),
        ("/api/v2/rates", v.wallet(algorithms=["HS256", "HS384", "HS512"]), "rates"),
    ]
    for path, verify, name in wallet_routes:
        route(path, verify, lambda name=name: jsonify(owner=g.claims["sub"], resource=name, items=mine()), name)

    def admin_payouts():
        if g.claims.get("role") != "admin":
            return jsonify(error="admin role required"), 403
        return jsonify(payouts=PAYOUTS, total=sum(p["amount"] for p in PAYOUTS))
    route("/api/v2/admin/payouts", v.wallet(), admin_payouts, "admin_payouts")
