from shop.main import main

app = main()
