package pac

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
)

// Dealer is the "Administrador de timbres" of an SW dealer account: the
// management API v2 (pac/README.md §6.1) on the api host.
//
// Verified shapes: the paths, bodies and answers of §6.1 as SW's SDKs
// model them (user object, meta/links paging, integer data after add and
// remove, 204 on delete, the identical-data message), and the recorded
// bodies "Usuario no pertenece al Dealer" and "AU1006 Saldo insuficiente."
// (pac/recorded/sw, legacy routes). No v2 management body was ever
// recorded, so the v2 shapes are the SDKs' word, not a capture.
//
// NOT verified against SW:
//   - ChangePassword uses management v1 PUT /management/api/users/{id}/reset_password
//     ({"Password"}): the only documented route; v2 has none.
//   - SetActive sends {"isActive"} in the v2 update; SW documents no
//     deactivation field.
//   - Documents, Issuers, SetIssuers and History call the local PAC's
//     extensions (/sim/…); SW documents no such endpoints, so against SW
//     they fail with an error wrapping dealer.ErrUnsupported.
type Dealer struct{ c *Client }

var _ dealer.API = (*Dealer)(nil)

// Dealer returns the dealer API of the client's account.
func (c *Client) Dealer() *Dealer { return &Dealer{c: c} }

// send makes an authenticated JSON request to the api host.
func (d *Dealer) send(ctx context.Context, method, path string, body any) (response, error) {
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	return d.c.call(ctx, func(tok string) (*http.Request, []byte, error) {
		var rd *bytes.Reader
		if raw != nil {
			rd = bytes.NewReader(raw)
		}
		var req *http.Request
		var err error
		if rd != nil {
			req, err = http.NewRequest(method, d.c.cfg.APIURL+path, rd)
		} else {
			req, err = http.NewRequest(method, d.c.cfg.APIURL+path, nil)
		}
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		if raw != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, redactPassword(raw), nil
	})
}

// redactPassword hides a password in an audited request body.
func redactPassword(b []byte) []byte {
	if !bytes.Contains(bytes.ToLower(b), []byte(`"password"`)) {
		return b
	}
	var v map[string]any
	if json.Unmarshal(b, &v) != nil {
		return []byte("[oculto]")
	}
	for k := range v {
		if strings.EqualFold(k, "password") {
			v[k] = "[oculto]"
		}
	}
	out, _ := json.Marshal(v)
	return out
}

// dealerError maps a failed call (transport error err, or an error
// answer r) to a domain error with SW's reason in Spanish.
func dealerError(op string, r response, err error) error {
	if err != nil {
		if de, ok := err.(*domain.Error); ok {
			return de
		}
		return domain.E(domain.Unavailable, op, "No se pudo conectar con el PAC. Revise su conexión e intente de nuevo.", err)
	}
	cause := fmt.Errorf("status %d: %s %s", r.status, r.env.Message, r.env.MessageDetail)
	switch {
	case r.status >= 500 && !r.json || r.status == http.StatusTooManyRequests:
		return domain.E(domain.Unavailable, op, "El PAC no está disponible por ahora; intente más tarde.", cause)
	case r.status == http.StatusNotFound && !r.json:
		return domain.E(domain.NotFound, op, "La cuenta no existe en el PAC.", cause)
	case !r.json:
		return domain.E(domain.Unavailable, op, "El PAC no respondió correctamente; intente más tarde.", cause)
	}
	code := Code(r.env.Message)
	detail := strings.TrimSpace(r.env.MessageDetail)
	var e *domain.Error
	switch {
	case strings.Contains(detail, "no pertenece al Dealer") || strings.Contains(r.env.Message, "no pertenece al Dealer"):
		e = domain.E(domain.NotFound, op, "La cuenta no pertenece a su cuenta de distribuidor (el PAC respondió: «Usuario no pertenece al Dealer»).", cause)
	case code == "AU1006":
		e = domain.E(domain.Rejected, op, "Saldo insuficiente: la cuenta que entrega los timbres no tiene tantos (el PAC respondió: «AU1006 Saldo insuficiente.»).", cause)
	case strings.HasPrefix(code, "AU"):
		e = domain.E(domain.Invalid, op, "El PAC no aceptó la sesión de la cuenta de distribuidor. Revise el usuario, la contraseña o el token en Empresa › PAC.", cause)
	case r.env.Message == "Validation errors" && detail != "":
		e = domain.E(domain.Rejected, op, "El PAC rechazó los datos: "+detail, cause)
	case r.env.Message != "":
		e = domain.E(domain.Rejected, op, "El PAC respondió: "+r.env.Message, cause)
	default:
		e = domain.E(domain.Rejected, op, "El PAC rechazó la operación.", cause)
	}
	e.Code = code
	return e
}

