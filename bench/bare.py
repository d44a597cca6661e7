"""The yardstick: a one-line Flask app, served by bench/run.py and bench/api_bench.py exactly as the app is."""

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare() -> str:
    return "ok"
