package stamping

import (
	"context"
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/event"
)

// CancelRequest asks SAT, through the PAC, to cancel a stamped CFDI 4.0.
// Motivo is SAT's c_MotivoCancelacion: 01 (errors with relation: requires
// FolioSustitucion, the UUID of the replacing CFDI), 02 (errors without
// relation), 03 (operation not carried out), 04 (nominative operation in a
// global invoice).
type CancelRequest struct {
	IssuerRFC        string
	UUID             string
	Motivo           string
	FolioSustitucion string
}

// Validate checks motivo and folio de sustitución (Anexo 20, cancelación 2022).
func (r CancelRequest) Validate() error {
	const op = "stamping.CancelRequest.Validate"
	switch r.Motivo {
	case "01":
		if r.FolioSustitucion == "" {
			return domain.E(domain.Invalid, op, "El motivo 01 requiere el folio fiscal (UUID) del comprobante que lo sustituye.", nil)
		}
	case "02", "03", "04":
		if r.FolioSustitucion != "" {
			return domain.E(domain.Invalid, op, "El folio de sustitución solo se indica con el motivo 01.", nil)
		}
	default:
		return domain.E(domain.Invalid, op, "El motivo de cancelación debe ser 01, 02, 03 o 04.", nil)
	}
	if r.IssuerRFC == "" || r.UUID == "" {
		return domain.E(domain.Invalid, op, "Indique el RFC emisor y el folio fiscal (UUID) a cancelar.", nil)
	}
	return nil
}

// CancelReceipt is SAT's answer to a cancellation request. Acuse is SAT's
// signed acknowledgment, kept verbatim: it proves the request was received,
// not that the CFDI is cancelled.
type CancelReceipt struct {
	Acuse       []byte
	EstatusUUID string // 201 accepted, 202 previously cancelled
}

// StatusQuery identifies a CFDI for SAT's status service.
type StatusQuery struct {
	Emisor, Receptor, Total, UUID string
	Sello                         string // the Comprobante's Sello; its last 8 characters are sent
}

// SATStatus is what SAT's status service says of a CFDI: Estado (Vigente,
// Cancelado, No Encontrado), EsCancelable and EstatusCancelacion ("", "En
// proceso", "Cancelado sin aceptación", "Cancelado con aceptación", "Plazo
// vencido", "Solicitud rechazada").
type SATStatus struct {
	CodigoEstatus, Estado, EsCancelable, EstatusCancelacion string
}

// Canceller is the PAC's cancellation service. Cancel returns the receipt
// with a nil error for SAT codes 201 and 202 only.
type Canceller interface {
	Cancel(ctx context.Context, r CancelRequest) (CancelReceipt, error)
	CancelStatus(ctx context.Context, q StatusQuery) (SATStatus, error)
}

// Cancellation is a cancellation request of a document and its last known
// SAT status.
type Cancellation struct {
	ID          int64
	DocumentID  int64
	Request     CancelRequest
	Receipt     CancelReceipt
	Status      SATStatus
	RequestedAt time.Time
	CheckedAt   time.Time
}

// Label is the Spanish state of the cancellation shown to users.
func (c Cancellation) Label() string {
	switch {
	case c.Status.Estado == "Cancelado" || c.Receipt.EstatusUUID == "202":
		return "Cancelada"
	case c.Status.EstatusCancelacion == "Solicitud rechazada":
		return "Cancelación rechazada"
	}
	return "Cancelación en proceso"
}

// CancelStore keeps cancellation requests with their acuse.
type CancelStore interface {
	SaveCancellation(ctx context.Context, c Cancellation) (int64, error)
	UpdateCancelStatus(ctx context.Context, id int64, s SATStatus, checkedAt time.Time) error
	// LastCancellation returns the newest cancellation of a document; NotFound if none.
	LastCancellation(ctx context.Context, documentID int64) (Cancellation, error)
}

// CancelGuard asks the document's lifecycle (domain/sales) whether a
// cancellation may be requested now: not while one is in process, not once
// cancelled. It returns the Spanish reason as an error.
type CancelGuard interface {
	AllowCancel(ctx context.Context, documentID int64) error
}

// CancelHolder is a CancelGuard that checks and holds in one step: it
// refuses what AllowCancel refuses, and otherwise holds the document until
// until (or ReleaseCancel), so that no payment receipt or credit note can
// be posted against it while SAT is asked (sales.CancelHoldTx), nor
// another cancellation request be made from another workstation. The
// hold ends by itself at until, should Folio stop during the PAC call.
type CancelHolder interface {
	HoldCancel(ctx context.Context, documentID int64, until time.Time) error
	ReleaseCancel(ctx context.Context, documentID int64) error
}

// cancelHold is how long a document stays held while its cancellation is
// asked: well beyond a PAC call's timeout.
const cancelHold = 5 * time.Minute

// Cancellations requests cancellations of stamped documents and follows
// them, each through the PAC account of its issuer that stamped it.
type Cancellations struct {
	Documents Store
	Store     CancelStore
	PACs      PACs
	Guard     CancelGuard     // nil: only the stamp is checked
	Events    event.Publisher // announces requests and SAT's answers; may be nil
	Now       domain.Clock
}

