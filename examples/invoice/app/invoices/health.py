from django.db import DatabaseError
from django.http import HttpResponse

from .models import Invoice


class HealthMiddleware:
    """Answers /healthz (the readiness and liveness probes) before any other middleware.

    The kubelet sends the pod's IP as Host, which ALLOWED_HOSTS need not list, and needs no session. Ready means
    the database answers and is migrated: a pod whose migrations did not run never gets traffic.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != '/healthz':
            return self.get_response(request)
        try:
            Invoice.objects.exists()
        except DatabaseError as err:
            return HttpResponse(f'database not ready: {err}\n', status=503, content_type='text/plain')
        return HttpResponse('ok\n', content_type='text/plain')
