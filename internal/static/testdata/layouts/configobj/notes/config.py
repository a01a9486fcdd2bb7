from datetime import timedelta


class TokenPolicy:
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(10 ** 6)  # want: py.jwt-long-lifetime
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)


class TestingConfig:
    # The test suite's secret, never deployed: not a finding.
    SECRET_KEY = "testing-secret"
    TESTING = True
