"""Settings from the environment: the ConfigMap and Secret of each environment, read once at start.

A missing or malformed value stops the process with a message naming the variable, so a broken ConfigMap shows
up as a crash with a readable log line rather than as wrong invoices.
"""
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured


def required(name, source):
    value = os.environ.get(name, '').strip()
    if not value:
        raise ImproperlyConfigured(f'{name} is not set (in Kubernetes it comes from {source})')
    return value


def env_list(name, default):
    value = os.environ.get(name, '')
    items = [item.strip() for item in value.split(',') if item.strip()]
    return items or default


def tax_rate(text, name='TAX_RATE'):
    """'0.19' -> Decimal('0.19'): a fraction between 0 and 1 with at most four decimals."""
    try:
        rate = Decimal(text)
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate < 1 or rate.normalize().as_tuple().exponent < -4:
        raise ImproperlyConfigured(f'{name} must be a fraction like 0.19 for 19% (0 <= rate < 1, at most 4 decimals), got {text!r}')
    return rate
