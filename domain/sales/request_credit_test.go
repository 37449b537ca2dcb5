package sales

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
)

// creditDir is a Directory holding posted invoices and what their notes
// took.
type creditDir struct {
	invoices []*Invoice
	done     map[int64]Credited
}

func (creditDir) FindCustomers(context.Context, CustomerFilter) ([]Customer, error) { return nil, nil }
func (creditDir) FindProducts(context.Context, ProductFilter) ([]Product, error)    { return nil, nil }

func (d creditDir) FindDocument(_ context.Context, issuer, ref string) (Invoice, error) {
	for _, inv := range d.invoices {
		if inv.Issuer == issuer && (strings.EqualFold(inv.FolioText(), ref) || strings.EqualFold(inv.UUID, ref)) {
			return *inv, nil
		}
	}
	return Invoice{}, domain.E(domain.NotFound, "find document", "No existe.", nil)
}

func (d creditDir) Credited(_ context.Context, id int64) (Credited, error) { return d.done[id], nil }

// TestResolveCreditNote: a credit note described in the request's words is
// the note BuildCredit builds, by serie-folio or UUID, by product or line.
func TestResolveCreditNote(t *testing.T) {
	t.Parallel()
	a, b := manualInvoice(), secondInvoice()
	done := Credited{}
	done.Add(Devolucion, 1, Line{Cantidad: dec("150")})
	dir := creditDir{invoices: []*Invoice{a, b}, done: map[int64]Credited{a.ID: done}}
	ctx := context.Background()

	// A return of 10 of A and 50 of B (of the 50 left), by product and by line.
	note, err := Resolve(ctx, dir, fakeCatalogs{}, DemoRFC, Request{Serie: "NC", NotaCredito: &RequestCredit{Tipo: "devolucion", Facturas: []string{"a-12"}},
		Conceptos: []RequestLine{{Producto: "a", Cantidad: dec("10")}, {Linea: 2, Cantidad: dec("50")}}})
	if err != nil {
		t.Fatal(err)
	}
	if note.TipoDeComprobante != TipoEgreso || note.CreditKind != Devolucion || note.Serie != "NC" || len(note.Relations) != 1 ||
		note.Relations[0].TipoRelacion != "03" || len(note.Lines) != 2 || *note.Lines[1].Credits != (LineRef{a.ID, 1}) ||
		!note.Lines[1].Cantidad.Equal(dec("50")) {
		t.Errorf("return = %+v", note)
	}
	// A rebate over two invoices, one named by UUID, with the header's overrides.
	note, err = Resolve(ctx, dir, fakeCatalogs{}, DemoRFC, Request{Serie: "NC", FormaPago: "01", Notas: "Rebaja por volumen",
		NotaCredito: &RequestCredit{Tipo: "rebaja", Facturas: []string{"A-12", strings.ToLower(b.UUID)}},
		Conceptos:   []RequestLine{{Factura: "A-12", Producto: "B", Rebaja: dec("0.50")}, {Factura: b.UUID, Linea: 1, Rebaja: dec("1")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(note.Relations) != 2 || note.Relations[1].UUID != b.UUID || note.Relations[0].TipoRelacion != "01" ||
		note.FormaPago != "01" || note.Notes != "Rebaja por volumen" || *note.Lines[1].Credits != (LineRef{b.ID, 0}) {
		t.Errorf("rebate = %+v", note)
	}
	if err := CheckCredit(&note, map[int64]*Invoice{a.ID: a, b.ID: b}, dir.done, 2); err != nil {
		t.Errorf("CheckCredit: %v", err)
	}

	cancelled := secondInvoice()
	cancelled.ID, cancelled.Folio, cancelled.UUID, cancelled.State = 9, 14, "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE", StateCancelled
	dir.invoices = append(dir.invoices, cancelled)
	nc := func(tipo string, facturas ...string) *RequestCredit {
		return &RequestCredit{Tipo: tipo, Facturas: facturas}
	}
	tests := []struct {
		name  string
		r     Request
		field string
		msg   string
	}{
		{"over-return names the invoice and product", Request{NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "B", Cantidad: dec("51")}}},
			"conceptos[0].cantidad", "Factura A-12, producto «B»: No se pueden devolver más de 50: se facturaron 200 y ya se devolvieron 150."},
		{"over-rebate", Request{NotaCredito: nc("rebaja", "A-12"), Conceptos: []RequestLine{{Linea: 1, Rebaja: dec("12")}}},
			"conceptos[0].rebaja", "Factura A-12, producto «A»: La rebaja por unidad no puede pasar de 11.5"},
		{"zero quantity", Request{NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "A"}}},
			"conceptos[0].cantidad", "La cantidad devuelta debe ser mayor que cero."},
		{"unknown invoice", Request{NotaCredito: nc("devolucion", "A-99"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1")}}},
			"nota_credito.facturas[0]", "No hay una factura emitida «A-99» de esta empresa"},
		{"cancelled invoice", Request{NotaCredito: nc("devolucion", "A-14"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1")}}},
			"nota_credito.facturas[0]", "Factura A-14: El documento está cancelado: no puede relacionarse."},
		{"invoice twice", Request{NotaCredito: nc("devolucion", "A-12", a.UUID), Conceptos: []RequestLine{{Factura: "A-12", Producto: "A", Cantidad: dec("1")}}},
			"nota_credito.facturas[1]", "La factura A-12 aparece dos veces"},
		{"unknown product", Request{NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "Z", Cantidad: dec("1")}}},
			"conceptos[0].producto", "La factura A-12 no tiene un concepto del producto «Z»."},
		{"line out of range", Request{NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Linea: 3, Cantidad: dec("1")}}},
			"conceptos[0].linea", "La factura A-12 tiene 2 conceptos: «linea» va de 1 a 2."},
		{"no line named", Request{NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Cantidad: dec("1")}}},
			"conceptos[0].producto", "Indique el concepto de la factura A-12"},
		{"which invoice", Request{NotaCredito: nc("rebaja", "A-12", "A-13"), Conceptos: []RequestLine{{Producto: "A", Rebaja: dec("1")}}},
			"conceptos[0].factura", "Indique en «factura»"},
		{"invoice not listed", Request{NotaCredito: nc("rebaja", "A-12"), Conceptos: []RequestLine{{Factura: "A-13", Producto: "A", Rebaja: dec("1")}}},
			"conceptos[0].factura", "La factura «A-13» no está en «nota_credito.facturas»."},
		{"a price on a credit line", Request{NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1"), Precio: ptr(dec("1"))}}},
			"conceptos[0]", "el concepto se copia de la factura"},
		{"a quantity on a rebate", Request{NotaCredito: nc("rebaja", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1"), Rebaja: dec("1")}}},
			"conceptos[0].cantidad", "En una rebaja indique la «rebaja» por unidad"},
		{"a rebate on a return", Request{NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1"), Rebaja: dec("1")}}},
			"conceptos[0].rebaja", "En una devolución indique la «cantidad»"},
		{"unknown kind", Request{NotaCredito: nc("bonificacion", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1")}}},
			"nota_credito.tipo", "«devolucion» o «rebaja»"},
		{"another customer's RFC", Request{ClienteRFC: "URE180429TM6", NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1")}}},
			"cliente_rfc", "La factura A-12 es del cliente CACX7605101P8, no de URE180429TM6."},
		{"another customer's name", Request{ClienteNombre: "OTRO", NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1")}}},
			"cliente_nombre", "La factura A-12 es de"},
		{"another currency", Request{Moneda: "USD", NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1")}}},
			"moneda", "La factura A-12 está en MXN"},
		{"on credit", Request{Condiciones: "credito", NotaCredito: nc("devolucion", "A-12"), Conceptos: []RequestLine{{Producto: "A", Cantidad: dec("1")}}},
			"condiciones", "sus condiciones son «contado»"},
		{"credit fields on an invoice", Request{ClienteRFC: "CACX7605101P8", Conceptos: []RequestLine{{Factura: "A-12", Cantidad: dec("1"), Precio: ptr(dec("1"))}}},
			"conceptos[0]", "solo se usan en una nota de crédito"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.r.Serie = "NC"
			_, err := Resolve(ctx, dir, fakeCatalogs{}, DemoRFC, tt.r)
			if domain.KindOf(err) != domain.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			if got := FieldErrors(err)[tt.field]; !strings.Contains(got, tt.msg) {
				t.Errorf("%s: %q, want %q (all: %v)", tt.field, got, tt.msg, FieldErrors(err))
			}
		})
	}
}

// TestRestateCredit: what the post refuses about a note's lines is said in
// the request's words; other problems are kept.
func TestRestateCredit(t *testing.T) {
	t.Parallel()
	inv := manualInvoice()
	note, err := BuildCreditNote(inv, Devolucion, "NC", []CreditLine{{Line: 1, Cantidad: dec("60")}}, Credited{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	done := Credited{}
	done.Add(Devolucion, 1, Line{Cantidad: dec("150")})
	err = CheckCredit(&note, map[int64]*Invoice{inv.ID: inv}, map[int64]Credited{inv.ID: done}, 2)
	err = RestateCredit(errors.Join(err, domain.E(domain.Invalid, "x", "Otro problema.", nil)), &note, func(int64) string { return "A-12" })
	fields := FieldErrors(err)
	if got, want := fields["conceptos[0].cantidad"], "Factura A-12, producto «B»: No se pueden devolver más de 50: se facturaron 200 y ya se devolvieron 150."; got != want {
		t.Errorf("restated: %q, want %q (all %v)", got, want, fields)
	}
	if !strings.Contains(err.Error(), "Otro problema.") {
		t.Errorf("the other problem was lost: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
