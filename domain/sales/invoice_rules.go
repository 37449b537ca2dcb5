package sales

import (
	"fmt"
	"strconv"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/shopspring/decimal"
)

// This file holds the rules an invoice editor applies while the user types:
// which actions the document's state allows, which header fields apply,
// which values they may take and which the rules fix. Validate enforces the
// same rules when the invoice is posted; both call the helpers below, so a
// screen that shows FieldRules never disagrees with Validate.

// OptionCatalogs is what FieldRules and SetCustomer consult: the sales rules
// and the entries of a SAT catalog, to offer them. *sat.Catalogs satisfies
// it.
type OptionCatalogs interface {
	Catalogs
	List(catalog string) []sat.Entry
}

// Field is the domain's verdict on one field of an invoice being edited.
// Screens present it (enable, hide, fix, offer); they do not decide it.
type Field struct {
	// Applies is false when the field means nothing for this invoice (the
	// exchange rate in MXN, the factura global outside sales to the general
	// public): the screen disables or hides it and sends nothing.
	Applies bool
	// Required is true when posting needs a value in the field.
	Required bool
	// Fixed is true when the rules set the value (Value) and the user
	// cannot change it; Reason says why, in Spanish.
	Fixed  bool
	Value  string
	Reason string
	// Options are the values the field may take, in catalog order; nil for
	// a field that is not a catalog choice.
	Options []sat.Entry
}

// FieldRules is the verdict on an invoice being edited: what its state
// allows (from the lifecycle, State.Allowed), whether its customer may buy
// on credit, and the header fields whose availability depends on the
// customer, the terms and the currency.
type FieldRules struct {
	Edit  error // nil while the invoice may change and be saved as a draft
	Post  error // nil while it may be posted (folio, seal, stamp queue)
	Print error // nil once it has a sealed XML to print

	// Credit is nil when a sale on credit (PPD) may be made to the
	// customer, else a FieldError of field "Terms" saying why not.
	Credit error

	UsoCFDI    Field // Options: the usos allowed for the customer's régimen
	FormaPago  Field // fixed to 99 on credit; 99 is not offered on cash
	TipoCambio Field // applies (and is required) only in a currency other than MXN
	Global     Field // applies (and is required) only to the general public
}

// state is the invoice's place in its life; an invoice never stored is a
// draft.
func (inv *Invoice) state() State {
	if inv.State == "" {
		return StateDraft
	}
	return inv.State
}

// FieldRules returns the verdict on inv as it stands. It reads inv and the
// catalogs; it changes nothing.
func (inv *Invoice) FieldRules(cat OptionCatalogs) FieldRules {
	st := inv.state()
	r := FieldRules{
		Edit:   st.Allowed(EventEdit),
		Post:   st.Allowed(EventPost),
		Credit: inv.creditAllowed(),
		UsoCFDI: Field{Applies: true, Required: true,
			Options: usoOptions(cat, inv.Customer.RegimenFiscal)},
		FormaPago:  Field{Applies: true, Required: true},
		TipoCambio: Field{Applies: inv.Moneda != "MXN", Required: inv.Moneda != "MXN"},
		Global:     Field{Applies: inv.Customer.takesGlobal(), Required: inv.Customer.takesGlobal()},
	}
	if st == StateDraft {
		r.Print = domain.E(domain.Conflict, "print invoice", "El borrador todavía no tiene representación impresa: emítalo primero.", nil)
	}
	formas := cat.List(sat.FormaPago)
	if inv.Terms == Credito {
		r.FormaPago.Fixed, r.FormaPago.Value = true, FormaPagoPorDefinir
		r.FormaPago.Reason = msgCreditFormaPago
		r.FormaPago.Options = filterEntries(formas, func(k string) bool { return k == FormaPagoPorDefinir })
	} else {
		r.FormaPago.Options = filterEntries(formas, func(k string) bool { return k != FormaPagoPorDefinir })
	}
	return r
}

// msgCreditPublico and msgCreditFormaPago are the reasons of the credit
// rules (Anexo 20 v4.0, Guía de llenado, MetodoPago and FormaPago: PPD
// needs FormaPago 99; a sale to the general public is paid at once).
const (
	msgCreditPublico   = "No se puede vender a crédito al público en general."
	msgCreditFormaPago = "En una venta a crédito la forma de pago es 99 (Por definir)."
)

// creditRefusal says why c may not buy on credit, "" when it may. Only the
// general public is refused here: a customer without credit days may still
// get a credit invoice (its default terms are cash, see SetCustomer).
func creditRefusal(c *Customer) string {
	if c.IsPublicoGeneral() {
		return msgCreditPublico
	}
	return ""
}

// creditAllowed returns nil when inv's customer may buy on credit, else a
// FieldError on "Terms".
func (inv *Invoice) creditAllowed() error {
	msg := creditRefusal(&inv.Customer)
	if msg == "" {
		return nil
	}
	return &FieldError{Field: "Terms", Err: domain.E(domain.Invalid, "choose terms", msg, nil)}
}

