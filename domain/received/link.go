package received

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
)

// Adoption is what linking an external CFDI to an invoice records, in one
// transaction: the invoice in its new state (stamped) with the serie,
// folio, Fecha, UUID, terms and forma of the XML; the external XML
// verbatim as its sealed and stamped document; its derived amounts; and
// the receivable it opens when it is paid later (PPD).
type Adoption struct {
	Invoice   sales.Invoice
	From      sales.State
	DocID     int64  // the received_cfdi row
	FolioText string // Folio as written in the XML ("" when absent)
	UUID      string
	XML       []byte // the external document, verbatim
	Fecha     time.Time
	StampedAt time.Time // the TFD's FechaTimbrado
	Amounts   sales.Amounts
	DueDate   time.Time
	Balances  []receivables.Change
}

// LinkTx is what Link reads and writes inside its one transaction.
type LinkTx interface {
	// LoadDocument returns the invoice with its lines and customer.
	LoadDocument(ctx context.Context, id int64) (sales.Invoice, error)
	// LoadReceived returns an imported document with its XML and the
	// invoice it is linked to (0 none).
	LoadReceived(ctx context.Context, id int64) (Doc, error)
	// RecordAdoption writes a: the invoice only if still in a.From.
	RecordAdoption(ctx context.Context, a *Adoption) error
}

// LinkStore runs the link's unit of work (*sqlite.Store).
type LinkStore interface {
	LinkTx(ctx context.Context, fn func(tx LinkTx) error) error
}

// Linker ties external CFDI to invoices of Folio.
type Linker struct {
	Store LinkStore
	// Decimals returns the decimals of a currency (c_Moneda).
	Decimals func(moneda string) (int32, bool)
	// Events hears of each link as a posted document (may be nil).
	Events event.Publisher
}

const opLink = "received.Link"

// ruleRefusal is a refusal of the link naming the rule that failed.
func ruleRefusal(rule, detail string) error {
	return domain.E(domain.Conflict, opLink, "No se puede vincular: "+rule+". "+detail, nil)
}

// Link makes invoice invoiceID take imported document docID as its fiscal
// document (CheckLink decides, inside the store's transaction).
func (l *Linker) Link(ctx context.Context, invoiceID, docID int64) (sales.Invoice, error) {
	var out sales.Invoice
	err := l.Store.LinkTx(ctx, func(tx LinkTx) error {
		inv, err := tx.LoadDocument(ctx, invoiceID)
		if err != nil {
			return err
		}
		d, err := tx.LoadReceived(ctx, docID)
		if err != nil {
			return err
		}
		a, err := CheckLink(inv, d, l.Decimals)
		if err != nil {
			return err
		}
		if err := tx.RecordAdoption(ctx, &a); err != nil {
			return err
		}
		out = a.Invoice
		return nil
	})
	if err != nil {
		return sales.Invoice{}, err
	}
	event.Publish(l.Events, event.Event{Kind: event.DocumentPosted, IssuerRFC: out.Issuer, InvoiceID: out.ID})
	return out, nil
}

