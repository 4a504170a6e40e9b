from django.urls import path

from . import views

urlpatterns = [
    path('accounts/login/', views.login_view, name='login'),
    path('api/invoices/', views.invoices, name='invoices'),
    path('api/invoices/<int:invoice_id>/', views.invoice, name='invoice'),
]
