ENDPOINTS = []


def endpoint(rule, methods=("GET",)):
    def mark(fn):
        fn.url_rule = rule
        ENDPOINTS.append((rule, tuple(methods), fn))
        return fn
    return mark


PAGES = []


def page(rule):
    def mark(fn):
        fn.page_rule = rule
        PAGES.append(fn)
        return fn
    return mark
