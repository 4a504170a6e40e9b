"""Django settings for the invoice example. Everything that differs between dev, stg and prd comes from the
environment (k8s/overlays/*: ConfigMap invoice-config; Secret invoice-secrets), never from the image."""
import os

from .env import env_list, required, tax_rate

SECRET_KEY = required('DJANGO_SECRET_KEY', 'the Secret invoice-secrets')
DEBUG = False
# The smoke test reaches the Service through the API server's proxy, whose Host is the API server's: the
# example's ConfigMap allows '*'. Probes are answered before host validation (invoices.health).
ALLOWED_HOSTS = env_list('DJANGO_ALLOWED_HOSTS', ['localhost', '127.0.0.1'])

# Invoices keep the rate they were written with; this one applies to new invoices.
TAX_RATE = tax_rate(required('TAX_RATE', 'the ConfigMap invoice-config'))

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'invoices',
]

MIDDLEWARE = [
    'invoices.health.HealthMiddleware',
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = 'invoice_site.urls'
WSGI_APPLICATION = 'invoice_site.wsgi.application'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'APP_DIRS': True,
        'OPTIONS': {'context_processors': ['django.template.context_processors.request']},
    },
]

# SQLite keeps the example self-contained (one file on the pod's emptyDir). Real setups point this at
# MariaDB or PostgreSQL (python3-mysqldb / python3-psycopg2 from Debian) with credentials from a Secret.
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.environ.get('INVOICE_DB', '/var/lib/invoice/db.sqlite3'),
    },
}
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'

LOGIN_URL = '/accounts/login/'
LOGIN_REDIRECT_URL = '/api/invoices/'

USE_TZ = True
TIME_ZONE = 'UTC'
USE_I18N = False

LOG_LEVEL = os.environ.get('LOG_LEVEL', 'INFO').upper()
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'formatters': {'plain': {'format': '%(asctime)s %(levelname)s %(name)s: %(message)s'}},
    # The level on the handler too: Django's own loggers (django.request) propagate past the root's level.
    'handlers': {'console': {'class': 'logging.StreamHandler', 'formatter': 'plain', 'level': LOG_LEVEL}},
    'root': {'handlers': ['console'], 'level': LOG_LEVEL},
}
