package sales

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Status is where an invoice is in its life (DESIGN.md, "Invoice lifecycle").
type Status string

// The statuses an invoice row can have. The list screen's tabs map onto
// them: Borradores = StatusDraft, Generadas = StatusSealed, Emitidas =
// StatusStamped, Canceladas = StatusCancelled.
const (
	StatusDraft     Status = "draft"     // editable, no folio
	StatusSealed    Status = "sealed"    // folio assigned, XML sealed, stamp job queued
	StatusStamped   Status = "stamped"   // the PAC returned the TimbreFiscalDigital
	StatusCancelled Status = "cancelled" // cancelled before SAT
	// StatusReverted is not stored: it selects, in the list, the invoices
	// whose stock exit the warehouse reverted and that are not cancelled
	// yet (InvoiceRow.Reverted).
	StatusReverted Status = "reverted"
)

// Label returns the Spanish name of the status for lists.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "Borrador"
	case StatusSealed:
		return "Generada"
	case StatusStamped:
		return "Emitida"
	case StatusCancelled:
		return "Cancelada"
	}
	return string(s)
}

// PaymentTerms is how the customer pays: cash (Contado → MetodoPago PUE) or
// credit (Crédito → PPD with FormaPago 99).
type PaymentTerms string

// The payment terms.
const (
	Contado PaymentTerms = "contado"
	Credito PaymentTerms = "credito"
)

// MetodoPago returns the c_MetodoPago of the terms (Anexo 20 v4.0, Guía de
// llenado, MetodoPago: PUE when paid in full at issue, PPD otherwise).
func (t PaymentTerms) MetodoPago() string {
	if t == Credito {
		return "PPD"
	}
	return "PUE"
}

// FormaPagoPorDefinir is c_FormaPago "99 Por definir", mandatory with PPD.
const FormaPagoPorDefinir = "99"

// Global is the InformacionGlobal node of a factura global to the general
// public (Anexo 20 v4.0, InformacionGlobal): c_Periodicidad, c_Meses and the
// four-digit year.
type Global struct {
	Periodicidad string
	Meses        string
	Anio         string
}

// Line is one concept of an invoice. Amounts are computed from Cantidad,
// ValorUnitario, Descuento and Taxes by domain/tax; nothing computed is
// stored in the line.
type Line struct {
	ProductID        int64 // 0 for a line typed by hand
	NoIdentificacion string
	Cantidad         decimal.Decimal // up to 6 decimals
	ClaveUnidad      string
	Unidad           string
	ClaveProdServ    string
	Descripcion      string
	ValorUnitario    decimal.Decimal // up to 6 decimals
	Descuento        decimal.Decimal // amount, not rate; currency decimals
	ObjetoImp        string
	Taxes            Taxes
	Credits          *LineRef // on a credit note: the invoice line it credits
	// ThirdParty is whom the concept is billed on behalf of
	// (ACuentaTerceros); nil when it is on the company's own account.
	ThirdParty *ThirdPartyRef
}

// OnBehalf reports whether the line is billed on behalf of a third party.
func (l *Line) OnBehalf() bool { return l.ThirdParty != nil }

// LineFromProduct returns a line of qty units of p with p's keys, price and
// taxes; the caller may edit them afterwards.
func LineFromProduct(p *Product, qty decimal.Decimal) Line {
	return Line{
		ProductID:        p.ID,
		NoIdentificacion: p.Code,
		Cantidad:         qty,
		ClaveUnidad:      p.ClaveUnidad,
		Unidad:           p.Unit,
		ClaveProdServ:    p.ClaveProdServ,
		Descripcion:      p.Description,
		ValorUnitario:    p.Price,
		ObjetoImp:        p.ObjetoImp,
		Taxes:            p.Taxes,
	}
}

