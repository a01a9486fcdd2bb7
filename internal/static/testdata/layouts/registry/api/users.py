from api.marks import endpoint, page


@endpoint(rule="/users/me")
def me():
    return "me"


@page("/users/<name>/card")
def card(name):
    return name
