import configparser
import os


class Settings:
    path = os.getenv("GATE_SETTINGS", "gate.ini")

    def __init__(self):
        self.defaults = {
            "web": {
                "base_prefix": "",
                "portal_title": "Gate",
            },
        }
        self.parser = configparser.ConfigParser()
        if os.path.exists(self.path):
            self.parser.read(self.path)

    def read(self, section, key):
        if self.parser.has_option(section, key):
            return True, self.parser.get(section, key)
        return False, self.defaults[section][key]
