from flask_appbuilder.api import BaseApi, expose, protect

from inventory import appbuilder


class WarehouseApi(BaseApi):
    resource_name = "warehouse"

    @expose("/", methods=["GET"])
    @protect()
    def list(self):
        return self.response(200, warehouses=[])

    @expose("/<int:pk>/restock", methods=["PUT"])
    @protect()
    def restock(self, pk):
        return self.response(200)


appbuilder.add_api(WarehouseApi)
