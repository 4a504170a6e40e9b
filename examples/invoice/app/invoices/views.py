"""Login and the JSON API.

CSRF: the API answers only `application/json` bodies (a cross-site HTML form cannot send one without a CORS
preflight, which this app never grants) and the session cookie is SameSite=Lax (Django's default), so the views
are csrf_exempt and a client needs nothing but the session cookie. The login form is exempt too, so a smoke test
can log in with one POST; a real app keeps Django's LoginView with its CSRF token.
"""
import json
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Invoice
from .payload import InvalidInvoice, parse_invoice

LIST_LIMIT = 50


@csrf_exempt
@require_http_methods(['GET', 'POST'])
def login_view(request):
    form = AuthenticationForm(request, data=request.POST if request.method == 'POST' else None)
    if form.is_valid():
        login(request, form.get_user())
        target = request.POST.get('next') or request.GET.get('next', '')
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        return redirect(target if safe else settings.LOGIN_REDIRECT_URL)
    # A failed login is a 400, so a smoke test stops at the step that failed rather than at the next request.
    return render(request, 'registration/login.html', {'form': form}, status=400 if form.is_bound else 200)


def api_login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({'error': f'not logged in: POST username and password to {settings.LOGIN_URL} first'}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


def _number(value):
    """Decimal('1.500') -> '1.5', Decimal('1E+2') -> '100'."""
    return format(value.normalize(), 'f')


def _money(value):
    return format(value.quantize(Decimal('0.01')), 'f')


def invoice_summary(invoice):
    return {
        'id': invoice.id,
        'customer': invoice.customer,
        'net': _money(invoice.net),
        'taxRate': _number(invoice.tax_rate),
        'tax': _money(invoice.tax),
        'gross': _money(invoice.gross),
        'createdAt': invoice.created_at.isoformat(),
    }


def invoice_detail(invoice):
    lines = [
        {'description': line.description, 'quantity': _number(line.quantity), 'unitPrice': _money(line.unit_price), 'total': _money(line.total)}
        for line in invoice.lines.all()
    ]
    return {**invoice_summary(invoice), 'lines': lines}


@csrf_exempt
@require_http_methods(['GET', 'POST'])
@api_login_required
def invoices(request):
    if request.method == 'GET':
        return JsonResponse({'invoices': [invoice_summary(i) for i in Invoice.objects.all()[:LIST_LIMIT]], 'count': Invoice.objects.count()})
    if request.content_type != 'application/json':
        return JsonResponse({'error': f'send the invoice as application/json, not {request.content_type or "no content type"}'}, status=415)
    try:
        data = json.loads(request.body, parse_float=Decimal)
    except ValueError as err:
        return JsonResponse({'error': f'the body is not JSON: {err}'}, status=400)
    try:
        customer, lines = parse_invoice(data)
    except InvalidInvoice as err:
        return JsonResponse({'errors': err.errors}, status=400)
    invoice = Invoice.write(customer, lines, settings.TAX_RATE, user=request.user)
    response = JsonResponse(invoice_detail(invoice), status=201)
    response['Location'] = f'/api/invoices/{invoice.id}/'
    return response


@csrf_exempt
@require_http_methods(['GET'])
@api_login_required
def invoice(request, invoice_id):
    found = Invoice.objects.filter(id=invoice_id).first()
    if found is None:
        return JsonResponse({'error': f'no invoice {invoice_id}'}, status=404)
    return JsonResponse(invoice_detail(found))
