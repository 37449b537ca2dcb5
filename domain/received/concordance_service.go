package received

import (
	"context"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// ConcordanceStore is what concordancia reads and writes (*sqlite.Store).
type ConcordanceStore interface {
	// ReceivedDoc returns an imported document with its XML.
	ReceivedDoc(ctx context.Context, id int64) (Doc, error)
	// CustomerByRFC returns the active customer with rfc (the lowest id
	// when several); false when there is none.
	CustomerByRFC(ctx context.Context, rfc string) (sales.Customer, bool, error)
	CreateCustomer(ctx context.Context, c *sales.Customer) error
	FindProductByID(ctx context.Context, id int64) (sales.Product, error)
	// Mappings returns what issuer's memory holds for customerID.
	Mappings(ctx context.Context, issuer string, customerID int64) ([]Mapping, error)
	// Remember adds one confirmation to each mapping of customerID (a new
	// one starts at 1) and sets its last use to now, in one transaction.
	Remember(ctx context.Context, issuer string, customerID int64, ms []Mapping, now time.Time) error
}

// Concordancer makes invoices of Folio from external CFDI.
type Concordancer struct {
	Store  ConcordanceStore
	Sales  *sales.Service // saves the draft (SaveDraft) and knows the currencies
	Linker *Linker        // ties the draft to the external CFDI once accepted
	Clock  domain.Clock
}

// Start reads document docID and begins its concordancia: the customer is
// the one whose RFC is the XML's Receptor, else the generic customer
// (público en general, created when missing); each line takes its
// remembered product; the report is computed.
func (s *Concordancer) Start(ctx context.Context, docID int64) (*Concordance, error) {
	d, err := s.Store.ReceivedDoc(ctx, docID)
	if err != nil {
		return nil, err
	}
	if d.Direction != Emitido {
		return nil, domain.E(domain.Invalid, opConcordance, "La concordancia crea una factura de la empresa: elija un CFDI emitido por ella (pestaña Emitidos).", nil)
	}
	cust, ok, err := s.Store.CustomerByRFC(ctx, d.RfcReceptor)
	if err != nil {
		return nil, err
	}
	if !ok {
		if cust, ok, err = s.Store.CustomerByRFC(ctx, sales.RFCPublicoGeneral); err != nil {
			return nil, err
		}
		if !ok {
			cust = sales.PublicoGeneral()
			if err := s.Store.CreateCustomer(ctx, &cust); err != nil {
				return nil, err
			}
		}
	}
	mem, err := s.Store.Mappings(ctx, d.Issuer, cust.ID)
	if err != nil {
		return nil, err
	}
	c, err := NewConcordance(d, cust, mem)
	if err != nil {
		return nil, err
	}
	return c, s.Refresh(ctx, c)
}

// Refresh recomputes c with the products chosen now (ConceptLine.ProductID).
func (s *Concordancer) Refresh(ctx context.Context, c *Concordance) error {
	dec, ok := s.Sales.Catalogs.MonedaDecimals(c.Comprobante.Moneda)
	if !ok {
		return domain.E(domain.Invalid, opConcordance, "La moneda del CFDI no está en el catálogo del SAT.", nil)
	}
	var ferr error
	err := c.Refresh(func(id int64) (sales.Product, bool) {
		p, err := s.Store.FindProductByID(ctx, id)
		if err != nil {
			if domain.KindOf(err) != domain.NotFound && ferr == nil {
				ferr = err
			}
			return sales.Product{}, false
		}
		return p, true
	}, dec)
	if ferr != nil {
		return ferr
	}
	return err
}

// Accepted is the outcome of Accept.
type Accepted struct {
	Invoice sales.Invoice // the saved draft, or the invoice once linked
	Linked  bool
	// LinkRefusal says, when link was asked and Link refused, which rule
	// failed; the draft stays a draft then.
	LinkRefusal string
}

// Accept recomputes c, and when its report has no ERROR saves the draft
// (sales.Service.SaveDraft), remembers each line's description → product
// for the customer and, when link is true, links the draft to the external
// CFDI (Linker.Link) so that it is not stamped a second time: the external
// CFDI is the sale's fiscal document. A link refusal leaves the draft and
// is reported in Accepted.LinkRefusal.
func (s *Concordancer) Accept(ctx context.Context, c *Concordance, link bool) (Accepted, error) {
	if err := s.Refresh(ctx, c); err != nil {
		return Accepted{}, err
	}
	ms, err := c.Accepted()
	if err != nil {
		return Accepted{}, err
	}
	inv := c.Invoice
	inv.ID = 0
	inv.Lines = append([]sales.Line(nil), c.Invoice.Lines...)
	if _, err := s.Sales.SaveDraft(ctx, &inv); err != nil {
		return Accepted{}, err
	}
	now := domain.SystemClock()
	if s.Clock != nil {
		now = s.Clock()
	}
	if err := s.Store.Remember(ctx, inv.Issuer, inv.CustomerID, ms, now); err != nil {
		return Accepted{Invoice: inv}, err
	}
	out := Accepted{Invoice: inv}
	if !link || s.Linker == nil {
		return out, nil
	}
	linked, err := s.Linker.Link(ctx, inv.ID, c.Doc.ID)
	if err != nil {
		out.LinkRefusal = strings.TrimSpace(domain.UserMessage(err))
		return out, nil
	}
	out.Invoice, out.Linked = linked, true
	return out, nil
}
