class Config:
    SECRET_KEY = "shop-dev"  # want: py.jwt-weak-secret
