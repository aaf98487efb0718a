"""gunicorn settings for the REACT toolkit (override any of them with GUNICORN_CMD_ARGS).

The counts of attempts per network address live where RATELIMIT_STORAGE_URI says. With the
default, memory://, each worker process would keep counts of its own, so gunicorn runs one
process with several threads, which share them, unless WEB_CONCURRENCY asks for more processes.
With a shared store (redis://) it runs WEB_CONCURRENCY processes, 2 unless set. Wrong passwords
per account are counted in the database and hold either way.
"""

import os

_shared_limits = not (os.environ.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://")

workers = int(os.environ.get("WEB_CONCURRENCY") or (2 if _shared_limits else 1))
# More than one thread makes gunicorn use its gthread worker.
threads = int(os.environ.get("GUNICORN_THREADS") or (1 if _shared_limits else 4))
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
# No access log: it would hold addresses and query strings, which this service never keeps.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Tell the app how many worker processes there are (GUNICORN_CMD_ARGS may have changed it)."""
    os.environ["REACT_WORKER_PROCESSES"] = str(server.cfg.workers)
