"""The yardstick: a one-line Flask endpoint, served by bench/run.py exactly as the app is."""

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare() -> str:
    return "ok"
