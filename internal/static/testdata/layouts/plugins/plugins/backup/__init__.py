from host.plugin import BlueprintPlugin


class BackupPlugin(BlueprintPlugin):
    identifier = "backup"

    @BlueprintPlugin.route("/restore", methods=["POST"])
    def restore(self):
        return "", 204

    @BlueprintPlugin.route("/list")
    def listing(self):
        return []