// Invoice is a factura (TipoDeComprobante I) from draft to sealed. While a
// draft it has no folio; Post assigns Serie's next folio, seals the CFDI and
// keeps SealedXML verbatim (the fiscal truth from then on).
type Invoice struct {
	ID                int64
	Issuer            string     // RFC of the Emisor
	State             State      // where it is in its life (lifecycle.go)
	Status            Status     // the list tab, State.Status()
	TipoDeComprobante string     // TipoIngreso (default) or TipoEgreso
	CreditKind        CreditKind // on a credit note against invoices: return or rebate
	Serie             string
	Folio             int64 // 0 until posted
	Fecha             time.Time
	CustomerID        int64
	Customer          Customer // the receptor; loaded by the store, refreshed at post
	UsoCFDI           string
	Terms             PaymentTerms
	FormaPago         string // c_FormaPago; forced to 99 on credit
	Moneda            string // c_Moneda, "MXN" by default
	TipoCambio        decimal.Decimal
	CondicionesDePago string
	OrderRef          string // the customer's order number
	Notes             string
	DeliveryDate      time.Time // credit note: when the returned goods came back; zero if not given
	RefundAccount     int64     // credit note of a cash sale: the cash or bank account the refund is paid from; 0 none
	DepositAccount    int64     // cash sale (PUE invoice): the cash or bank account its collection went into when posted; 0 none
	WarehouseID       int64     // the bodega an invoice's stock exit leaves from; 0 the company's default warehouse
	Global            *Global   // factura global to the general public
	Relations         []Relation
	Lines             []Line
	Payment           *Payment     // on a payment receipt (TipoPago): the payment and the documents it pays
	Details           *SaleDetails // sale header data (sellers, shipping, collect-from…); nil for an ordinary invoice

	// Filled by the store once posted.
	UUID      string // from the TimbreFiscalDigital, when stamped
	SealedXML []byte
	Total     decimal.Decimal // as computed when last saved (for lists)
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Relation is one CfdiRelacionado of a document (Anexo 20 v4.0,
// CfdiRelacionados): the c_TipoRelacion and the related CFDI's UUID.
// DocumentID is the related document in this installation, 0 when it was
// issued elsewhere.
type Relation struct {
	TipoRelacion string
	UUID         string
	DocumentID   int64
	// Credited is, on a posted credit note, the part of its total that
	// credits this invoice (SetCreditShares); zero otherwise.
	Credited decimal.Decimal
}

// CustomID returns the stamp idempotency key (the PAC's customid) of a
// document: one per issuer, serie and folio, so every re-seal of the same
// folio keeps it and a PAC that saw it before answers with the earlier
// stamp instead of stamping twice (design decision 4).
func CustomID(issuer, serie string, folio int64) string {
	return "folio-" + issuer + "-" + serie + "-" + strconv.FormatInt(folio, 10)
}

// MetodoPago returns the invoice's c_MetodoPago, derived from its terms.
func (inv *Invoice) MetodoPago() string { return inv.Terms.MetodoPago() }

// EffectiveFormaPago returns the FormaPago that goes into the CFDI: 99 on
// credit, the chosen one on cash.
func (inv *Invoice) EffectiveFormaPago() string {
	if inv.Terms == Credito {
		return FormaPagoPorDefinir
	}
	return inv.FormaPago
}

// FolioText returns "SERIE-FOLIO", or "" for a draft.
func (inv *Invoice) FolioText() string {
	if inv.Folio == 0 {
		return ""
	}
	return inv.Serie + "-" + strconv.FormatInt(inv.Folio, 10)
}

// Normalize trims the header text and applies the defaults: type I, MXN,
// cash terms.
func (inv *Invoice) Normalize() {
	if inv.TipoDeComprobante == "" {
		inv.TipoDeComprobante = TipoIngreso
	}
	inv.Moneda = strings.ToUpper(strings.TrimSpace(inv.Moneda))
	if inv.Moneda == "" {
		inv.Moneda = "MXN"
	}
	if inv.Terms == "" {
		inv.Terms = Contado
	}
	inv.Serie = strings.ToUpper(strings.TrimSpace(inv.Serie))
	inv.UsoCFDI = strings.ToUpper(strings.TrimSpace(inv.UsoCFDI))
	inv.FormaPago = strings.TrimSpace(inv.FormaPago)
	if inv.Terms == Credito {
		inv.FormaPago = FormaPagoPorDefinir
	}
	inv.CondicionesDePago = strings.TrimSpace(inv.CondicionesDePago)
	for i := range inv.Relations {
		r := &inv.Relations[i]
		r.TipoRelacion = strings.TrimSpace(r.TipoRelacion)
		r.UUID = strings.ToUpper(strings.TrimSpace(r.UUID))
	}
	if inv.Details != nil {
		inv.Details.Normalize()
	}
	for i := range inv.Lines {
		l := &inv.Lines[i]
		l.Descripcion = strings.Join(strings.Fields(l.Descripcion), " ")
		l.ClaveUnidad = strings.ToUpper(strings.TrimSpace(l.ClaveUnidad))
		l.ClaveProdServ = strings.TrimSpace(l.ClaveProdServ)
	}
}
