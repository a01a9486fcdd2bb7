from flask_appbuilder import BaseView, expose, has_access

from inventory import appbuilder


class StockView(BaseView):
    default_view = "levels"

    @expose("/levels/")
    @has_access
    def levels(self):
        return self.render_template("levels.html")

    @expose("/adjust/<int:item_id>", methods=["POST"])
    @has_access
    def adjust(self, item_id):
        return self.render_template("adjust.html")


class PublicView(BaseView):
    route_base = "/catalogue"

    @expose("/")
    def index(self):
        return self.render_template("catalogue.html")


appbuilder.add_view(StockView, "Stock levels", category="Stock")
appbuilder.add_view_no_menu(PublicView())
