from shop.plugins import register_assets


def load(app):
    register_assets(app, base_path="/plugins/coupons/assets/")