func succeeded(r response) bool {
	return r.status >= 200 && r.status < 300 && r.json && r.env.Status == "success"
}

// Clients lists the dealer's users: GET /management/v2/api/dealers/users
// with IdUser, Email or TaxId (from Filter.Query), IsActive, page and
// perPage.
func (d *Dealer) Clients(ctx context.Context, f dealer.Filter) (dealer.Page, error) {
	const op = "pac.Dealer.Clients"
	q := url.Values{}
	switch v := strings.TrimSpace(f.Query); {
	case v == "":
	case strings.Contains(v, "@"):
		q.Set("Email", v)
	case len(v) == 36 && strings.Count(v, "-") == 4:
		q.Set("IdUser", v)
	default:
		q.Set("TaxId", strings.ToUpper(v))
	}
	if f.Active != nil {
		q.Set("IsActive", strconv.FormatBool(*f.Active))
	}
	if f.Page > 0 {
		q.Set("page", strconv.Itoa(f.Page))
	}
	if f.PerPage > 0 {
		q.Set("perPage", strconv.Itoa(f.PerPage))
	}
	path := "/management/v2/api/dealers/users"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	r, err := d.send(ctx, http.MethodGet, path, nil)
	if err != nil || !succeeded(r) {
		return dealer.Page{}, dealerError(op, r, err)
	}
	var l UserList
	if err := json.Unmarshal(r.body, &l); err != nil {
		return dealer.Page{}, domain.E(domain.Unavailable, op, "El PAC respondió con una lista que Folio no entiende.", err)
	}
	p := dealer.Page{Page: max(f.Page, 1), PerPage: f.PerPage}
	for _, u := range l.Data {
		p.Clients = append(p.Clients, clientOf(u))
	}
	if l.Meta != nil {
		p.Page, p.PerPage, p.Total, p.TotalPages = l.Meta.Page, l.Meta.PerPage, l.Meta.TotalCount, l.Meta.TotalPages
	} else {
		p.Total, p.TotalPages = len(p.Clients), 1
	}
	return p, nil
}

func clientOf(u UserData) dealer.Client {
	c := dealer.Client{ID: u.IDUser, Name: u.Name, RFC: u.TaxID, Email: u.Email, Active: u.IsActive, Stamps: u.Stamps,
		Unlimited: u.IsUnlimited, AccessToken: u.AccessToken}
	if c.Email == "" {
		c.Email = u.Username
	}
	if u.NotificationEmail != nil {
		c.NotificationEmail = *u.NotificationEmail
	}
	if u.Phone != nil {
		c.Phone = *u.Phone
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, u.RegisteredDate); err == nil {
			c.Registered = t
			break
		}
	}
	return c
}

