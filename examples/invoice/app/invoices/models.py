from django.conf import settings
from django.db import models, transaction

from . import tax


class Invoice(models.Model):
    customer = models.CharField(max_length=200)
    # The rate in force when the invoice was written: a later TAX_RATE change leaves it as it was.
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4)
    net = models.DecimalField(max_digits=20, decimal_places=2)
    tax = models.DecimalField(max_digits=20, decimal_places=2)
    gross = models.DecimalField(max_digits=20, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name='+')

    class Meta:
        ordering = ['-id']

    @classmethod
    @transaction.atomic
    def write(cls, customer, lines, rate, user=None):
        sums = tax.totals(lines, rate)
        invoice = cls.objects.create(customer=customer, tax_rate=rate, net=sums.net, tax=sums.tax, gross=sums.gross, created_by=user)
        InvoiceLine.objects.bulk_create(
            InvoiceLine(invoice=invoice, position=i, description=line.description, quantity=line.quantity,
                        unit_price=line.unit_price, total=line.total)
            for i, line in enumerate(lines, start=1)
        )
        return invoice


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name='lines')
    position = models.PositiveIntegerField()
    description = models.CharField(max_length=500)
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    unit_price = models.DecimalField(max_digits=11, decimal_places=2)
    total = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        ordering = ['position']
        constraints = [models.UniqueConstraint(fields=['invoice', 'position'], name='one_line_per_position')]