// CheckLink decides whether invoice inv may take document d (with its XML)
// as its fiscal document, and what is recorded then. The rules, each
// refusal naming the one that failed (Conflict, Spanish):
//
//   - the invoice is an invoice (Ingreso) and not cancelled;
//   - it has no document yet: a draft (the lifecycle's EventAdopt);
//   - the CFDI is not linked to another invoice, is a stamped CFDI 4.0
//     whose verification passed, and is of the company (its Emisor);
//   - the CFDI is an Ingreso;
//   - its Receptor RFC is the customer's;
//   - its currency and Total equal the invoice's (sales.Compute).
func CheckLink(inv sales.Invoice, d Doc, decimals func(string) (int32, bool)) (Adoption, error) {
	if inv.TipoDeComprobante != "" && inv.TipoDeComprobante != sales.TipoIngreso {
		return Adoption{}, ruleRefusal("solo una factura (Ingreso) toma un CFDI externo", "Este documento de Folio no es una factura.")
	}
	switch inv.State {
	case sales.StateCancelled, sales.StateCancelRequested:
		return Adoption{}, ruleRefusal("la factura no debe estar cancelada", "Esta factura está «"+inv.State.Label()+"».")
	}
	next, err := inv.State.Next(sales.EventAdopt)
	if err != nil {
		return Adoption{}, ruleRefusal("la factura no debe tener documento todavía (debe ser un borrador)", domain.UserMessage(err))
	}
	if d.InvoiceID != 0 {
		return Adoption{}, ruleRefusal("el CFDI no debe estar vinculado a otra factura", "Ya está vinculado a otra factura de Folio.")
	}
	if d.Historical || d.UUID == "" {
		return Adoption{}, ruleRefusal("el CFDI debe ser 4.0 y estar timbrado", "Este comprobante es "+versionText(d)+".")
	}
	if !d.OK {
		return Adoption{}, ruleRefusal("la verificación del CFDI debe ser correcta", d.Verdict)
	}
	c, err := cfdi.Parse(d.XML)
	if err != nil {
		return Adoption{}, ruleRefusal("el CFDI debe poder leerse", domain.UserMessage(err))
	}
	if c.TipoDeComprobante != "I" {
		return Adoption{}, ruleRefusal("el CFDI debe ser de tipo Ingreso", "Este es de tipo «"+c.TipoDeComprobante+"».")
	}
	if !strings.EqualFold(strings.TrimSpace(c.Emisor.Rfc), inv.Issuer) {
		return Adoption{}, ruleRefusal("el emisor del CFDI debe ser la empresa de la factura",
			"Emisor del CFDI: "+c.Emisor.Rfc+"; empresa: "+inv.Issuer+".")
	}
	if !strings.EqualFold(strings.TrimSpace(c.Receptor.Rfc), inv.Customer.RFC) {
		return Adoption{}, ruleRefusal("el RFC del receptor debe ser el del cliente",
			"Receptor del CFDI: "+c.Receptor.Rfc+"; cliente de la factura: "+inv.Customer.RFC+".")
	}
	moneda := inv.Moneda
	if moneda == "" {
		moneda = "MXN"
	}
	if c.Moneda != moneda {
		return Adoption{}, ruleRefusal("la moneda debe ser la misma", "CFDI: "+c.Moneda+"; factura: "+moneda+".")
	}
	dec, ok := int32(2), true
	if decimals != nil {
		dec, ok = decimals(moneda)
	}
	if !ok {
		return Adoption{}, ruleRefusal("la moneda debe existir en el catálogo del SAT", moneda)
	}
	t, err := sales.Compute(&inv, dec)
	if err != nil {
		return Adoption{}, ruleRefusal("los totales deben ser iguales", "La factura no se puede calcular: "+domain.UserMessage(err))
	}
	xmlTotal, err := decimal.NewFromString(c.Total)
	if err != nil || !xmlTotal.Equal(t.Total) {
		return Adoption{}, ruleRefusal("los totales deben ser iguales",
			"Factura: "+t.Total.StringFixed(dec)+"; CFDI: "+c.Total+".")
	}
	amounts, _, err := sales.AmountsFromCFDI(c)
	if err != nil {
		return Adoption{}, ruleRefusal("los importes del CFDI deben poder leerse", domain.UserMessage(err))
	}
	fecha, err := time.ParseInLocation("2006-01-02T15:04:05", c.Fecha, domain.MexicoCity)
	if err != nil {
		return Adoption{}, ruleRefusal("la fecha del CFDI debe poder leerse", c.Fecha)
	}
	a := Adoption{From: inv.State, DocID: d.ID, FolioText: c.Folio, UUID: d.UUID, XML: d.XML, Fecha: fecha, Amounts: amounts}
	if c.Complemento != nil && c.Complemento.TimbreFiscalDigital != nil {
		tfd := c.Complemento.TimbreFiscalDigital
		a.StampedAt, _ = time.ParseInLocation("2006-01-02T15:04:05", tfd.FechaTimbrado, domain.MexicoCity)
	}
	if a.StampedAt.IsZero() {
		a.StampedAt = fecha
	}
	// The invoice takes what the XML says of it: the XML is the truth.
	inv.State, inv.Status = next, next.Status()
	inv.Serie, inv.Folio = c.Serie, 0
	if n, err := strconv.ParseInt(c.Folio, 10, 64); err == nil && n > 0 {
		inv.Folio = n
	}
	inv.Fecha, inv.UUID, inv.Total = fecha, d.UUID, t.Total
	inv.UsoCFDI, inv.FormaPago = c.Receptor.UsoCFDI, c.FormaPago
	inv.Terms = sales.Contado
	if c.MetodoPago == "PPD" {
		inv.Terms = sales.Credito
	}
	if inv.OpensReceivable() {
		a.DueDate = receivables.DueDate(fecha, inv.Customer.CreditDays)
		a.Balances = receivables.Posted(receivables.Doc{ID: inv.ID, Receivable: true, Total: t.Total})
	}
	a.Invoice = inv
	return a, nil
}

func versionText(d Doc) string {
	if d.UUID == "" && !d.Historical {
		return "un CFDI sin timbre fiscal"
	}
	return "un CFDI " + d.Version + " (histórico)"
}
