"""API routes of the billing service, each behind its client's verifier."""
from flask import Blueprint, g, jsonify

import verifiers as v
from auth import guarded

api = Blueprint("api", __name__)

INVOICES = {
    "alice": [{"id": "INV-1001", "amount": 120.0}, {"id": "INV-1002", "amount": 80.5}],
    "bob": [{"id": "INV-2001", "amount": 42.0}],
    "erin": [{"id": "INV-5001", "amount": 310.0, "overdue": True}, {"id": "INV-5002", "amount": 12.5, "overdue": False}],
}
PAYOUTS = [{"id": "PO-1", "merchant": "m-17", "amount": 10400.0}, {"id": "PO-2", "merchant": "m-23", "amount": 880.0}]


def mine():
    return INVOICES.get(g.claims["sub"], [])


def wallet_view(resource):
    return jsonify(owner=g.claims["sub"], resource=resource, items=mine())


# --- web app, RS256 ----------------------------------------------------------

@api.get("/api/invoices")
@guarded(v.web)
def invoices():
    return jsonify(owner=g.claims["sub"], invoices=mine())


@api.get("/api/v1/invoices")
@guarded(v.web_v1)
def invoices_v1():
    return jsonify(owner=g.claims["sub"], invoices=mine())


@api.get("/api/statements")
@guarded(v.web_header_key)
def statements():
    return jsonify(owner=g.claims["sub"], statements=["2026-09", "2026-10"])


@api.get("/api/receipts")
@guarded(v.web_jku)
def receipts():
    return jsonify(owner=g.claims["sub"], receipts=len(mine()))


@api.get("/api/refunds")
@guarded(v.web_jku_pinned)
def refunds():
    return jsonify(owner=g.claims["sub"], refunds=[])


@api.get("/api/payouts")
@guarded(v.web_x5u)
def payouts():
    return jsonify(owner=g.claims["sub"], payouts_pending=1)


@api.get("/api/disputes")
@guarded(v.web_x5u_pinned)
def disputes():
    return jsonify(owner=g.claims["sub"], disputes=[])


# --- partners, HS256 with a kid ----------------------------------------------

@api.get("/api/partner/orders")
@guarded(v.partner)
def partner_orders():
    return jsonify(partner=g.claims["sub"], orders=[{"id": 7}])


@api.get("/api/partner/shipments")
@guarded(v.partner_file)
def partner_shipments():
    return jsonify(partner=g.claims["sub"], shipments=[{"id": "SH-3"}])


@api.get("/api/partner/invoices")
@guarded(v.partner_sql)
def partner_invoices():
    return jsonify(partner=g.claims["sub"], invoices=[{"id": "PI-9"}])


# --- terminals, ES256 --------------------------------------------------------

@api.get("/api/devices/me")
@guarded(v.terminal)
def device_me():
    return jsonify(device=g.claims["sub"], status="online")


@api.get("/api/telemetry")
@guarded(v.terminal_fast)
def telemetry():
    return jsonify(device=g.claims["sub"], readings=128)


# --- mobile wallet v2, HS256: each route grew its own shortcut ---------------

@api.get("/api/v2/balance")
@guarded(v.wallet())
def balance():
    return wallet_view("balance")


@api.get("/api/v2/transactions")
# clock skew on old phones (#431): expiry is checked by the gateway (it is not)
@guarded(v.wallet(options={"verify_exp": False}))  # want: py.jwt-exp-not-verified
def transactions():
    return wallet_view("transactions")


@api.get("/api/v2/cards")
# the card service mints its own tokens without exp
@guarded(v.wallet(options={"require": ["iat", "iss", "aud", "sub"]}))
def cards():
    return wallet_view("cards")


@api.get("/api/v2/limits")
@guarded(v.wallet(options={"verify_nbf": False}))  # want: py.jwt-claim-not-verified
def limits():
    return wallet_view("limits")


@api.get("/api/v2/alerts")
@guarded(v.wallet(options={"verify_iat": False}))  # want: py.jwt-claim-not-verified
def alerts():
    return wallet_view("alerts")


@api.get("/api/v2/beneficiaries")
# tokens from the staging issuer are welcome here
@guarded(v.wallet(issuer=None, options={"require": ["exp", "iat", "aud", "sub"]}))
def beneficiaries():
    return wallet_view("beneficiaries")


@api.get("/api/v2/mandates")
@guarded(v.wallet(options={"verify_aud": False}))  # want: py.jwt-claim-not-verified
def mandates():
    return wallet_view("mandates")


@api.get("/api/v2/rates")
@guarded(v.wallet(algorithms=["HS256", "HS384", "HS512"]))
def rates():
    return wallet_view("rates")


@api.get("/api/v2/admin/payouts")
@guarded(v.wallet())
def admin_payouts():
    if g.claims.get("role") != "admin":
        return jsonify(error="admin role required"), 403
    return jsonify(payouts=PAYOUTS, total=sum(p["amount"] for p in PAYOUTS))
