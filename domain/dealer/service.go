package dealer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
)

// Service is the Administrador de timbres of one dealer account: it
// checks every request, calls the PAC through API and records what it did
// in Store. Its methods are safe for concurrent use if API and Store are.
type Service struct {
	API   API
	Store Store
	// Dealer is the dealer account's key in Store (not a secret).
	Dealer string
	Now    domain.Clock
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// record keeps an action; a failure to write it is logged, not returned:
// the PAC already did what the user asked.
func (s *Service) record(ctx context.Context, a Action) {
	if s.Store == nil {
		return
	}
	a.Dealer, a.At = s.Dealer, s.now()
	if err := s.Store.RecordDealerAction(ctx, &a); err != nil {
		slog.Error("record dealer action", "kind", a.Kind, "client", a.ClientID, "err", err)
	}
}

// available is the dealer's own balance, -1 when unlimited.
func (s *Service) available(ctx context.Context) (int64, error) {
	b, err := s.API.OwnBalance(ctx)
	if err != nil {
		return 0, err
	}
	if b.Unlimited {
		return -1, nil
	}
	return b.Stamps, nil
}

// Clients lists or searches the client accounts (Filter.Query trimmed).
func (s *Service) Clients(ctx context.Context, f Filter) (Page, error) {
	f.Query = strings.TrimSpace(f.Query)
	if f.Page <= 0 {
		f.Page = 1
	}
	if f.PerPage <= 0 {
		f.PerPage = 10
	}
	return s.API.Clients(ctx, f)
}

// Create checks c (trimmed; its stamps within the dealer's balance) and
// creates the account. Errors: the FieldErrors of Validate, or the PAC's.
func (s *Service) Create(ctx context.Context, c NewClient) (Client, error) {
	c.Normalize()
	avail := int64(-1)
	if !c.Unlimited && c.Stamps > 0 {
		var err error
		if avail, err = s.available(ctx); err != nil {
			return Client{}, err
		}
	}
	if err := c.Validate(avail); err != nil {
		return Client{}, err
	}
	out, err := s.API.CreateClient(ctx, c)
	if err != nil {
		return Client{}, err
	}
	s.record(ctx, Action{Kind: ActionCreate, ClientID: out.ID, ClientName: out.Name, In: c.Stamps, Balance: out.Stamps,
		Comment: unlimitedNote(c.Unlimited)})
	return out, nil
}

func unlimitedNote(u bool) string {
	if u {
		return "Ilimitado"
	}
	return ""
}

// Update checks u and changes the account. It reports whether anything
// changed (SW answers identical data with a message, not an error).
func (s *Service) Update(ctx context.Context, u ClientUpdate) (bool, error) {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return false, err
	}
	changed, err := s.API.UpdateClient(ctx, u)
	if err == nil && changed {
		s.record(ctx, Action{Kind: ActionUpdate, ClientID: u.ID})
	}
	return changed, err
}

// ChangePassword checks the new password against SW's policy (user is
// the account's e-mail) and sets it.
func (s *Service) ChangePassword(ctx context.Context, c Client, password string) error {
	const op = "dealer.ChangePassword"
	password = strings.TrimSpace(password)
	if msg := PasswordProblem(password, strings.TrimSpace(c.Email)); msg != "" {
		return fieldErr(op, "Password", msg)
	}
	if err := s.API.ChangePassword(ctx, c.ID, password); err != nil {
		return err
	}
	s.record(ctx, Action{Kind: ActionPassword, ClientID: c.ID, ClientName: c.Name})
	return nil
}

// SetActive deactivates (or reactivates) an account.
func (s *Service) SetActive(ctx context.Context, c Client, active bool) error {
	if err := s.API.SetActive(ctx, c.ID, active); err != nil {
		return err
	}
	k := ActionDeactivate
	if active {
		k = ActionActivate
	}
	s.record(ctx, Action{Kind: k, ClientID: c.ID, ClientName: c.Name})
	return nil
}

// Delete deletes an account. It is refused while the account has stamps
// (they would be lost): remove them first.
func (s *Service) Delete(ctx context.Context, c Client) error {
	const op = "dealer.Delete"
	b, err := s.API.ClientBalance(ctx, c.ID)
	if err != nil {
		return err
	}
	if b.Stamps > 0 {
		return domain.E(domain.Conflict, op, fmt.Sprintf("No es posible eliminar la cuenta porque aún tiene %d timbres. Quítele sus timbres primero con «Quitar timbres».", b.Stamps), nil)
	}
	if err := s.API.DeleteClient(ctx, c.ID); err != nil {
		return err
	}
	s.record(ctx, Action{Kind: ActionDelete, ClientID: c.ID, ClientName: c.Name})
	return nil
}

// StampsChange is a request to add or remove stamps of a client account.
type StampsChange struct {
	Client  Client
	Stamps  int64
	Comment string
}

