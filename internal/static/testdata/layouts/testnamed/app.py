# A file's name says "test" but the app imports it: views/test_results.py
# serves a lab's test results (imported in a parenthesised list) and
# load_tests.py the load tests a user books (imported as a dotted module).
# views/smoke_test.py is real test code (pytest) and views/seed_tests.py
# a test helper nothing imports: both stay out, and Flask serves neither.
from flask import Flask

import load_tests
from views import (
    accounts,
    test_results,
)

app = Flask(__name__)
app.register_blueprint(accounts.bp, url_prefix="/accounts")
app.register_blueprint(test_results.bp, url_prefix="/results")
app.add_url_rule("/load-tests", "load_tests", load_tests.list_bookings)
