package sales

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

// keys returns the keys of entries joined by spaces.
func keys(entries []sat.Entry) string {
	ks := make([]string, len(entries))
	for i, e := range entries {
		ks[i] = e.Key
	}
	return strings.Join(ks, " ")
}

func TestFieldRules(t *testing.T) {
	t.Parallel()
	type verdict struct {
		edit, post, print, credit bool   // allowed
		usos, formas              string // keys offered
		forma                     string // fixed FormaPago, "" when free
		tipoCambio, global        bool   // the field applies
	}
	draft := verdict{edit: true, post: true, credit: true, usos: "G01 G03 S01", formas: "01 02 03 04 28"}
	posted := verdict{print: true, credit: true, usos: "G01 G03 S01", formas: "01 02 03 04 28"}
	tests := []struct {
		name string
		edit func(inv *Invoice)
		want verdict
	}{
		// The state decides the actions.
		{"a new invoice is a draft", func(inv *Invoice) { inv.State = "" }, draft},
		{"draft", func(inv *Invoice) { inv.State = StateDraft }, draft},
		{"sealed", func(inv *Invoice) { inv.State = StateSealed }, posted},
		{"rejected", func(inv *Invoice) { inv.State = StateRejected }, posted},
		{"stamped", func(inv *Invoice) { inv.State = StateStamped }, posted},
		{"cancelled", func(inv *Invoice) { inv.State = StateCancelled }, posted},
		// Terms and currency.
		{"credit fixes forma 99", func(inv *Invoice) { inv.Terms = Credito },
			verdict{edit: true, post: true, credit: true, usos: "G01 G03 S01", formas: "99", forma: "99"}},
		{"dollars need an exchange rate", func(inv *Invoice) { inv.Moneda = "USD" },
			verdict{edit: true, post: true, credit: true, usos: "G01 G03 S01", formas: "01 02 03 04 28", tipoCambio: true}},
		// The customer decides uso, credit and the factura global.
		{"general public: no credit, global", func(inv *Invoice) { inv.Customer = PublicoGeneral() },
			verdict{edit: true, post: true, usos: "CP01 S01", formas: "01 02 03 04 28", global: true}},
		{"XAXX under another name takes no global, as Validate", func(inv *Invoice) {
			inv.Customer = PublicoGeneral()
			inv.Customer.Name = "MOSTRADOR"
		}, verdict{edit: true, post: true, usos: "CP01 S01", formas: "01 02 03 04 28"}},
		{"no customer yet: every uso", func(inv *Invoice) { inv.Customer = Customer{} },
			verdict{edit: true, post: true, credit: true, usos: "CP01 D01 G01 G03 S01", formas: "01 02 03 04 28"}},
		{"persona física 612", func(inv *Invoice) { inv.Customer.RegimenFiscal = "612" },
			verdict{edit: true, post: true, credit: true, usos: "D01 G01 G03 S01", formas: "01 02 03 04 28"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := validInvoice()
			inv.Moneda = "MXN"
			tt.edit(&inv)
			r := inv.FieldRules(fakeCatalogs{})
			got := verdict{edit: r.Edit == nil, post: r.Post == nil, print: r.Print == nil, credit: r.Credit == nil,
				usos: keys(r.UsoCFDI.Options), formas: keys(r.FormaPago.Options), tipoCambio: r.TipoCambio.Applies,
				global: r.Global.Applies}
			if r.FormaPago.Fixed {
				got.forma = r.FormaPago.Value
			}
			if got != tt.want {
				t.Errorf("verdict = %+v\nwant      %+v", got, tt.want)
			}
			// Refusals explain themselves, each through its own channel.
			for name, err := range map[string]error{"Edit": r.Edit, "Post": r.Post, "Print": r.Print} {
				if err != nil && (domain.KindOf(err) != domain.Conflict || domain.UserMessage(err) == "") {
					t.Errorf("%s refusal = %v, want a Conflict with a message", name, err)
				}
			}
			if r.Credit != nil && FieldErrors(r.Credit)["Terms"] != "No se puede vender a crédito al público en general." {
				t.Errorf("Credit = %v, want the Terms field's message", r.Credit)
			}
			if r.FormaPago.Fixed && r.FormaPago.Reason != "En una venta a crédito la forma de pago es 99 (Por definir)." {
				t.Errorf("fixed forma without its reason: %q", r.FormaPago.Reason)
			}
			if r.TipoCambio.Required != r.TipoCambio.Applies || r.Global.Required != r.Global.Applies ||
				!r.UsoCFDI.Required || !r.FormaPago.Required {
				t.Errorf("required: %+v", r)
			}
		})
	}
}

