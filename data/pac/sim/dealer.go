package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain/dealer"
)

// The dealer side of SW's management API v2 (pac/README.md §6.1, §11.5).
// Shapes follow the SDKs' models; the texts marked [UNK] below are not
// documented anywhere and are the simulator's own.
const (
	// msgNotDealerUser is the messageDetail SW gives for a client of
	// another dealer (recorded: dealer_add_stamps_error_sdkdoc.json).
	msgNotDealerUser = "Usuario no pertenece al Dealer"
	// msgInsufficient is SW's text for removing more than a user has
	// (recorded: dealer_remove_stamps_insufficient_AU1006_sdkdoc.json);
	// the simulator also gives it when the dealer lacks the stamps.
	msgInsufficient = "AU1006 Saldo insuficiente."
	// msgIdentical is SW's documented answer to an update that changes
	// nothing.
	msgIdentical = "No es posible actualizar, los datos enviados son identicos a los actuales"
	// [UNK] texts.
	msgNotADealer  = "El usuario no tiene permisos de Dealer."
	msgHasStamps   = "No es posible eliminar el usuario, aún cuenta con timbres asignados."
	msgEmailInUse  = "El correo electrónico ya está registrado."
	msgUserUpdated = "Usuario actualizado correctamente."
)

func (s *Server) dealerRoutes(m *http.ServeMux) {
	const v2 = "/management/v2/api/dealers/users"
	m.HandleFunc("GET "+v2, s.auth(s.asDealer(s.listUsers)))
	m.HandleFunc("POST "+v2, s.auth(s.asDealer(s.createUser)))
	m.HandleFunc("PUT "+v2+"/{id}", s.auth(s.asDealer(s.child(s.updateUser))))
	m.HandleFunc("DELETE "+v2+"/{id}", s.auth(s.asDealer(s.child(s.deleteUser))))
	m.HandleFunc("GET /management/v2/api/dealers/balance/users/{id}", s.auth(s.asDealer(s.child(s.childBalance))))
	// Management v1: the only documented way to change a password.
	m.HandleFunc("PUT /management/api/users/{id}/reset_password", s.auth(s.asDealer(s.child(s.resetPassword))))
	// Simulator extensions (no SW endpoint is documented for them).
	m.HandleFunc("GET /sim/dealers/users/{id}/documents", s.auth(s.asDealer(s.child(s.documents))))
	m.HandleFunc("GET /sim/dealers/users/{id}/issuers", s.auth(s.asDealer(s.child(s.issuers))))
	m.HandleFunc("PUT /sim/dealers/users/{id}/issuers", s.auth(s.asDealer(s.child(s.setIssuers))))
	m.HandleFunc("GET /sim/movements", s.allMovements)
}

// asDealer refuses accounts that are not dealers.
func (s *Server) asDealer(next func(http.ResponseWriter, *http.Request, *account)) func(http.ResponseWriter, *http.Request, *account) {
	return func(w http.ResponseWriter, r *http.Request, a *account) {
		if !a.Dealer {
			fail(w, http.StatusForbidden, msgNotADealer, nil)
			return
		}
		next(w, r, a)
	}
}

// notMine answers SW's "Usuario no pertenece al Dealer".
func notMine(w http.ResponseWriter) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Validation errors", "messageDetail": msgNotDealerUser, "status": "error"})
}

// child passes the dealer's client named in the path, or refuses.
func (s *Server) child(next func(http.ResponseWriter, *http.Request, *account, *account)) func(http.ResponseWriter, *http.Request, *account) {
	return func(w http.ResponseWriter, r *http.Request, d *account) {
		s.mu.Lock()
		c := s.users[r.PathValue("id")]
		s.mu.Unlock()
		if c == nil || c.DealerID != d.ID {
			notMine(w)
			return
		}
		next(w, r, d, c)
	}
}

