package pac_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
)

// dealerServer serves one canned answer per "METHOD path" and records the
// requests it got (method, path with query, body).
type dealerServer struct {
	answers map[string]struct {
		status int
		body   string
	}
	got []string
}

func (d *dealerServer) start(t *testing.T) *pac.Dealer {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		d.got = append(d.got, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		if r.Header.Get("Authorization") != "Bearer a.b.c" {
			t.Errorf("%s %s without the token", r.Method, r.URL)
		}
		a, ok := d.answers[r.Method+" "+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if a.body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	c, err := pac.NewClient(pac.Config{ServicesURL: srv.URL, APIURL: srv.URL, Token: "a.b.c", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c.Dealer()
}

func (d *dealerServer) answer(key string, status int, body string) {
	if d.answers == nil {
		d.answers = map[string]struct {
			status int
			body   string
		}{}
	}
	d.answers[key] = struct {
		status int
		body   string
	}{status, body}
}

// TestDealerRecordedErrors feeds the client SW's recorded dealer error
// bodies (pac/recorded/sw, legacy routes: the only dealer bodies ever
// recorded) as answers of the v2 routes and checks the Spanish reason.
func TestDealerRecordedErrors(t *testing.T) {
	dir := sharedRecorded(t, "sw")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		file     string
		method   string
		kind     domain.Kind
		contains string
	}{
		{"dealer_add_stamps_error_sdkdoc.json", http.MethodPost, domain.NotFound, "Usuario no pertenece al Dealer"},
		{"dealer_remove_stamps_insufficient_AU1006_sdkdoc.json", http.MethodDelete, domain.Rejected, "AU1006 Saldo insuficiente."},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			var s dealerServer
			s.answer(tc.method+" /management/v2/api/dealers/users/u1/stamps", http.StatusBadRequest, read(tc.file))
			api := s.start(t)
			var err error
			if tc.method == http.MethodPost {
				_, err = api.AddStamps(context.Background(), "u1", 3, "x")
			} else {
				_, err = api.RemoveStamps(context.Background(), "u1", 3, "x")
			}
			if domain.KindOf(err) != tc.kind || !strings.Contains(domain.UserMessage(err), tc.contains) {
				t.Errorf("err = %v (%q), want %v containing %q", err, domain.UserMessage(err), tc.kind, tc.contains)
			}
		})
	}
	// The legacy success body carries a sentence, not the v2 integer: the
	// client must not take it for a balance.
	var s dealerServer
	s.answer("POST /management/v2/api/dealers/users/u1/stamps", http.StatusOK, read("dealer_add_stamps_success_sdkdoc.json"))
	if _, err := s.start(t).AddStamps(context.Background(), "u1", 100, ""); err == nil {
		t.Error("a sentence in data was read as a balance")
	}
}

// TestDealerV2Shapes checks the requests and the decoding of the v2
// answers as pac/README.md §6.1 gives them from SW's SDKs.
func TestDealerV2Shapes(t *testing.T) {
	ctx := context.Background()
	var s dealerServer
	user := `{"idUser":"6b9c2a52-1f0e-4a4e-9d7e-5b8b3f7c0a11","idDealer":"d1","name":"Cliente Uno","taxId":"CLA200101AB1",
		"username":"uno@cliente.mx","lastPasswordChange":null,"email":"uno@cliente.mx","notificationEmail":"avisos@cliente.mx",
		"profile":3,"isActive":true,"registeredDate":"2026-01-02T03:04:05.123","accessToken":"t.o.k","phone":"5512345678",
		"stamps":25,"isUnlimited":false}`
	s.answer("GET /management/v2/api/dealers/users", http.StatusOK, `{"data":[`+user+`],"meta":{"page":2,"perPage":1,"pageCount":1,"totalCount":3,"totalPages":3},
		"links":{"Self":"x","First":"y","End":"z","Next":"w"},"status":"success"}`)
	s.answer("POST /management/v2/api/dealers/users", http.StatusOK, `{"data":`+user+`,"status":"success"}`)
	s.answer("PUT /management/v2/api/dealers/users/u1", http.StatusBadRequest,
		`{"message":"No es posible actualizar, los datos enviados son identicos a los actuales","messageDetail":null,"data":null,"status":"error"}`)
	s.answer("DELETE /management/v2/api/dealers/users/u1", http.StatusNoContent, "")
	s.answer("POST /management/v2/api/dealers/users/u1/stamps", http.StatusOK, `{"data":30,"status":"success"}`)
	s.answer("DELETE /management/v2/api/dealers/users/u1/stamps", http.StatusOK, `{"data":28,"status":"success"}`)
	s.answer("GET /management/v2/api/dealers/balance/users/u1", http.StatusOK, `{"data":{"idUserBalance":"b1","idUser":"u1",
		"stampsBalance":28,"stampsUsed":2,"stampsAssigned":30,"unlimited":false,"expirationDate":null,"lastTransaction":{"folio":7,
		"idUser":"d1","idUserReceiver":"u1","nameReceiver":"Cliente Uno","stampsIn":null,"stampsOut":2,"stampsCurrent":28,
		"comment":"devolución","date":"2026-01-05T10:00:00","isEmailSent":false}},"meta":null,"links":null,"status":"success"}`)
	s.answer("PUT /management/api/users/u1/reset_password", http.StatusOK, `{"data":"ok","status":"success"}`)
	api := s.start(t)

	p, err := api.Clients(ctx, dealer.Filter{Query: "CLA200101AB1", Page: 2, PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Clients[0]
	if p.Total != 3 || p.TotalPages != 3 || p.Page != 2 || c.Email != "uno@cliente.mx" || c.NotificationEmail != "avisos@cliente.mx" ||
		c.Phone != "5512345678" || c.Stamps != 25 || !c.Active || c.Registered.IsZero() || c.AccessToken != "t.o.k" {
		t.Errorf("page = %+v", p)
	}
	if _, err := api.CreateClient(ctx, dealer.NewClient{Name: "Cliente Uno", RFC: "CLA200101AB1", Email: "uno@cliente.mx", Password: "Secreta-1!", Stamps: 25}); err != nil {
		t.Fatal(err)
	}
	if changed, err := api.UpdateClient(ctx, dealer.ClientUpdate{ID: "u1"}); err != nil || changed {
		t.Errorf("identical update: %v %v", changed, err)
	}
	if err := api.DeleteClient(ctx, "u1"); err != nil {
		t.Errorf("delete 204: %v", err)
	}
	if n, err := api.AddStamps(ctx, "u1", 5, "recarga"); err != nil || n != 30 {
		t.Errorf("add = %d, %v", n, err)
	}
	if n, err := api.RemoveStamps(ctx, "u1", 2, "devolución"); err != nil || n != 28 {
		t.Errorf("remove = %d, %v", n, err)
	}
	b, err := api.ClientBalance(ctx, "u1")
	if err != nil || b.Stamps != 28 || b.Used != 2 || b.Assigned != 30 || b.Last == nil || b.Last.Out != 2 || b.Last.Folio != 7 {
		t.Errorf("balance = %+v, %v", b, err)
	}
	if err := api.ChangePassword(ctx, "u1", "Nueva-clave-9"); err != nil {
		t.Error(err)
	}
	// A route SW does not have (the local PAC's extension) is reported as
	// unsupported, not as a failure of the account.
	_, err = api.History(ctx, "u1", time.Now().Add(-time.Hour), time.Now())
	if !errors.Is(err, dealer.ErrUnsupported) {
		t.Errorf("history on SW: %v, want ErrUnsupported", err)
	}

	want := []string{
		"GET /management/v2/api/dealers/users?TaxId=CLA200101AB1&page=2&perPage=1 ",
		`POST /management/v2/api/dealers/users {"email":"uno@cliente.mx","isUnlimited":false,"name":"Cliente Uno","password":"Secreta-1!","stamps":25,"taxId":"CLA200101AB1"}`,
		`PUT /management/v2/api/dealers/users/u1 {"idUser":"u1","isUnlimited":null,"name":null,"notificationEmail":null,"phone":null,"taxId":null}`,
		"DELETE /management/v2/api/dealers/users/u1 ",
		`POST /management/v2/api/dealers/users/u1/stamps {"comment":"recarga","stamps":5}`,
		`DELETE /management/v2/api/dealers/users/u1/stamps {"comment":"devolución","stamps":2}`,
		"GET /management/v2/api/dealers/balance/users/u1 ",
		`PUT /management/api/users/u1/reset_password {"Password":"Nueva-clave-9"}`,
		"GET /sim/movements/u1 ",
	}
	if len(s.got) != len(want) {
		t.Fatalf("requests:\n%s", strings.Join(s.got, "\n"))
	}
	for i := range want {
		if s.got[i] != want[i] {
			t.Errorf("request %d = %s\nwant        %s", i, s.got[i], want[i])
		}
	}
}

// TestDealerAuditHidesPasswords: the audit trail never holds a client's
// password or token.
func TestDealerAuditHidesPasswords(t *testing.T) {
	var audit []pac.Exchange
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			io.WriteString(w, `{"data":[{"idUser":"u1","accessToken":"sec.ret.tok2"}],"meta":null,"links":null,"status":"success"}`)
			return
		}
		io.WriteString(w, `{"data":{"idUser":"u1","accessToken":"sec.ret.tok"},"status":"success"}`)
	}))
	defer srv.Close()
	c, _ := pac.NewClient(pac.Config{APIURL: srv.URL, ServicesURL: srv.URL, Token: "a.b.c", Audit: func(x pac.Exchange) { audit = append(audit, x) }})
	if _, err := c.Dealer().CreateClient(context.Background(), dealer.NewClient{Name: "X", Email: "x@y.mx", Password: "Muy-secreta-1"}); err != nil {
		t.Fatal(err)
	}
	if p, err := c.Dealer().Clients(context.Background(), dealer.Filter{}); err != nil || p.Clients[0].AccessToken != "sec.ret.tok2" {
		t.Fatalf("list = %+v, %v", p, err)
	}
	if err := c.Dealer().ChangePassword(context.Background(), "u1", "Otra-secreta-2"); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(audit)
	if len(audit) != 3 {
		t.Fatalf("%d exchanges audited, want 3", len(audit))
	}
	if strings.Contains(string(raw), "Muy-secreta-1") || strings.Contains(string(raw), "Otra-secreta-2") || strings.Contains(string(raw), "sec.ret.tok") {
		t.Errorf("audit holds a secret: %s", raw)
	}
}
