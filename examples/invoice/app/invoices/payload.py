"""The JSON body of POST /api/invoices/, checked in full: every problem is reported at once, by field."""
from decimal import Decimal

from .tax import Line

MAX_CUSTOMER = 200
MAX_DESCRIPTION = 500
MAX_LINES = 100


class InvalidInvoice(Exception):
    def __init__(self, errors):
        super().__init__('; '.join(f'{field}: {message}' for field, message in errors.items()))
        self.errors = errors


def _amount(value, field, errors, *, places, below, positive):
    # json.loads(parse_float=Decimal) keeps 0.1 exact; strings are accepted too, as money often travels.
    if value is None:
        errors[field] = 'required'
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        errors[field] = 'must be a number or a decimal string'
        return None
    try:
        amount = Decimal(value)
    except ArithmeticError:
        amount = Decimal('NaN')
    if not amount.is_finite():
        errors[field] = f'{value} is not a number'
    elif amount.normalize().as_tuple().exponent < -places:
        errors[field] = f'{value} has more than {places} decimals'
    elif abs(amount) >= below:
        errors[field] = f'{value} is too large (below {below:,})'
    elif amount < 0 or (positive and amount == 0):
        errors[field] = f'{value} must be {"greater than 0" if positive else "0 or more"}'
    else:
        return amount
    return None


def parse_invoice(data):
    """`{"customer": ..., "lines": [{"description", "quantity", "unitPrice"}]}` -> (customer, [Line])."""
    if not isinstance(data, dict):
        raise InvalidInvoice({'body': 'must be a JSON object with customer and lines'})
    errors = {}
    customer = data.get('customer')
    if not isinstance(customer, str) or not customer.strip():
        errors['customer'] = 'required: the customer name'
    elif len(customer) > MAX_CUSTOMER:
        errors['customer'] = f'at most {MAX_CUSTOMER} characters'
    raw_lines = data.get('lines')
    lines = []
    if not isinstance(raw_lines, list) or not raw_lines:
        errors['lines'] = 'required: a list of at least one line'
    elif len(raw_lines) > MAX_LINES:
        errors['lines'] = f'at most {MAX_LINES} lines'
    else:
        for i, raw in enumerate(raw_lines):
            field = f'lines[{i}]'
            if not isinstance(raw, dict):
                errors[field] = 'must be an object with description, quantity and unitPrice'
                continue
            description = raw.get('description')
            if not isinstance(description, str) or not description.strip():
                errors[f'{field}.description'] = 'required'
            elif len(description) > MAX_DESCRIPTION:
                errors[f'{field}.description'] = f'at most {MAX_DESCRIPTION} characters'
            quantity = _amount(raw.get('quantity'), f'{field}.quantity', errors, places=3, below=10**6, positive=True)
            unit_price = _amount(raw.get('unitPrice'), f'{field}.unitPrice', errors, places=2, below=10**9, positive=False)
            if quantity is not None and unit_price is not None and isinstance(description, str):
                lines.append(Line(description.strip(), quantity, unit_price))
    if errors:
        raise InvalidInvoice(errors)
    return customer.strip(), lines
