from pathlib import Path

import connexion

spec_file = Path(__file__).resolve().parent / "openapi" / "public.yml"


def create_app():
    app = connexion.FlaskApp(__name__)
    app.add_api(str(spec_file))
    return app