// userData is the user object of a; the caller holds s.mu.
func userData(a *account) pac.UserData {
	u := pac.UserData{IDUser: a.ID, IDDealer: a.DealerID, Name: a.Name, TaxID: a.RFC, Username: a.Email, Email: a.Email,
		Profile: json.RawMessage("3"), IsActive: a.active, RegisteredDate: a.registered.UTC().Format("2006-01-02T15:04:05"),
		AccessToken: a.Token, Stamps: a.Stamps, IsUnlimited: a.Unlimited}
	if a.notifyEmail != "" {
		u.NotificationEmail = &a.notifyEmail
	}
	if a.phone != "" {
		u.Phone = &a.phone
	}
	if !a.passwordAt.IsZero() {
		t := a.passwordAt.UTC().Format("2006-01-02T15:04:05")
		u.LastPasswordChange = &t
	}
	return u
}

// listUsers serves GET /management/v2/api/dealers/users with SW's filters
// (IdUser, Email, TaxId, IsActive) and paging (page, perPage; 1 and 10).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, d *account) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	per, _ := strconv.Atoi(q.Get("perPage"))
	if page <= 0 {
		page = 1
	}
	if per <= 0 {
		per = 10
	}
	s.mu.Lock()
	var all []*account
	for _, a := range s.users {
		if a.DealerID != d.ID {
			continue
		}
		if v := q.Get("IdUser"); v != "" && a.ID != v {
			continue
		}
		if v := q.Get("Email"); v != "" && !strings.EqualFold(a.Email, v) {
			continue
		}
		if v := q.Get("TaxId"); v != "" && !strings.EqualFold(a.RFC, v) {
			continue
		}
		if v := q.Get("IsActive"); v != "" && strconv.FormatBool(a.active) != strings.ToLower(v) {
			continue
		}
		all = append(all, a)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].seq < all[j].seq })
	total := len(all)
	pages := (total + per - 1) / per
	lo := min((page-1)*per, total)
	hi := min(lo+per, total)
	data := make([]pac.UserData, 0, hi-lo)
	for _, a := range all[lo:hi] {
		data = append(data, userData(a))
	}
	s.mu.Unlock()
	link := func(p int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(p))
		v.Set("perPage", strconv.Itoa(per))
		return "/management/v2/api/dealers/users?" + v.Encode()
	}
	links := pac.PageLinks{Self: link(page), First: link(1), End: link(max(pages, 1))}
	if page < pages {
		links.Next = link(page + 1)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data,
		"meta":  pac.PageMeta{Page: page, PerPage: per, PageCount: len(data), TotalCount: total, TotalPages: pages},
		"links": links, "status": "success"})
}

// counts reports whether a's balance changes when it gives or receives
// stamps: an unlimited dealer is an endless source, while a client's
// balance always counts (an unlimited client keeps its balance, it is
// only never decremented by stamping).
func counts(a *account) bool { return !(a.Dealer && a.Unlimited) }

// transfer moves n stamps from one account to the other (n > 0) and
// appends the movement to both. The caller holds s.mu and checked the
// balances.
func (s *Server) transfer(from, to *account, n int64, comment string, at time.Time) {
	if counts(from) {
		from.Stamps -= n
	}
	if counts(to) {
		to.Stamps += n
		to.assigned += n
	}
	from.folio++
	out := n
	from.movements = append(from.movements, pac.Transaction{Folio: from.folio, IDUser: from.ID, IDUserReceiver: to.ID,
		NameReceiver: to.Name, StampsOut: &out, StampsCurrent: from.Stamps, Comment: comment, Date: at.UTC().Format(time.RFC3339)})
	to.folio++
	in := n
	to.movements = append(to.movements, pac.Transaction{Folio: to.folio, IDUser: from.ID, IDUserReceiver: to.ID,
		NameReceiver: to.Name, StampsIn: &in, StampsCurrent: to.Stamps, Comment: comment, Date: at.UTC().Format(time.RFC3339)})
}