func (ch *StampsChange) check(op string) error {
	ch.Comment = strings.TrimSpace(ch.Comment)
	switch {
	case ch.Client.ID == "":
		return domain.E(domain.Invalid, op, "Elija la cuenta del cliente.", nil)
	case ch.Stamps <= 0:
		return fieldErr(op, "Stamps", "Escriba cuántos timbres, un número entero mayor que cero.")
	case len([]rune(ch.Comment)) > 250:
		return fieldErr(op, "Comment", "El comentario puede tener hasta 250 caracteres.")
	}
	return nil
}

// AddStamps gives ch.Stamps of the dealer's stamps to the client and
// returns the client's balance after it. Refused: more than the dealer
// has (unless the dealer is unlimited), and a client that is unlimited.
func (s *Service) AddStamps(ctx context.Context, ch StampsChange) (int64, error) {
	const op = "dealer.AddStamps"
	if err := ch.check(op); err != nil {
		return 0, err
	}
	cb, err := s.API.ClientBalance(ctx, ch.Client.ID)
	if err != nil {
		return 0, err
	}
	if cb.Unlimited {
		return 0, domain.E(domain.Invalid, op, "La cuenta "+ch.Client.Email+" es ilimitada: no necesita timbres.", nil)
	}
	avail, err := s.available(ctx)
	if err != nil {
		return 0, err
	}
	if avail >= 0 && ch.Stamps > avail {
		return 0, fieldErr(op, "Stamps", fmt.Sprintf("Solo tiene %d timbres disponibles; asigne %d o menos, o compre más timbres.", avail, avail))
	}
	after, err := s.API.AddStamps(ctx, ch.Client.ID, ch.Stamps, ch.Comment)
	if err != nil {
		return 0, err
	}
	s.record(ctx, Action{Kind: ActionAdd, ClientID: ch.Client.ID, ClientName: ch.Client.Name, In: ch.Stamps, Balance: after,
		Folio: s.lastFolio(ctx, ch.Client.ID), Comment: ch.Comment})
	return after, nil
}

// RemoveStamps takes ch.Stamps back from the client to the dealer and
// returns the client's balance after it. Refused: more than the client
// has.
func (s *Service) RemoveStamps(ctx context.Context, ch StampsChange) (int64, error) {
	const op = "dealer.RemoveStamps"
	if err := ch.check(op); err != nil {
		return 0, err
	}
	cb, err := s.API.ClientBalance(ctx, ch.Client.ID)
	if err != nil {
		return 0, err
	}
	if ch.Stamps > cb.Stamps {
		return 0, fieldErr(op, "Stamps", fmt.Sprintf("La cuenta solo tiene %d timbres; quite %d o menos.", cb.Stamps, cb.Stamps))
	}
	after, err := s.API.RemoveStamps(ctx, ch.Client.ID, ch.Stamps, ch.Comment)
	if err != nil {
		return 0, err
	}
	s.record(ctx, Action{Kind: ActionRemove, ClientID: ch.Client.ID, ClientName: ch.Client.Name, Out: ch.Stamps, Balance: after,
		Folio: s.lastFolio(ctx, ch.Client.ID), Comment: ch.Comment})
	return after, nil
}

// lastFolio is the folio of the client's last movement as the PAC's
// lastTransaction reports it (0 when it gives none).
func (s *Service) lastFolio(ctx context.Context, id string) int64 {
	b, err := s.API.ClientBalance(ctx, id)
	if err != nil || b.Last == nil {
		return 0
	}
	return b.Last.Folio
}

// OwnBalance is the dealer's balance ("Mi cuenta").
func (s *Service) OwnBalance(ctx context.Context) (Balance, error) { return s.API.OwnBalance(ctx) }

// ClientBalance is a client's balance ("Ver reporte").
func (s *Service) ClientBalance(ctx context.Context, id string) (Balance, error) {
	return s.API.ClientBalance(ctx, id)
}

// checkRange refuses an empty or inverted date range.
func checkRange(op string, from, to time.Time) error {
	if from.IsZero() || to.IsZero() || !from.Before(to) {
		return domain.E(domain.Invalid, op, "La fecha inicial debe ser anterior a la final.", nil)
	}
	return nil
}

// Documents lists a client's CFDI within [from, to).
func (s *Service) Documents(ctx context.Context, id string, from, to time.Time) ([]Document, error) {
	if err := checkRange("dealer.Documents", from, to); err != nil {
		return nil, err
	}
	return s.API.Documents(ctx, id, from, to)
}

// Issuers lists the issuer RFCs a client may stamp for.
func (s *Service) Issuers(ctx context.Context, id string) ([]string, error) {
	return s.API.Issuers(ctx, id)
}