// CreateClient creates a user: POST /management/v2/api/dealers/users.
func (d *Dealer) CreateClient(ctx context.Context, n dealer.NewClient) (dealer.Client, error) {
	const op = "pac.Dealer.CreateClient"
	body := map[string]any{"name": n.Name, "taxId": n.RFC, "email": n.Email, "stamps": n.Stamps,
		"isUnlimited": n.Unlimited, "password": n.Password}
	if n.NotificationEmail != "" {
		body["notificationEmail"] = n.NotificationEmail
	}
	if n.Phone != "" {
		body["phone"] = n.Phone
	}
	r, err := d.send(ctx, http.MethodPost, "/management/v2/api/dealers/users", body)
	if err != nil || !succeeded(r) {
		return dealer.Client{}, dealerError(op, r, err)
	}
	var u UserData
	if err := json.Unmarshal(r.env.Data, &u); err != nil || u.IDUser == "" {
		return dealer.Client{}, domain.E(domain.Unavailable, op, "El PAC creó la cuenta pero no devolvió sus datos; búsquela en la lista.", err)
	}
	return clientOf(u), nil
}

// UpdateClient: PUT /management/v2/api/dealers/users/{id} with nulls for
// what does not change. SW's identical-data answer is not an error.
func (d *Dealer) UpdateClient(ctx context.Context, u dealer.ClientUpdate) (bool, error) {
	const op = "pac.Dealer.UpdateClient"
	body := map[string]any{"idUser": u.ID, "name": u.Name, "taxId": u.RFC, "notificationEmail": u.NotificationEmail,
		"phone": u.Phone, "isUnlimited": u.Unlimited}
	return d.update(ctx, op, u.ID, body)
}

func (d *Dealer) update(ctx context.Context, op, id string, body map[string]any) (bool, error) {
	r, err := d.send(ctx, http.MethodPut, "/management/v2/api/dealers/users/"+url.PathEscape(id), body)
	if err == nil && r.json && strings.Contains(r.env.Message+" "+r.env.MessageDetail+" "+string(r.env.Data), "datos enviados son identicos") {
		return false, nil
	}
	if err != nil || !succeeded(r) {
		return false, dealerError(op, r, err)
	}
	return true, nil
}

// SetActive sends {"isActive"} in the v2 update (NOT verified: SW
// documents no deactivation field).
func (d *Dealer) SetActive(ctx context.Context, id string, active bool) error {
	_, err := d.update(ctx, "pac.Dealer.SetActive", id, map[string]any{"idUser": id, "isActive": active})
	return err
}

// ChangePassword uses management v1 PUT /management/api/users/{id}/reset_password
// with {"Password"} (NOT verified: v2 documents no password route).
func (d *Dealer) ChangePassword(ctx context.Context, id, password string) error {
	const op = "pac.Dealer.ChangePassword"
	r, err := d.send(ctx, http.MethodPut, "/management/api/users/"+url.PathEscape(id)+"/reset_password", map[string]string{"Password": password})
	if err != nil || !succeeded(r) {
		return dealerError(op, r, err)
	}
	return nil
}

// DeleteClient: DELETE /management/v2/api/dealers/users/{id}, HTTP 204.
func (d *Dealer) DeleteClient(ctx context.Context, id string) error {
	const op = "pac.Dealer.DeleteClient"
	r, err := d.send(ctx, http.MethodDelete, "/management/v2/api/dealers/users/"+url.PathEscape(id), nil)
	if err == nil && (r.status == http.StatusNoContent || succeeded(r)) {
		return nil
	}
	return dealerError(op, r, err)
}

// AddStamps: POST /management/v2/api/dealers/users/{id}/stamps with
// {"stamps","comment"}; data is the client's balance after it.
func (d *Dealer) AddStamps(ctx context.Context, id string, n int64, comment string) (int64, error) {
	return d.stamps(ctx, "pac.Dealer.AddStamps", http.MethodPost, id, n, comment)
}

// RemoveStamps: DELETE …/users/{id}/stamps with the same body.
func (d *Dealer) RemoveStamps(ctx context.Context, id string, n int64, comment string) (int64, error) {
	return d.stamps(ctx, "pac.Dealer.RemoveStamps", http.MethodDelete, id, n, comment)
}

