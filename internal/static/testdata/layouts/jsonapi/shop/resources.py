from flask_jwt_extended import jwt_required
from flask_rest_jsonapi import ResourceDetail, ResourceList, ResourceRelationship


class ProductList(ResourceList):
    decorators = (jwt_required,)
    schema = "ProductSchema"


class ProductDetail(ResourceDetail):
    decorators = (jwt_required,)

    def get(self, *args, **kwargs):
        return super().get(*args, **kwargs)


class ProductTags(ResourceRelationship):
    decorators = (jwt_required,)
    methods = ["GET", "PATCH"]