// canceller returns the cancellation service of the account that stamped
// document d: a stamp is cancelled, and its SAT status asked, at the PAC
// that issued it (Finkok cancels only its own stamps), whether that is the
// issuer's primary or its secondary (Document.Account, recorded with the
// stamp, names it among the issuer's Route when PACs is a Router). A
// document stamped before accounts were recorded, or at an account the
// issuer no longer has, goes to the account PACFor returns now.
func (s *Cancellations) canceller(ctx context.Context, d Document) (Canceller, error) {
	a, err := s.stampedBy(ctx, d)
	if err != nil {
		return nil, err
	}
	if a.Canceller == nil {
		return nil, domain.E(domain.Unavailable, "stamping.Cancellations", "La cuenta del PAC de "+d.IssuerRFC+" no permite cancelar desde Folio.", nil)
	}
	return a.Canceller, nil
}

// AccountFinder is a PACs that can make one of an issuer's accounts by
// its key without the others: a document stamped at the secondary is
// cancelled there even while the primary account cannot be used (its
// password unreadable, its settings incomplete), which RouteFor refuses.
type AccountFinder interface {
	// AccountFor returns issuerRFC's account whose Key is key; found is
	// false when the issuer has no such account now.
	AccountFor(ctx context.Context, issuerRFC, key string) (a Account, found bool, err error)
}

// stampedBy finds the account that stamped d (see canceller).
func (s *Cancellations) stampedBy(ctx context.Context, d Document) (Account, error) {
	if f, ok := s.PACs.(AccountFinder); ok && d.Account != "" {
		a, found, err := f.AccountFor(ctx, d.IssuerRFC, d.Account)
		if err != nil {
			return Account{}, err
		}
		if found {
			return a, nil
		}
	} else if r, ok := s.PACs.(Router); ok && d.Account != "" {
		if route, err := r.RouteFor(ctx, d.IssuerRFC); err == nil {
			for _, a := range []*Account{&route.Primary, route.Secondary} {
				if a != nil && a.Key == d.Account {
					return *a, nil
				}
			}
		}
	}
	return s.PACs.PACFor(ctx, d.IssuerRFC)
}

// Request asks SAT to cancel a stamped document and keeps the acuse. Only an
// accepted request (SAT code 201 or 202) is stored; any other answer is
// returned as an error (Unavailable for 205: SAT does not know the UUID
// yet, try later; Rejected with the SAT code otherwise).
func (s *Cancellations) Request(ctx context.Context, documentID int64, motivo, folioSustitucion string) (Cancellation, error) {
	const op = "stamping.Cancellations.Request"
	d, err := s.Documents.Document(ctx, documentID)
	if err != nil {
		return Cancellation{}, err
	}
	if d.State != StateStamped || d.UUID == "" {
		return Cancellation{}, domain.E(domain.Conflict, op, "Solo se puede cancelar un comprobante timbrado.", nil)
	}
	req := CancelRequest{IssuerRFC: d.IssuerRFC, UUID: d.UUID, Motivo: motivo, FolioSustitucion: folioSustitucion}
	if err := req.Validate(); err != nil {
		return Cancellation{}, err
	}
	if h, ok := s.Guard.(CancelHolder); ok {
		if err := h.HoldCancel(ctx, documentID, s.now().Add(cancelHold)); err != nil {
			return Cancellation{}, err
		}
		// Released once the request is recorded (its state then refuses
		// what the hold refused) or refused; on a canceled ctx too.
		defer h.ReleaseCancel(context.WithoutCancel(ctx), documentID)
	} else if s.Guard != nil {
		if err := s.Guard.AllowCancel(ctx, documentID); err != nil {
			return Cancellation{}, err
		}
	}
	pac, err := s.canceller(ctx, d)
	if err != nil {
		return Cancellation{Request: req}, err
	}
	rec, err := pac.Cancel(ctx, req)
	if err != nil {
		return Cancellation{Request: req, Receipt: rec}, err
	}
	c := Cancellation{DocumentID: documentID, Request: req, Receipt: rec, RequestedAt: s.now()}
	if c.ID, err = s.Store.SaveCancellation(ctx, c); err != nil {
		return c, fmt.Errorf("save cancellation of %s: %w", d.UUID, err)
	}
	event.Publish(s.Events, event.Event{Kind: event.CancellationRequested, IssuerRFC: d.IssuerRFC, DocumentID: documentID})
	return c, nil
}

// Refresh asks SAT for the current status of the document's last
// cancellation request and stores it.
func (s *Cancellations) Refresh(ctx context.Context, documentID int64) (Cancellation, error) {
	c, err := s.Store.LastCancellation(ctx, documentID)
	if err != nil {
		return c, err
	}
	d, err := s.Documents.Document(ctx, documentID)
	if err != nil {
		return c, err
	}
	doc, err := cfdi.Parse(d.StampedXML)
	if err != nil {
		return c, err
	}
	pac, err := s.canceller(ctx, d)
	if err != nil {
		return c, err
	}
	st, err := pac.CancelStatus(ctx, StatusQuery{Emisor: doc.Emisor.Rfc, Receptor: doc.Receptor.Rfc, Total: doc.Total, UUID: d.UUID, Sello: doc.Sello})
	if err != nil {
		return c, err
	}
	c.Status, c.CheckedAt = st, s.now()
	if err := s.Store.UpdateCancelStatus(ctx, c.ID, st, c.CheckedAt); err != nil {
		return c, err
	}
	event.Publish(s.Events, event.Event{Kind: event.CancellationAnswered, IssuerRFC: d.IssuerRFC, DocumentID: documentID})
	return c, nil
}

func (s *Cancellations) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}
