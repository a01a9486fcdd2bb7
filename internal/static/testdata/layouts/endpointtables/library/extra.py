EXTRA_REST_ENDPOINTS = {
    "authid": dict(
        pid_type="authid",
        list_route="/authors/",
        item_route="/authors/<pid_value>",
    ),
}
