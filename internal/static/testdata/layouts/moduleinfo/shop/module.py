import json
import os


class ModuleInfo:
    """Reads the info.json next to a module: its name and its dashboard path."""

    def __init__(self, dunderfile, dundername):
        self.dirpath = os.path.dirname(os.path.abspath(dunderfile))
        self.info = {}
        with open(self.dirpath + "/info.json") as f:
            self.info = json.load(f)
        self.name = dundername
