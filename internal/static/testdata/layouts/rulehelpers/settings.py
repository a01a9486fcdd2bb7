import os


class Config:
    """Settings read once at import."""

    API_VERSION = os.getenv("RULEHELPERS_API_VERSION", "v2")
