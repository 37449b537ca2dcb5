package sales

import (
	"context"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
)

// payDir is a Directory and PaymentDirectory over some payable invoices of
// customer 3 (RFC CACX7605101P8).
type payDir struct {
	creditDir
	paid map[int64]PaidSummary
}

func (d payDir) FindCustomers(context.Context, CustomerFilter) ([]Customer, error) {
	return []Customer{{ID: 3, RFC: "CACX7605101P8", Active: true}, {ID: 4, RFC: "URE180429TM6", Active: true}}, nil
}

func (d payDir) Payable(_ context.Context, id int64) (Payable, error) {
	for _, inv := range d.invoices {
		if inv.ID == id {
			return PayableOf(inv, d.paid[id], fakeCatalogs{})
		}
	}
	return Payable{}, domain.E(domain.NotFound, "payable", "No existe.", nil)
}

func (d payDir) PayableInvoices(ctx context.Context, issuer string, customerID int64) ([]Payable, error) {
	var out []Payable
	for _, inv := range d.invoices {
		if inv.CustomerID == customerID {
			p, _ := d.Payable(ctx, inv.ID)
			out = append(out, p)
		}
	}
	return out, nil
}

// TestResolvePayment: a payment described in the request's words is the
// receipt BuildPayment builds, its invoices by serie-folio or UUID, or the
// customer's oldest first; the request's refusals name the field.
func TestResolvePayment(t *testing.T) {
	t.Parallel()
	a, b := ppdInvoice(1, "MXN", "1000", iva16, 1), ppdInvoice(2, "MXN", "500", iva16, 2)
	dir := payDir{creditDir: creditDir{invoices: []*Invoice{a, b}}, paid: map[int64]PaidSummary{1: {Paid: dec("160"), Payments: 1}}}
	ctx := context.Background()

	rcpt, err := Resolve(ctx, dir, fakeCatalogs{}, DemoRFC, Request{Serie: "P", Pago: &RequestPayment{FechaPago: "2026-11-20T11:30:00",
		FormaPago: "03", Monto: dec("300"), Facturas: []RequestPaid{{Factura: "a-2", Importe: dec("100")}, {Factura: strings.ToLower(a.UUID), Importe: dec("200")}}}})
	if err != nil {
		t.Fatal(err)
	}
	p := rcpt.Payment
	if rcpt.TipoDeComprobante != TipoPago || rcpt.Serie != "P" || rcpt.CustomerID != 3 || len(p.Docs) != 2 || p.Docs[0].InvoiceID != 2 ||
		p.Docs[1].NumParcialidad != 2 || !p.Docs[1].ImpSaldoAnt.Equal(dec("1000")) || p.FechaPago.Hour() != 11 {
		t.Errorf("resolved payment %+v %+v", rcpt, p)
	}

	rcpt, err = Resolve(ctx, dir, fakeCatalogs{}, DemoRFC, Request{Serie: "P", ClienteRFC: "cacx7605101p8",
		Pago: &RequestPayment{FechaPago: "2026-11-20", FormaPago: "01", Monto: dec("1100")}})
	if err != nil {
		t.Fatal(err)
	}
	if d := rcpt.Payment.Docs; len(d) != 2 || d[0].InvoiceID != 1 || !d[0].ImpPagado.Equal(dec("1000")) || !d[1].ImpPagado.Equal(dec("100")) {
		t.Errorf("oldest first: %+v", d)
	}

	tests := []struct {
		name string
		r    Request
		want string
	}{
		{"unknown invoice", Request{Serie: "P", Pago: &RequestPayment{FechaPago: "2026-11-20", FormaPago: "03", Monto: dec("1"),
			Facturas: []RequestPaid{{Factura: "A-9", Importe: dec("1")}}}}, "pago.facturas[0]: No hay una factura emitida «A-9»"},
		{"another customer's invoice", Request{Serie: "P", ClienteRFC: "URE180429TM6", Pago: &RequestPayment{FechaPago: "2026-11-20",
			FormaPago: "03", Monto: dec("1"), Facturas: []RequestPaid{{Factura: "A-1", Importe: dec("1")}}}}, "es de otro cliente"},
		{"bad date", Request{Serie: "P", Pago: &RequestPayment{FechaPago: "20/11/2026", FormaPago: "03", Monto: dec("1"),
			Facturas: []RequestPaid{{Factura: "A-1", Importe: dec("1")}}}}, "pago.fecha_pago"},
		{"concepts in a payment", Request{Serie: "P", Conceptos: []RequestLine{{Cantidad: dec("1")}}, Pago: &RequestPayment{FechaPago: "2026-11-20",
			FormaPago: "03", Monto: dec("1"), Facturas: []RequestPaid{{Factura: "A-1", Importe: dec("1")}}}}, "solo «serie», «cliente_rfc» y «pago»"},
		{"neither invoices nor customer", Request{Serie: "P", Pago: &RequestPayment{FechaPago: "2026-11-20", FormaPago: "03", Monto: dec("1")}}, "pago.facturas"},
		{"more than owed", Request{Serie: "P", Pago: &RequestPayment{FechaPago: "2026-11-20", FormaPago: "03", Monto: dec("1001"),
			Facturas: []RequestPaid{{Factura: "A-1", Importe: dec("1001")}}}}, "se le deben 1000.00 MXN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(ctx, dir, fakeCatalogs{}, DemoRFC, tt.r)
			if domain.KindOf(err) != domain.Invalid || !strings.Contains(err.Error()+domain.UserMessage(err), tt.want) {
				t.Errorf("err = %v, want Invalid with %q", err, tt.want)
			}
		})
	}
}
