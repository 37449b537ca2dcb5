// Package dealer is the "Administrador de timbres": a reseller or an
// accountant who holds a dealer account at the PAC creates client accounts
// and hands out stamps to them (pac/README.md §6). The rules — what a
// client account needs, SW's password policy, never assigning more stamps
// than the dealer holds, never removing more than a client has — are
// checked here, in Spanish, before any call reaches the PAC through the
// API port. Because SW's API lists no movements, every assignment and
// removal Folio performs is also written to a Store ("Mis acciones").
//
// It imports no Fyne, database/sql or net/http.
package dealer

import (
	"context"
	"time"
)

// Client is a client account ("cuenta hija") of the dealer as the PAC
// reports it. AccessToken is the account's own long-lived token: a
// secret, never shown or logged.
type Client struct {
	ID                string
	Name              string
	RFC               string
	Email             string
	NotificationEmail string
	Phone             string
	Active            bool
	Stamps            int64
	Unlimited         bool
	Registered        time.Time
	AccessToken       string
}

// NewClient is what creating a client account needs. Stamps is the
// initial balance, taken from the dealer's; it is ignored (0) when
// Unlimited.
type NewClient struct {
	Name              string
	RFC               string
	Email             string
	NotificationEmail string
	Phone             string
	Password          string
	Stamps            int64
	Unlimited         bool
}

// ClientUpdate changes a client account; nil fields stay as they are.
type ClientUpdate struct {
	ID                string
	Name              *string
	RFC               *string
	NotificationEmail *string
	Phone             *string
	Unlimited         *bool
}

// Filter selects client accounts. Query matches an e-mail (it contains
// "@"), an RFC or an account id, as the PAC searches them; Page starts at
// 1 and PerPage defaults to 10 (SW's defaults).
type Filter struct {
	Query   string
	Active  *bool
	Page    int
	PerPage int
}

// Page is one page of client accounts and the totals the PAC reports.
type Page struct {
	Clients    []Client
	Page       int
	PerPage    int
	Total      int
	TotalPages int
}

// Balance is a stamp balance: what is available, what was used by
// stamping, what was ever assigned, and the last movement when the PAC
// gives it.
type Balance struct {
	AccountID string
	Stamps    int64
	Used      int64
	Assigned  int64
	Unlimited bool
	Last      *Movement
}

// Movement is a change of a stamp balance: stamps in or out, the balance
// after it and the comment. Folio is the PAC's number for it (0 for a
// movement Folio recorded itself before the PAC numbered it).
type Movement struct {
	Folio        int64
	Date         time.Time
	ClientID     string
	ClientName   string
	In           int64
	Out          int64
	BalanceAfter int64
	Comment      string
}

// Document is a CFDI stamped or received by a client account
// ("Comprobantes").
type Document struct {
	UUID        string
	Received    bool // the account's RFC is the receptor
	Serie       string
	Folio       string
	RFCEmisor   string
	RFCReceptor string
	Fecha       time.Time
	Estatus     string
	Total       string
	XMLURL      string
}

