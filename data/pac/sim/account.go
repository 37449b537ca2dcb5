package sim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/folio-mx/folio/data/pac"
)

// account is a user with its balance and movement history.
type account struct {
	User
	used      int64
	assigned  int64
	folio     int64
	movements []pac.Transaction

	active      bool
	registered  time.Time
	notifyEmail string
	phone       string
	issuers     []string // issuer RFCs the account may stamp for; empty: any
	passwordAt  time.Time
	seq         int // creation order, for a stable list
}

// move appends a movement (stampsIn / stampsOut) with the resulting balance.
// The caller holds s.mu.
func (a *account) move(in, out int64, comment string, at time.Time) {
	a.folio++
	t := pac.Transaction{Folio: a.folio, IDUser: a.ID, IDUserReceiver: a.ID, NameReceiver: a.Name,
		StampsCurrent: a.Stamps, Comment: comment, Date: at.UTC().Format(time.RFC3339)}
	if in != 0 {
		t.StampsIn = &in
	}
	if out != 0 {
		t.StampsOut = &out
	}
	a.movements = append(a.movements, t)
}

func (a *account) balance() pac.BalanceData {
	b := pac.BalanceData{IDUserBalance: a.ID, IDUser: a.ID, StampsBalance: a.Stamps, StampsUsed: a.used,
		StampsAssigned: a.assigned, IsUnlimited: a.Unlimited}
	if n := len(a.movements); n > 0 {
		t := a.movements[n-1]
		b.LastTransaction = &t
	}
	return b
}

func (s *Server) account(email string) *account {
	for _, a := range s.users {
		if a.Email == email {
			return a
		}
	}
	return nil
}

// Balance returns the balance object of the user with that e-mail.
func (s *Server) Balance(email string) pac.BalanceData {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.account(email); a != nil {
		return a.balance()
	}
	return pac.BalanceData{}
}

// AddStamps adds (n > 0) or removes (n < 0) stamps of the user with that
// e-mail, recording a movement; the balance never goes below zero.
func (s *Server) AddStamps(email string, n int64, comment string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account(email)
	if a == nil {
		return 0
	}
	s.addStamps(a, n, comment)
	return a.Stamps
}

func (s *Server) addStamps(a *account, n int64, comment string) {
	if n < 0 && a.Stamps+n < 0 {
		n = -a.Stamps
	}
	a.Stamps += n
	now := s.opts.Now().Add(s.skew)
	if n > 0 {
		a.assigned += n
		a.move(n, 0, comment, now)
	} else if n < 0 {
		a.move(0, -n, comment, now)
	}
}

// Movements returns the full movement history of the user with that e-mail.
func (s *Server) Movements(email string) []pac.Transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.account(email); a != nil {
		return append([]pac.Transaction(nil), a.movements...)
	}
	return nil
}

func (s *Server) balance(w http.ResponseWriter, r *http.Request, a *account) {
	s.mu.Lock()
	b := a.balance()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": b, "meta": nil, "links": nil, "status": "success"})
}

// changeStamps serves POST/DELETE /management/v2/api/dealers/users/{id}/stamps
// (sign +1 add, -1 remove): stamps move between the dealer and its client;
// the answer's data is the client's balance after the operation.
// Refusals: a client of another dealer (SW's «Usuario no pertenece al
// Dealer»), more than the giver has (SW's «AU1006 Saldo insuficiente.»).
func (s *Server) changeStamps(sign int64) func(http.ResponseWriter, *http.Request, *account) {
	return s.asDealer(func(w http.ResponseWriter, r *http.Request, d *account) {
		var body struct {
			Stamps  int64  `json:"stamps"`
			Comment string `json:"comment"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Stamps <= 0 {
			fail(w, http.StatusBadRequest, "La cantidad de timbres no es válida.", nil)
			return
		}
		s.mu.Lock()
		c := s.users[r.PathValue("id")]
		if c == nil || c.DealerID != d.ID {
			s.mu.Unlock()
			notMine(w)
			return
		}
		from, to := d, c
		if sign < 0 {
			from, to = c, d
		}
		if counts(from) && from.Stamps < body.Stamps {
			s.mu.Unlock()
			writeJSON(w, http.StatusBadRequest, map[string]any{"message": msgInsufficient, "messageDetail": "", "status": "error"})
			return
		}
		s.transfer(from, to, body.Stamps, body.Comment, s.opts.Now().Add(s.skew))
		n := c.Stamps
		s.mu.Unlock()
		ok(w, n)
	})
}

// movementsHandler is a non-SW debug route: GET /sim/movements/{id} dumps the
// full movement history of a user.
func (s *Server) movementsHandler(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.users[r.PathValue("id")]
	var list []pac.Transaction
	if a != nil {
		list = append(list, a.movements...)
	}
	s.mu.Unlock()
	if a == nil {
		http.NotFound(w, r)
		return
	}
	ok(w, list)
}
