import host.plugin


class WeatherPlugin(host.plugin.BlueprintPlugin):
    identifier = "weather"

    @host.plugin.BlueprintPlugin.route("/forecast", methods=["GET"])
    def forecast(self):
        return {"forecast": []}