// createUser serves POST /management/v2/api/dealers/users.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, d *account) {
	var body struct {
		Name              string  `json:"name"`
		TaxID             string  `json:"taxId"`
		Email             string  `json:"email"`
		Stamps            int64   `json:"stamps"`
		IsUnlimited       bool    `json:"isUnlimited"`
		Password          string  `json:"password"`
		NotificationEmail *string `json:"notificationEmail"`
		Phone             *string `json:"phone"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "Validation errors", nil)
		return
	}
	switch {
	case body.Name == "" || body.TaxID == "" || body.Email == "":
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Validation errors", "messageDetail": "Los campos name, taxId y email son obligatorios.", "status": "error"})
		return
	case dealer.PasswordProblem(body.Password, body.Email) != "":
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Validation errors", "messageDetail": "La contraseña no cumple con la política de seguridad.", "status": "error"})
		return
	case body.Stamps < 0:
		fail(w, http.StatusBadRequest, "La cantidad de timbres no es válida.", nil)
		return
	}
	s.mu.Lock()
	if s.account(body.Email) != nil {
		s.mu.Unlock()
		fail(w, http.StatusBadRequest, msgEmailInUse, nil)
		return
	}
	if body.IsUnlimited {
		body.Stamps = 0
	}
	if counts(d) && body.Stamps > d.Stamps {
		s.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": msgInsufficient, "messageDetail": "", "status": "error"})
		return
	}
	now := s.opts.Now().Add(s.skew)
	id := newUUID()
	a := &account{User: User{ID: id, Name: body.Name, Email: body.Email, Password: body.Password, Token: newToken(id),
		RFC: body.TaxID, DealerID: d.ID, Unlimited: body.IsUnlimited}, active: true, registered: now, seq: len(s.opts.Users) + s.created + 1}
	if body.NotificationEmail != nil {
		a.notifyEmail = *body.NotificationEmail
	}
	if body.Phone != nil {
		a.phone = *body.Phone
	}
	s.created++
	s.users[id] = a
	s.tokens[a.Token] = &token{user: id}
	if body.Stamps > 0 {
		s.transfer(d, a, body.Stamps, "Alta de cuenta", now)
	}
	u := userData(a)
	s.mu.Unlock()
	ok(w, u)
}

// updateUser serves PUT /management/v2/api/dealers/users/{id}; nulls keep
// the value. isActive is accepted too (how SW deactivates a user through
// v2 is not documented).
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, _ *account, c *account) {
	var body struct {
		Name              *string `json:"name"`
		TaxID             *string `json:"taxId"`
		NotificationEmail *string `json:"notificationEmail"`
		Phone             *string `json:"phone"`
		IsUnlimited       *bool   `json:"isUnlimited"`
		IsActive          *bool   `json:"isActive"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "Validation errors", nil)
		return
	}
	s.mu.Lock()
	changed := false
	set := func(dst *string, v *string) {
		if v != nil && *v != *dst {
			*dst, changed = *v, true
		}
	}
	set(&c.Name, body.Name)
	set(&c.RFC, body.TaxID)
	set(&c.notifyEmail, body.NotificationEmail)
	set(&c.phone, body.Phone)
	if body.IsUnlimited != nil && *body.IsUnlimited != c.Unlimited {
		c.Unlimited, changed = *body.IsUnlimited, true
	}
	if body.IsActive != nil && *body.IsActive != c.active {
		c.active, changed = *body.IsActive, true
	}
	s.mu.Unlock()
	if !changed {
		fail(w, http.StatusBadRequest, msgIdentical, nil)
		return
	}
	ok(w, msgUserUpdated)
}

// deleteUser serves DELETE /management/v2/api/dealers/users/{id}: 204, or
// a refusal while the user has stamps.
func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, _ *account, c *account) {
	s.mu.Lock()
	if c.Stamps > 0 {
		s.mu.Unlock()
		fail(w, http.StatusBadRequest, msgHasStamps, nil)
		return
	}
	delete(s.users, c.ID)
	delete(s.tokens, c.Token)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) childBalance(w http.ResponseWriter, r *http.Request, _ *account, c *account) {
	s.balance(w, r, c)
}

