"""gunicorn settings for the REACT toolkit (override any of them with GUNICORN_CMD_ARGS)."""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
# No access log: it would hold addresses and query strings, which this service never keeps.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