func (d *Dealer) stamps(ctx context.Context, op, method, id string, n int64, comment string) (int64, error) {
	r, err := d.send(ctx, method, "/management/v2/api/dealers/users/"+url.PathEscape(id)+"/stamps",
		map[string]any{"stamps": n, "comment": comment})
	if err != nil || !succeeded(r) {
		return 0, dealerError(op, r, err)
	}
	var after int64
	if err := json.Unmarshal(r.env.Data, &after); err != nil {
		return 0, domain.E(domain.Unavailable, op, "El PAC hizo el movimiento pero no devolvió el saldo; actualice la lista.", err)
	}
	return after, nil
}

// OwnBalance: GET /management/v2/api/users/balance.
func (d *Dealer) OwnBalance(ctx context.Context) (dealer.Balance, error) {
	return d.balance(ctx, "pac.Dealer.OwnBalance", "/management/v2/api/users/balance")
}

// ClientBalance: GET /management/v2/api/dealers/balance/users/{id} (the
// route only SW's PHP SDK models).
func (d *Dealer) ClientBalance(ctx context.Context, id string) (dealer.Balance, error) {
	return d.balance(ctx, "pac.Dealer.ClientBalance", "/management/v2/api/dealers/balance/users/"+url.PathEscape(id))
}

func (d *Dealer) balance(ctx context.Context, op, path string) (dealer.Balance, error) {
	r, err := d.send(ctx, http.MethodGet, path, nil)
	if err != nil || !succeeded(r) {
		return dealer.Balance{}, dealerError(op, r, err)
	}
	var b BalanceData
	if err := json.Unmarshal(r.env.Data, &b); err != nil {
		return dealer.Balance{}, domain.E(domain.Unavailable, op, "El PAC respondió con un saldo que Folio no entiende.", err)
	}
	out := dealer.Balance{AccountID: b.IDUser, Stamps: b.StampsBalance, Used: b.StampsUsed, Assigned: b.StampsAssigned,
		Unlimited: b.IsUnlimited || b.Unlimited}
	if t := b.LastTransaction; t != nil {
		m := movementOf(*t)
		out.Last = &m
	}
	return out, nil
}

func movementOf(t Transaction) dealer.Movement {
	m := dealer.Movement{Folio: t.Folio, ClientID: t.IDUserReceiver, ClientName: t.NameReceiver, BalanceAfter: t.StampsCurrent, Comment: t.Comment}
	if t.StampsIn != nil {
		m.In = *t.StampsIn
	}
	if t.StampsOut != nil {
		m.Out = *t.StampsOut
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05"} {
		if at, err := time.Parse(layout, t.Date); err == nil {
			m.Date = at
			break
		}
	}
	return m
}

// unsupported maps the 404 of a route SW does not have.
func unsupported(op string, r response, err error) error {
	if err == nil && r.status == http.StatusNotFound && !r.json {
		return domain.E(domain.Invalid, op, "Su PAC no ofrece esta consulta por su API; consúltela en el portal del Administrador de Timbres del PAC.",
			fmt.Errorf("%w (status 404)", dealer.ErrUnsupported))
	}
	return dealerError(op, r, err)
}

