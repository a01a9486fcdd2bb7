from svc.factory import create_app

flask_app = create_app()
