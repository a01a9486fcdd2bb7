import connexion

app = connexion.App(__name__, specification_dir="spec/")
app.add_api("openapi.yaml", arguments={"title": "Pet store"})

if __name__ == "__main__":
    app.run(port=8080)
