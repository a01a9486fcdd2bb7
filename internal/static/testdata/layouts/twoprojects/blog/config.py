class Config:
    SECRET_KEY = "blog-dev"  # want: py.flask-weak-secret-key