// resetPassword serves v1 PUT /management/api/users/{id}/reset_password
// with {"Password"}.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, _ *account, c *account) {
	var body struct {
		Password string `json:"Password"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || dealer.PasswordProblem(body.Password, c.Email) != "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Validation errors", "messageDetail": "La contraseña no cumple con la política de seguridad.", "status": "error"})
		return
	}
	s.mu.Lock()
	c.Password = body.Password
	c.passwordAt = s.opts.Now().Add(s.skew)
	s.mu.Unlock()
	ok(w, "Contraseña actualizada correctamente.")
}

// documents serves the extension GET /sim/dealers/users/{id}/documents
// ?from=&to= (RFC 3339): the CFDI the account stamped, and those whose
// receptor is the account's RFC, stamped within [from, to).
func (s *Server) documents(w http.ResponseWriter, r *http.Request, _ *account, c *account) {
	from, err1 := time.Parse(time.RFC3339, r.URL.Query().Get("from"))
	to, err2 := time.Parse(time.RFC3339, r.URL.Query().Get("to"))
	if err1 != nil || err2 != nil {
		fail(w, http.StatusBadRequest, "Las fechas from y to deben ser RFC 3339.", nil)
		return
	}
	s.mu.Lock()
	now := s.opts.Now().Add(s.skew)
	var out []pac.DocumentData
	for _, rec := range s.byUUID {
		mine, received := rec.user == c.ID, c.RFC != "" && rec.receptor == c.RFC
		if !mine && !received || rec.at.Before(from) || !rec.at.Before(to) {
			continue
		}
		estado, _ := s.estado(rec, now)
		out = append(out, pac.DocumentData{UUID: rec.uuid, Received: !mine, Serie: rec.serie, Folio: rec.folio,
			RFCEmisor: rec.rfc, RFCReceptor: rec.receptor, Fecha: rec.fecha, Estatus: estado, Total: rec.total,
			URLXML: s.url + "/sim/xml/" + rec.uuid})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		return out[i].Fecha < out[j].Fecha || out[i].Fecha == out[j].Fecha && out[i].UUID < out[j].UUID
	})
	ok(w, out)
}

func (s *Server) issuers(w http.ResponseWriter, r *http.Request, _ *account, c *account) {
	s.mu.Lock()
	list := append([]string{}, c.issuers...)
	s.mu.Unlock()
	ok(w, list)
}

func (s *Server) setIssuers(w http.ResponseWriter, r *http.Request, _ *account, c *account) {
	var body struct {
		Issuers []string `json:"issuers"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "Validation errors", nil)
		return
	}
	slices.Sort(body.Issuers)
	s.mu.Lock()
	c.issuers = slices.Compact(body.Issuers)
	s.mu.Unlock()
	ok(w, fmt.Sprintf("%d emisores", len(body.Issuers)))
}

// MovementEntry is one line of the debug dump: whose movement it is.
type MovementEntry struct {
	Account string          `json:"account"`
	Email   string          `json:"email"`
	Move    pac.Transaction `json:"movement"`
}

// allMovements is the non-SW debug route GET /sim/movements: every
// movement of every account, by account then folio.
func (s *Server) allMovements(w http.ResponseWriter, r *http.Request) {
	ok(w, s.AllMovements())
}

// AllMovements returns every movement of every account.
func (s *Server) AllMovements() []MovementEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []MovementEntry
	for _, a := range s.users {
		for _, m := range a.movements {
			out = append(out, MovementEntry{Account: a.ID, Email: a.Email, Move: m})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Account != out[j].Account {
			return out[i].Account < out[j].Account
		}
		return out[i].Move.Folio < out[j].Move.Folio
	})
	return out
}

// Accounts returns every account's ID, e-mail, balance, used stamps and
// whether it is unlimited (for assertions).
func (s *Server) Accounts() []pac.BalanceData {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]pac.BalanceData, 0, len(s.users))
	for _, a := range s.users {
		out = append(out, a.balance())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IDUser < out[j].IDUser })
	return out
}
