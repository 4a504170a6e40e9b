"""Run in the image: python3 manage.py test invoices (the build runs them before anything is shipped)."""
import json
from decimal import Decimal as D

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, SimpleTestCase, TestCase, override_settings

from invoice_site.env import tax_rate

from .payload import InvalidInvoice, parse_invoice
from .tax import Line, totals


class TaxTests(SimpleTestCase):
    def test_totals(self):
        cases = [
            # lines (quantity, unit price), rate, (net, tax, gross)
            ([('1', '0.01')], '0.19', ('0.01', '0.00', '0.01')),
            ([('1', '100.00')], '0.19', ('100.00', '19.00', '119.00')),
            ([('1', '100.00')], '0.21', ('100.00', '21.00', '121.00')),
            # Tax half up on the net: 0.05 * 0.19 = 0.0095 -> 0.01.
            ([('1', '0.05')], '0.19', ('0.05', '0.01', '0.06')),
            # Each line is rounded to cents before it is summed: 3 x 0.333 = 0.999 -> 1.00 (not 0.999 * 3 lines).
            ([('0.333', '3.00'), ('0.333', '3.00'), ('0.333', '3.00')], '0.19', ('3.00', '0.57', '3.57')),
            ([('2.5', '19.99'), ('1', '0.00')], '0.21', ('49.98', '10.50', '60.48')),
            ([('7', '1.00')], '0', ('7.00', '0.00', '7.00')),
        ]
        for lines, rate, expected in cases:
            with self.subTest(lines=lines, rate=rate):
                got = totals([Line('x', D(q), D(p)) for q, p in lines], D(rate))
                self.assertEqual((got.net, got.tax, got.gross), tuple(D(e) for e in expected))

    def test_tax_rate_from_the_environment(self):
        self.assertEqual(tax_rate('0.19'), D('0.19'))
        self.assertEqual(tax_rate('0.0700'), D('0.07'))
        for bad in ['19', '19%', '-0.1', '1', '0.12345', 'NaN', '']:
            with self.subTest(bad=bad), self.assertRaisesMessage(ImproperlyConfigured, f'TAX_RATE must be a fraction like 0.19 for 19% (0 <= rate < 1, at most 4 decimals), got {bad!r}'):
                tax_rate(bad)


class PayloadTests(SimpleTestCase):
    def test_a_valid_invoice(self):
        customer, lines = parse_invoice({'customer': ' Acme ', 'lines': [{'description': 'work', 'quantity': 2, 'unitPrice': '10.50'}]})
        self.assertEqual(customer, 'Acme')
        self.assertEqual(lines, [Line('work', D(2), D('10.50'))])

    def test_every_problem_at_once(self):
        with self.assertRaises(InvalidInvoice) as caught:
            parse_invoice({'lines': [
                {'description': '', 'quantity': 0, 'unitPrice': '1.001'},
                {'description': 'ok', 'quantity': True, 'unitPrice': -1},
                {'description': 'ok', 'quantity': '1e7', 'unitPrice': 'ten'},
                'not a line',
            ]})
        self.assertEqual(caught.exception.errors, {
            'customer': 'required: the customer name',
            'lines[0].description': 'required',
            'lines[0].quantity': '0 must be greater than 0',
            'lines[0].unitPrice': '1.001 has more than 2 decimals',
            'lines[1].quantity': 'must be a number or a decimal string',
            'lines[1].unitPrice': '-1 must be 0 or more',
            'lines[2].quantity': '1e7 is too large (below 1,000,000)',
            'lines[2].unitPrice': 'ten is not a number',
            'lines[3]': 'must be an object with description, quantity and unitPrice',
        })

    def test_no_lines(self):
        for body in [{'customer': 'Acme'}, {'customer': 'Acme', 'lines': []}]:
            with self.subTest(body=body), self.assertRaises(InvalidInvoice) as caught:
                parse_invoice(body)
            self.assertEqual(caught.exception.errors, {'lines': 'required: a list of at least one line'})


@override_settings(TAX_RATE=D('0.19'), ALLOWED_HOSTS=['testserver'])
class ApiTests(TestCase):
    """The smoke test's scenario, with CSRF checks on as in production."""

    def setUp(self):
        get_user_model().objects.create_user('smoke', password='s3cret')
        self.client = Client(enforce_csrf_checks=True)

    def log_in(self, password='s3cret'):
        return self.client.post('/accounts/login/', {'username': 'smoke', 'password': password})

    def create(self, body):
        return self.client.post('/api/invoices/', json.dumps(body), content_type='application/json')

    def test_log_in_list_create_read_back(self):
        self.assertRedirects(self.log_in(), '/api/invoices/', fetch_redirect_response=False)
        self.assertEqual(self.client.get('/api/invoices/').json(), {'invoices': [], 'count': 0})

        created = self.create({'customer': 'Smoke Test Ltd', 'lines': [{'description': 'smoke test', 'quantity': 1, 'unitPrice': '0.01'}]})
        self.assertEqual(created.status_code, 201)
        body = created.json()
        self.assertEqual(created['Location'], f'/api/invoices/{body["id"]}/')
        self.assertEqual({k: body[k] for k in ('customer', 'net', 'taxRate', 'tax', 'gross', 'lines')}, {
            'customer': 'Smoke Test Ltd', 'net': '0.01', 'taxRate': '0.19', 'tax': '0.00', 'gross': '0.01',
            'lines': [{'description': 'smoke test', 'quantity': '1', 'unitPrice': '0.01', 'total': '0.01'}],
        })

        read = self.client.get(f'/api/invoices/{body["id"]}/')
        self.assertEqual(read.status_code, 200)
        self.assertEqual(read.json(), body)
        self.assertEqual([i['id'] for i in self.client.get('/api/invoices/').json()['invoices']], [body['id']])

    def test_json_numbers_stay_exact(self):
        self.log_in()
        body = self.create({'customer': 'Acme', 'lines': [{'description': 'hours', 'quantity': 2.5, 'unitPrice': 19.99}]}).json()
        self.assertEqual((body['net'], body['tax'], body['gross']), ('49.98', '9.50', '59.48'))

    def test_the_rate_in_force_is_kept_with_the_invoice(self):
        self.log_in()
        first = self.create({'customer': 'A', 'lines': [{'description': 'x', 'quantity': 1, 'unitPrice': '100'}]}).json()
        with self.settings(TAX_RATE=D('0.21')):
            second = self.create({'customer': 'B', 'lines': [{'description': 'x', 'quantity': 1, 'unitPrice': '100'}]}).json()
        self.assertEqual(self.client.get(f'/api/invoices/{first["id"]}/').json()['gross'], '119.00')
        self.assertEqual(second['gross'], '121.00')

    def test_refusals(self):
        anonymous = self.client.get('/api/invoices/')
        self.assertEqual(anonymous.status_code, 401)
        self.assertIn('/accounts/login/', anonymous.json()['error'])

        self.assertEqual(self.log_in('wrong').status_code, 400)
        self.log_in()
        self.assertEqual(self.create({'customer': '', 'lines': []}).status_code, 400)
        self.assertEqual(self.client.post('/api/invoices/', {'customer': 'form'}).status_code, 415)
        self.assertEqual(self.client.post('/api/invoices/', '{', content_type='application/json').status_code, 400)
        self.assertEqual(self.client.get('/api/invoices/999/').status_code, 404)
        self.assertEqual(self.client.delete('/api/invoices/').status_code, 405)

    def test_healthz_answers_any_host(self):
        response = Client(HTTP_HOST='203.0.113.9:8000').get('/healthz')
        self.assertEqual((response.status_code, response.content), (200, b'ok\n'))
