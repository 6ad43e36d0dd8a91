"""gunicorn settings for Newsroom (read from the working directory: `gunicorn newsroom.wsgi`).

Every value can be overridden from the environment (GUNICORN_* below) or the command line.
Workers are processes, one per core plus one so a core is never idle while a worker waits on
the database; each worker runs a few threads, which keep client connections alive between
requests (a load balancer or CDN reuses them) and overlap database waits. The application is
loaded before forking so that workers share its memory, and what it made is moved out of
the garbage collector's reach first (``pre_fork``); a worker is replaced after a few thousand
requests so that no slow leak grows without bound.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def pre_fork(server, worker) -> None:
    """Freeze what the loaded application made (modules, URL patterns, templates, the
    gazetteer) before each worker is forked: the collector's full passes in the worker then
    skip those objects (a pass over them took about 50 ms), and not writing to their headers
    keeps the pages the workers share from being copied."""
    gc.collect()
    gc.freeze()