// API is the PAC's management API for a dealer account. Every error is a
// domain.Error with a Spanish message: Rejected when the PAC refused
// (its reason in the message), Unavailable when it could not be reached,
// NotFound for an unknown account or one of another dealer; an operation
// the PAC does not offer fails with an Invalid error wrapping
// ErrUnsupported whose message says so.
type API interface {
	// Clients lists or searches the dealer's client accounts, one page.
	Clients(ctx context.Context, f Filter) (Page, error)
	// CreateClient creates a client account and returns it.
	CreateClient(ctx context.Context, c NewClient) (Client, error)
	// UpdateClient changes a client account. Identical data is not an
	// error: changed is false.
	UpdateClient(ctx context.Context, u ClientUpdate) (changed bool, err error)
	// ChangePassword sets a client account's password.
	ChangePassword(ctx context.Context, id, password string) error
	// SetActive activates or deactivates a client account.
	SetActive(ctx context.Context, id string, active bool) error
	// DeleteClient deletes a client account.
	DeleteClient(ctx context.Context, id string) error
	// AddStamps moves n stamps from the dealer to client id and returns
	// the client's balance after it.
	AddStamps(ctx context.Context, id string, n int64, comment string) (int64, error)
	// RemoveStamps moves n stamps from client id back to the dealer and
	// returns the client's balance after it.
	RemoveStamps(ctx context.Context, id string, n int64, comment string) (int64, error)
	// OwnBalance is the dealer account's balance.
	OwnBalance(ctx context.Context) (Balance, error)
	// ClientBalance is a client account's balance.
	ClientBalance(ctx context.Context, id string) (Balance, error)
	// Documents lists the CFDI stamped (and received) by client id whose
	// date is within [from, to).
	Documents(ctx context.Context, id string, from, to time.Time) ([]Document, error)
	// DocumentXML downloads a document's XML.
	DocumentXML(ctx context.Context, d Document) ([]byte, error)
	// Issuers lists the issuer RFCs client id may stamp for (empty: any).
	Issuers(ctx context.Context, id string) ([]string, error)
	// SetIssuers replaces that list.
	SetIssuers(ctx context.Context, id string, rfcs []string) error
	// History lists the movements of account id ("" the dealer's own)
	// within [from, to), oldest first.
	History(ctx context.Context, id string, from, to time.Time) ([]Movement, error)
}

// Action is what Folio did through the dealer account, as its Store keeps
// it ("Mis acciones").
type Action struct {
	ID         int64
	Dealer     string // the dealer account's key
	At         time.Time
	Kind       ActionKind
	ClientID   string
	ClientName string
	In         int64 // stamps the client received
	Out        int64 // stamps taken from the client
	Balance    int64 // the client's balance after it (stamp movements)
	Folio      int64 // the PAC's movement folio, when it gave one
	Comment    string
}

// ActionKind names an action.
type ActionKind string

// The actions Folio records.
const (
	ActionCreate     ActionKind = "alta"
	ActionAdd        ActionKind = "asignacion"
	ActionRemove     ActionKind = "retiro"
	ActionUpdate     ActionKind = "edicion"
	ActionPassword   ActionKind = "contrasena"
	ActionDeactivate ActionKind = "baja"
	ActionActivate   ActionKind = "reactivacion"
	ActionDelete     ActionKind = "eliminacion"
	ActionIssuers    ActionKind = "emisores"
	ActionUseAsPAC   ActionKind = "cuenta_pac"
)

// Text is the Spanish name of the action.
func (k ActionKind) Text() string {
	switch k {
	case ActionCreate:
		return "Alta de cuenta"
	case ActionAdd:
		return "Asignación de timbres"
	case ActionRemove:
		return "Retiro de timbres"
	case ActionUpdate:
		return "Edición de datos"
	case ActionPassword:
		return "Cambio de contraseña"
	case ActionDeactivate:
		return "Desactivación"
	case ActionActivate:
		return "Reactivación"
	case ActionDelete:
		return "Eliminación"
	case ActionIssuers:
		return "Emisores autorizados"
	case ActionUseAsPAC:
		return "Cuenta PAC de una empresa"
	}
	return string(k)
}

// ActionFilter selects recorded actions of one dealer: of one client when
// ClientID is set, and within [From, To) when those are not zero.
type ActionFilter struct {
	Dealer   string
	ClientID string
	From, To time.Time
	Limit    int
}

// Store keeps what Folio did through a dealer account.
type Store interface {
	// RecordDealerAction appends a; it sets a.ID.
	RecordDealerAction(ctx context.Context, a *Action) error
	// DealerActions lists the actions that match f, oldest first.
	DealerActions(ctx context.Context, f ActionFilter) ([]Action, error)
}

// Settings keeps which companies' PAC accounts are dealer accounts: the
// Administrador de timbres is offered only for those.
type Settings interface {
	// DealerEnabled reports whether company companyID's PAC account is
	// flagged as a dealer account.
	DealerEnabled(ctx context.Context, companyID int64) (bool, error)
	// SetDealerEnabled flags or unflags it.
	SetDealerEnabled(ctx context.Context, companyID int64, enabled bool) error
}
