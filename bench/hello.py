"""The ceiling for `bench/run`: the smallest Flask app, served with the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "<!doctype html><html lang='en'><title>Hello</title><p>Hello, world.</p></html>"