func TestSetTerms(t *testing.T) {
	t.Parallel()
	inv := validInvoice()
	if err := inv.SetTerms(Credito); err != nil || inv.Terms != Credito || inv.FormaPago != "99" {
		t.Fatalf("credit: %v, terms %s forma %q", err, inv.Terms, inv.FormaPago)
	}
	if err := inv.SetTerms(Contado); err != nil || inv.Terms != Contado || inv.FormaPago != "" {
		t.Errorf("back to cash: %v, terms %s forma %q; want the 99 cleared", err, inv.Terms, inv.FormaPago)
	}
	inv.FormaPago = "03"
	if err := inv.SetTerms(Contado); err != nil || inv.FormaPago != "03" {
		t.Errorf("cash keeps a real forma: %v, %q", err, inv.FormaPago)
	}

	inv.Customer = PublicoGeneral()
	err := inv.SetTerms(Credito)
	if FieldErrors(err)["Terms"] != "No se puede vender a crédito al público en general." || domain.KindOf(err) != domain.Invalid {
		t.Errorf("credit to the general public: err = %v", err)
	}
	if inv.Terms != Contado || inv.FormaPago != "03" {
		t.Errorf("a refused change changed the invoice: terms %s forma %q", inv.Terms, inv.FormaPago)
	}
}

func TestSetCustomer(t *testing.T) {
	t.Parallel()
	credit := validMoral()
	credit.ID, credit.MetodoPago, credit.CreditDays, credit.FormaPago = 7, "PPD", 30, "99"
	tests := []struct {
		name           string
		customer       func(c *Customer)
		before         string // the FormaPago chosen before
		uso, forma     string
		terms          PaymentTerms
		wantCustomerID int64
	}{
		{"cash with its forma", func(c *Customer) { c.ID = 3 }, "01", "G03", "03", Contado, 3},
		{"credit customer", func(c *Customer) { *c = credit }, "03", "G03", "99", Credito, 7},
		{"PPD without credit days is cash", func(c *Customer) { c.MetodoPago, c.FormaPago = "PPD", "99" }, "01", "G03", "01", Contado, 0},
		{"after a credit customer, 99 is cleared", func(c *Customer) { c.FormaPago = "" }, "99", "G03", "", Contado, 0},
		{"unknown forma keeps the chosen one", func(c *Customer) { c.FormaPago = "77" }, "02", "G03", "02", Contado, 0},
		{"uso not allowed for its régimen", func(c *Customer) { c.UsoCFDI = "D01" }, "", "", "03", Contado, 0},
		{"general public", func(c *Customer) { *c = PublicoGeneral() }, "01", "S01", "01", Contado, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validMoral()
			tt.customer(&c)
			inv := Invoice{Terms: Credito, FormaPago: tt.before, UsoCFDI: "G01"}
			inv.SetCustomer(c, fakeCatalogs{})
			if inv.UsoCFDI != tt.uso || inv.FormaPago != tt.forma || inv.Terms != tt.terms ||
				inv.CustomerID != tt.wantCustomerID || inv.Customer.RFC != c.RFC {
				t.Errorf("uso %q forma %q terms %s customer %d/%s; want %q %q %s %d",
					inv.UsoCFDI, inv.FormaPago, inv.Terms, inv.CustomerID, inv.Customer.RFC, tt.uso, tt.forma, tt.terms, tt.wantCustomerID)
			}
		})
	}
}