// Documents: the local PAC's extension GET /sim/dealers/users/{id}/documents
// (NOT an SW endpoint).
func (d *Dealer) Documents(ctx context.Context, id string, from, to time.Time) ([]dealer.Document, error) {
	const op = "pac.Dealer.Documents"
	q := url.Values{"from": {from.UTC().Format(time.RFC3339)}, "to": {to.UTC().Format(time.RFC3339)}}
	r, err := d.send(ctx, http.MethodGet, "/sim/dealers/users/"+url.PathEscape(id)+"/documents?"+q.Encode(), nil)
	if err != nil || !succeeded(r) {
		return nil, unsupported(op, r, err)
	}
	var list []DocumentData
	if err := json.Unmarshal(r.env.Data, &list); err != nil {
		return nil, domain.E(domain.Unavailable, op, "El PAC respondió con una lista que Folio no entiende.", err)
	}
	out := make([]dealer.Document, 0, len(list))
	for _, x := range list {
		doc := dealer.Document{UUID: strings.ToUpper(x.UUID), Received: x.Received, Serie: x.Serie, Folio: x.Folio,
			RFCEmisor: x.RFCEmisor, RFCReceptor: x.RFCReceptor, Estatus: x.Estatus, Total: x.Total, XMLURL: x.URLXML}
		doc.Fecha, _ = time.ParseInLocation("2006-01-02T15:04:05", x.Fecha, domain.MexicoCity)
		out = append(out, doc)
	}
	return out, nil
}

// DocumentXML downloads a document's XML from its URL.
func (d *Dealer) DocumentXML(ctx context.Context, doc dealer.Document) ([]byte, error) {
	const op = "pac.Dealer.DocumentXML"
	if doc.XMLURL == "" {
		return nil, domain.E(domain.NotFound, op, "El PAC no dio la dirección del XML de este comprobante.", nil)
	}
	r, err := d.c.call(ctx, func(tok string) (*http.Request, []byte, error) {
		req, err := http.NewRequest(http.MethodGet, doc.XMLURL, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		return req, nil, nil
	})
	if err != nil || r.status != http.StatusOK || len(r.body) == 0 {
		return nil, dealerError(op, r, err)
	}
	return r.body, nil
}

// Issuers: the local PAC's extension GET /sim/dealers/users/{id}/issuers
// (NOT an SW endpoint).
func (d *Dealer) Issuers(ctx context.Context, id string) ([]string, error) {
	const op = "pac.Dealer.Issuers"
	r, err := d.send(ctx, http.MethodGet, "/sim/dealers/users/"+url.PathEscape(id)+"/issuers", nil)
	if err != nil || !succeeded(r) {
		return nil, unsupported(op, r, err)
	}
	var list []string
	if err := json.Unmarshal(r.env.Data, &list); err != nil {
		return nil, domain.E(domain.Unavailable, op, "El PAC respondió con una lista que Folio no entiende.", err)
	}
	return list, nil
}

// SetIssuers: PUT on the same extension with {"issuers"}.
func (d *Dealer) SetIssuers(ctx context.Context, id string, rfcs []string) error {
	const op = "pac.Dealer.SetIssuers"
	if rfcs == nil {
		rfcs = []string{}
	}
	r, err := d.send(ctx, http.MethodPut, "/sim/dealers/users/"+url.PathEscape(id)+"/issuers", map[string]any{"issuers": rfcs})
	if err != nil || !succeeded(r) {
		return unsupported(op, r, err)
	}
	return nil
}

// History: the local PAC's debug route GET /sim/movements/{id} (NOT an SW
// endpoint: SW lists no movements, pac/README.md §6.1), filtered to
// [from, to). id "" is the dealer's own account.
func (d *Dealer) History(ctx context.Context, id string, from, to time.Time) ([]dealer.Movement, error) {
	const op = "pac.Dealer.History"
	if id == "" {
		b, err := d.OwnBalance(ctx)
		if err != nil {
			return nil, err
		}
		id = b.AccountID
	}
	r, err := d.send(ctx, http.MethodGet, "/sim/movements/"+url.PathEscape(id), nil)
	if err != nil || !succeeded(r) {
		return nil, unsupported(op, r, err)
	}
	var list []Transaction
	if err := json.Unmarshal(r.env.Data, &list); err != nil {
		return nil, domain.E(domain.Unavailable, op, "El PAC respondió con una lista que Folio no entiende.", err)
	}
	var out []dealer.Movement
	for _, t := range list {
		m := movementOf(t)
		if m.Date.Before(from) || !m.Date.Before(to) {
			continue
		}
		out = append(out, m)
	}
	return out, nil
}