// SetIssuers checks every RFC (trimmed, upper-cased, no repeats) and
// replaces the client's list.
func (s *Service) SetIssuers(ctx context.Context, c Client, rfcs []string) error {
	const op = "dealer.SetIssuers"
	var out []string
	seen := map[string]bool{}
	var errs []error
	for _, r := range rfcs {
		r = strings.ToUpper(strings.TrimSpace(r))
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		if err := checkRFC(op, r); err != nil {
			errs = append(errs, domain.E(domain.Invalid, op, r+": "+domain.UserMessage(err), nil))
		}
		out = append(out, r)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := s.API.SetIssuers(ctx, c.ID, out); err != nil {
		return err
	}
	s.record(ctx, Action{Kind: ActionIssuers, ClientID: c.ID, ClientName: c.Name, Comment: strings.Join(out, ", ")})
	return nil
}

// History lists the movements of account id ("" the dealer's) within
// [from, to). When the PAC does not list movements (SW's API has no such
// endpoint, pac/README.md §6.1) it returns the stamp movements Folio
// recorded for that account instead, and fromFolio is true.
func (s *Service) History(ctx context.Context, id string, from, to time.Time) (list []Movement, fromFolio bool, err error) {
	const op = "dealer.History"
	if err := checkRange(op, from, to); err != nil {
		return nil, false, err
	}
	list, err = s.API.History(ctx, id, from, to)
	if err == nil || !errors.Is(err, ErrUnsupported) {
		return list, false, err
	}
	acts, err := s.Actions(ctx, ActionFilter{ClientID: id, From: from, To: to})
	if err != nil {
		return nil, true, err
	}
	for _, a := range acts {
		if a.In == 0 && a.Out == 0 {
			continue
		}
		m := Movement{Folio: a.Folio, Date: a.At, ClientID: a.ClientID, ClientName: a.ClientName, Comment: a.Comment}
		if id == "" { // the dealer's side: what a client received left the dealer
			m.In, m.Out, m.BalanceAfter = a.Out, a.In, -1
		} else {
			m.In, m.Out, m.BalanceAfter = a.In, a.Out, a.Balance
		}
		list = append(list, m)
	}
	return list, true, nil
}

// ErrUnsupported is wrapped by an API whose PAC does not offer an
// operation (History, Documents, Issuers on SW's documented API).
var ErrUnsupported = errors.New("operation not offered by the PAC")

// Actions lists what Folio did through this dealer account ("Mis
// acciones"), oldest first.
func (s *Service) Actions(ctx context.Context, f ActionFilter) ([]Action, error) {
	if s.Store == nil {
		return nil, nil
	}
	f.Dealer = s.Dealer
	return s.Store.DealerActions(ctx, f)
}

// RecordUseAsPAC notes that client c became the PAC account of the
// company with that RFC.
func (s *Service) RecordUseAsPAC(ctx context.Context, c Client, companyRFC string) {
	s.record(ctx, Action{Kind: ActionUseAsPAC, ClientID: c.ID, ClientName: c.Name, Comment: companyRFC})
}

// ClientReport is one row of "Reporte de clientes": a client's stamps
// received and taken back through Folio within a period, and its balance
// now.
type ClientReport struct {
	Client   Client
	In, Out  int64
	Balance  int64
	Used     int64
	Assigned int64
}

// Report lists every client account (all pages) with what Folio assigned
// and removed within [from, to) and the PAC's balance now.
func (s *Service) Report(ctx context.Context, from, to time.Time) ([]ClientReport, error) {
	if err := checkRange("dealer.Report", from, to); err != nil {
		return nil, err
	}
	var clients []Client
	for page := 1; ; page++ {
		p, err := s.API.Clients(ctx, Filter{Page: page, PerPage: 50})
		if err != nil {
			return nil, err
		}
		clients = append(clients, p.Clients...)
		if page >= p.TotalPages || len(p.Clients) == 0 {
			break
		}
	}
	acts, err := s.Actions(ctx, ActionFilter{From: from, To: to})
	if err != nil {
		return nil, err
	}
	in, out := map[string]int64{}, map[string]int64{}
	for _, a := range acts {
		in[a.ClientID] += a.In
		out[a.ClientID] += a.Out
	}
	rows := make([]ClientReport, 0, len(clients))
	for _, c := range clients {
		r := ClientReport{Client: c, In: in[c.ID], Out: out[c.ID], Balance: c.Stamps}
		if b, err := s.API.ClientBalance(ctx, c.ID); err == nil {
			r.Balance, r.Used, r.Assigned = b.Stamps, b.Used, b.Assigned
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// DocumentXML downloads a document's XML, as the PAC keeps it.
func (s *Service) DocumentXML(ctx context.Context, d Document) ([]byte, error) {
	return s.API.DocumentXML(ctx, d)
}