// TestRulesAgreeWithValidate fills invoices exactly as FieldRules says
// (fixed values, first option offered, the fields that apply) for every
// customer, terms and currency: each one passes Validate, and a credit the
// rules refuse is refused by Validate too.
func TestRulesAgreeWithValidate(t *testing.T) {
	t.Parallel()
	foreign := Customer{RFC: RFCExtranjero, Name: "NORTHWIND TRADERS INC", RegimenFiscal: RegimenSinObligaciones,
		UsoCFDI: UsoSinEfectos, Pais: "USA", NumRegIdTrib: "123456789", Active: true}
	credit := validMoral()
	credit.MetodoPago, credit.CreditDays = "PPD", 30
	checked := 0
	for _, c := range []Customer{validMoral(), credit, PublicoGeneral(), foreign} {
		for _, terms := range []PaymentTerms{Contado, Credito} {
			for _, moneda := range []string{"MXN", "USD"} {
				name := c.RFC + "/" + string(terms) + "/" + moneda
				inv := validInvoice()
				inv.TipoDeComprobante, inv.Moneda = TipoIngreso, moneda
				inv.SetCustomer(c, fakeCatalogs{})
				refused := inv.SetTerms(terms)
				r := inv.FieldRules(fakeCatalogs{})
				if refused != nil {
					if r.Credit == nil {
						t.Errorf("%s: SetTerms refused what FieldRules allows: %v", name, refused)
					}
					inv.Terms = terms // as a screen that ignored the verdict would send it
					if FieldErrors(inv.Validate(fakeCatalogs{}, 2026))["Terms"] == "" {
						t.Errorf("%s: Validate accepts a credit FieldRules refuses", name)
					}
					continue
				}
				if inv.UsoCFDI == "" && len(r.UsoCFDI.Options) > 0 {
					inv.UsoCFDI = r.UsoCFDI.Options[0].Key
				}
				switch {
				case r.FormaPago.Fixed:
					inv.FormaPago = r.FormaPago.Value
				case inv.FormaPago == "":
					inv.FormaPago = r.FormaPago.Options[0].Key
				}
				if r.TipoCambio.Applies {
					inv.TipoCambio = dec("17.25")
				}
				if r.Global.Applies {
					inv.Global = &Global{Periodicidad: "04", Meses: "11", Anio: "2026"}
					inv.Lines[0].ClaveProdServ, inv.Lines[0].ClaveUnidad = ClaveProdServGlobal, ClaveUnidadGlobal
				}
				if err := inv.Validate(fakeCatalogs{}, 2026); err != nil {
					t.Errorf("%s: filled as FieldRules says, Validate = %v", name, FieldErrors(err))
				}
				checked++
			}
		}
	}
	if checked != 14 { // 4 customers × 2 terms × 2 currencies, less the general public's 2 credits
		t.Errorf("checked %d invoices, want 14", checked)
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	tot := Totals{SubTotal: dec("1000.00"), Descuento: dec("100.00"), Total: dec("1037.33"),
		Traslados: []TaxAmount{
			{Impuesto: ImpuestoIEPS, Importe: dec("24.00")},
			{Impuesto: ImpuestoIVA, Importe: dec("96.00")},
			{Impuesto: ImpuestoIVA, Importe: dec("24.00")},
			{Impuesto: ImpuestoIVA, TipoFactor: FactorExento},
		},
		Retenciones: []TaxAmount{{Impuesto: ImpuestoIVA, Importe: dec("10.67")}, {Impuesto: ImpuestoISR, Importe: dec("10.00")}},
	}
	s := tot.Summary()
	for _, tc := range []struct{ name, got, want string }{
		{"Importe", s.Importe.String(), "1000"},
		{"Descuento", s.Descuento.String(), "100"},
		{"Base", s.Base.String(), "900"},
		{"IVA", s.IVA.String(), "120"},
		{"IEPS", s.IEPS.String(), "24"},
		{"RetIVA", s.RetIVA.String(), "10.67"},
		{"RetISR", s.RetISR.String(), "10"},
		{"Total", s.Total.String(), "1037.33"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}

func TestLineTaxes(t *testing.T) {
	t.Parallel()
	p := validProduct()
	l := LineFromProduct(&p, dec("1"))
	if !l.TaxesApply() {
		t.Fatal("a 02 concept carries no taxes")
	}
	l.SetTaxable(false)
	if l.ObjetoImp != ObjetoImpNo || !l.Taxes.IsZero() || l.TaxesApply() {
		t.Errorf("not taxable: ObjetoImp %s taxes %+v", l.ObjetoImp, l.Taxes)
	}
	l.ObjetoImp = "03"
	l.SetTaxable(false)
	if l.ObjetoImp != "03" {
		t.Errorf("a product's 03 became %s", l.ObjetoImp)
	}
	l.SetTaxable(true)
	if l.ObjetoImp != ObjetoImpSi {
		t.Errorf("taxable: ObjetoImp %s", l.ObjetoImp)
	}

	for _, tc := range []struct {
		name          string
		factor, valor string
		wantFactor    string
		wantValor     string
	}{
		{"a rate is a Tasa by default", "", "0.08", FactorTasa, "0.08"},
		{"a product's Cuota is kept", FactorCuota, "3.5", FactorCuota, "3.5"},
		{"zero removes the IEPS", FactorCuota, "0", "", "0"},
	} {
		tx := Taxes{IEPSFactor: tc.factor}
		tx.SetIEPS(dec(tc.valor))
		if tx.IEPSFactor != tc.wantFactor || tx.IEPSValor.String() != tc.wantValor {
			t.Errorf("%s: %s %s, want %s %s", tc.name, tx.IEPSFactor, tx.IEPSValor, tc.wantFactor, tc.wantValor)
		}
	}
}

func TestDefaultGlobal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		now         time.Time
		meses, anio string
	}{
		{time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC), "11", "2026"},
		// The month is Mexico City's: 03:00 UTC on 1 December is still 30 November there.
		{time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), "11", "2026"},
		{time.Date(2027, 1, 1, 5, 0, 0, 0, time.UTC), "12", "2026"},
	} {
		g := DefaultGlobal(tc.now)
		if g.Meses != tc.meses || g.Anio != tc.anio || g.Periodicidad != "" {
			t.Errorf("DefaultGlobal(%s) = %+v, want %s/%s", tc.now, g, tc.meses, tc.anio)
		}
	}
}

func TestCanNumberInvoices(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    Series
		want bool
	}{
		{Series{Serie: "A", TipoDeComprobante: TipoIngreso, Active: true}, true},
		{Series{Serie: "A", TipoDeComprobante: TipoIngreso}, false},
		{Series{Serie: "NC", TipoDeComprobante: TipoEgreso, Active: true}, false},
	} {
		if got := tc.s.CanNumberInvoices(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.s, got, tc.want)
		}
	}
}
