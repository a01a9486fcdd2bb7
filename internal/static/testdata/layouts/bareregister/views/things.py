from views.reg import Base, listed, mounted


@mounted
class Things(Base):
    rule = "/things/<int:tid>"
    endpoint = "things"

    def delete(self, tid):
        return "", 204


@mounted
class Health(Base):
    endpoint = "health"


@listed
def stats():
    return "{}"
