class Reports:
    title = "reports"

    @classmethod
    def summary(cls):
        return cls.title