// takesGlobal reports whether an invoice to c is a factura global: the
// receptor is XAXX010101000 with the name "PUBLICO EN GENERAL" (Anexo 20
// v4.0, Guía de llenado, InformacionGlobal).
func (c *Customer) takesGlobal() bool {
	return c.IsPublicoGeneral() && c.Name == NombrePublicoGeneral
}

// usoOptions returns the c_UsoCFDI entries allowed for the receptor's
// régimen (c_UsoCFDI, "Régimen Fiscal Receptor"); every one while the
// régimen is not known yet.
func usoOptions(cat OptionCatalogs, regimen string) []sat.Entry {
	all := cat.List(sat.UsoCFDI)
	if regimen == "" {
		return all
	}
	return filterEntries(all, func(k string) bool { return cat.UsoCFDIAllowed(k, regimen) })
}

func filterEntries(entries []sat.Entry, keep func(key string) bool) []sat.Entry {
	out := []sat.Entry{}
	for _, e := range entries {
		if keep(e.Key) {
			out = append(out, e)
		}
	}
	return out
}

func offered(entries []sat.Entry, key string) bool {
	for _, e := range entries {
		if e.Key == key && key != "" {
			return true
		}
	}
	return false
}

// SetTerms makes t the invoice's payment terms and applies what they
// force: on credit the FormaPago becomes 99 (Por definir); back on cash a
// 99 is cleared so the user chooses the real one. Credit to a customer who
// may not have it is refused with FieldRules' Credit error and inv is left
// as it was.
func (inv *Invoice) SetTerms(t PaymentTerms) error {
	if t == Credito {
		if err := inv.creditAllowed(); err != nil {
			return err
		}
		inv.Terms, inv.FormaPago = Credito, FormaPagoPorDefinir
		return nil
	}
	inv.Terms = t
	if inv.FormaPago == FormaPagoPorDefinir {
		inv.FormaPago = ""
	}
	return nil
}

// SetCustomer makes c the receptor and applies its defaults: its UsoCFDI
// when allowed for its régimen (else none), credit when it buys on credit
// (MetodoPago PPD and AllowsCredit) and otherwise cash with its FormaPago
// when it has a real one (a 99 or an unknown key keeps the current one).
func (inv *Invoice) SetCustomer(c Customer, cat OptionCatalogs) {
	inv.Customer, inv.CustomerID = c, c.ID
	inv.UsoCFDI = ""
	if offered(usoOptions(cat, c.RegimenFiscal), c.UsoCFDI) {
		inv.UsoCFDI = c.UsoCFDI
	}
	if c.MetodoPago == "PPD" && c.AllowsCredit() {
		inv.Terms, inv.FormaPago = Credito, FormaPagoPorDefinir
		return
	}
	if c.FormaPago != "" && c.FormaPago != FormaPagoPorDefinir && cat.FormaPagoExists(c.FormaPago) {
		inv.FormaPago = c.FormaPago
	}
	_ = inv.SetTerms(Contado) // cash is always allowed
}

// DefaultGlobal is the InformacionGlobal a new factura global proposes: the
// month and year of now in Mexico City; the periodicity is the user's
// choice.
func DefaultGlobal(now time.Time) Global {
	m := now.In(domain.MexicoCity)
	return Global{Meses: fmt.Sprintf("%02d", m.Month()), Anio: strconv.Itoa(m.Year())}
}

// ObjetoImpNo is c_ObjetoImp "01 No objeto de impuesto".
const ObjetoImpNo = "01"

// TaxesApply reports whether l carries taxes (IVA, IEPS, withholdings): only
// a concept "Sí objeto de impuesto" (02) does (Anexo 20 v4.0, c_ObjetoImp).
func (l *Line) TaxesApply() bool { return l.ObjetoImp == ObjetoImpSi }

// SetTaxable makes l "objeto de impuesto" (02) or not. A concept that stops
// being one takes 01 "No objeto de impuesto", unless it already carries
// another key that is not 02 (03, 04…, kept from its product), and loses
// its taxes.
func (l *Line) SetTaxable(taxable bool) {
	if taxable {
		l.ObjetoImp = ObjetoImpSi
		return
	}
	if l.ObjetoImp == "" || l.ObjetoImp == ObjetoImpSi {
		l.ObjetoImp = ObjetoImpNo
	}
	l.Taxes = Taxes{}
}

// SetIEPS sets the IEPS rate or quota of t: zero removes the IEPS; a
// positive value keeps the factor t already has (a product's Cuota) and is
// a Tasa otherwise.
func (t *Taxes) SetIEPS(valor decimal.Decimal) {
	if !valor.IsPositive() {
		t.IEPSFactor, t.IEPSValor = "", decimal.Zero
		return
	}
	if t.IEPSFactor == "" {
		t.IEPSFactor = FactorTasa
	}
	t.IEPSValor = valor
}

// CanNumberInvoices reports whether s may number invoices (Series.CanNumber
// for TipoIngreso): the series an invoice editor offers.
func (s *Series) CanNumberInvoices() bool { return s.CanNumber(TipoIngreso) == nil }
