from svc import factory
from svc.users import mod as users_bp

BLUEPRINTS = (users_bp,)


def create_app(config_path=None):
    return factory.create_app(app_name=__name__, blueprints=BLUEPRINTS, config=config_path)


app = create_app()
