# Read by gunicorn from its working directory (/srv/invoice). WEB_CONCURRENCY and LOG_LEVEL come from the
# ConfigMap; the probes and the Service use port 8000.
import os

bind = '0.0.0.0:8000'
workers = int(os.environ.get('WEB_CONCURRENCY', '2'))
wsgi_app = 'invoice_site.wsgi'
accesslog = '-'
loglevel = os.environ.get('LOG_LEVEL', 'info').lower()
# The heartbeat file on tmpfs: a slow disk under /tmp must not get workers killed as hung.
worker_tmp_dir = '/dev/shm'
# Fail at start, in the pod's log, when settings are broken (a missing Secret key, a malformed TAX_RATE),
# instead of in every worker at its first request.
preload_app = True
