from shop.extensions import admin, api
from shop.resources import ProductDetail, ProductList, ProductTags

api.route(ProductList, "product_list", "/products", "/shops/<int:shop_id>/products")
api.route(ProductDetail, "product_detail", "/products/<int:id>")
api.route(ProductTags, "product_tags", "/products/<int:id>/relationships/tags")
api.route(ProductList, "admin_product_list", "/products", blueprint=admin)
