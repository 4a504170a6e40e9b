"""The tax calculation, apart from Django so it reads (and is tested) on its own.

Each line is rounded to cents, the net is the sum of the lines, the tax is the rate applied once to the net
and rounded half up, as invoices are usually computed in the EU; gross = net + tax.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal('0.01')


def cents(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def total(self):
        return cents(self.quantity * self.unit_price)


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal


def totals(lines, rate):
    net = sum((line.total for line in lines), Decimal('0.00'))
    tax = cents(net * rate)
    return Totals(net=net, tax=tax, gross=net + tax)
