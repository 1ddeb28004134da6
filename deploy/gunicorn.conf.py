"""gunicorn in production, behind deploy/nginx.conf:

    gunicorn -c deploy/gunicorn.conf.py

Every value can be changed by the environment variable named beside it.
"""

import os

wsgi_app = "directory:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# gthread: a worker's threads overlap one request's database wait with another's Python,
# and keep-alive connections from nginx are reused.  A slow or half-open client never
# reaches a thread: nginx buffers each request whole before passing it on.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request that runs longer than this is stuck: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Longer than nginx's upstream keep-alive, so gunicorn never closes a connection that
# nginx is about to reuse.
keepalive = 75

# Only nginx on this machine may say which scheme the visitor used; the app itself
# believes exactly TRUSTED_PROXY_COUNT forwarded hops (Werkzeug's ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190

# No max_requests: a worker that restarts drops the keep-alive connections nginx holds to
# it, and a request nginx has just sent on one fails (a POST cannot be sent again).

# The app writes one log line per request itself (LOG_REQUESTS); gunicorn logs errors.
accesslog = None
errorlog = "-"
