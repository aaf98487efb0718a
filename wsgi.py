"""The WSGI entry point: gunicorn serves `wsgi:app`."""

from react_toolkit import create_app

app = create_app()
