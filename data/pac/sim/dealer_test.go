package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
)

const (
	dealerUser     = "distribuidor@folio.test"
	dealerPassword = "Distribuidor-2026!"
)

// startDealer starts a simulator whose only account is a dealer holding
// bought stamps, and returns the Folio service over it (client over HTTP,
// actions recorded in a real SQLite store).
func startDealer(tb testing.TB, bought int64) (*sim.Server, *dealer.Service, *sqlite.Store) {
	tb.Helper()
	s, err := sim.Start(sim.Options{Key: sharedKey(tb), SkipQR: true,
		Users: []sim.User{{Name: "Distribuidor", Email: dealerUser, Password: dealerPassword, Stamps: bought, RFC: "EKU9003173C9", Dealer: true}}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	c, err := pac.NewClient(pac.Config{ServicesURL: s.URL(), APIURL: s.URL(), User: dealerUser, Password: dealerPassword, Timeout: 10 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "folio.db"), sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return s, &dealer.Service{API: c.Dealer(), Store: st, Dealer: "sw|" + s.URL() + "|" + dealerUser}, st
}

func clientRFC(i int) string { return fmt.Sprintf("CL%c2001%02dAB%d", 'A'+i%26, i%28+1, i%10) }

func newClientReq(i int, stamps int64, unlimited bool) dealer.NewClient {
	return dealer.NewClient{Name: " Cliente " + strconv.Itoa(i) + " ", RFC: " " + clientRFC(i), Email: fmt.Sprintf("  cliente%d@folio.test ", i),
		Password: " Cliente-" + strconv.Itoa(2026+i) + "! ", Stamps: stamps, Unlimited: unlimited}
}

// childClient is the PAC client of a created account, by its own token.
func childClient(tb testing.TB, s *sim.Server, token string) *pac.Client {
	tb.Helper()
	c, err := pac.NewClient(pac.Config{ServicesURL: s.URL(), APIURL: s.URL(), Token: token, Timeout: 10 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestDealerConservation runs a random sequence of create, assign,
// remove, unlimited on/off, delete and stamp through dealer.Service and
// the SW client against the local PAC over HTTP, and checks after every
// step that the dealer's balance plus its clients' balances plus the
// stamps consumed by stamping equals what was bought; and at the end that
// every account's movements add up to its balance and that Folio's own
// record of each client's movements agrees with the PAC. FOLIO_SEED
// replays a run.
func TestDealerConservation(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("FOLIO_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (FOLIO_SEED=%d replays it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	steps := 150
	if testing.Short() {
		steps = 40
	}
	const bought = 300
	ctx := context.Background()
	s, svc, _ := startDealer(t, bought)

	type child struct {
		c         dealer.Client
		pac       *pac.Client
		unlimited bool
		consumed  int64 // stamps its stamping took from its balance
	}
	var live []*child
	var consumedGone int64 // consumed by accounts since deleted
	seen := map[string]int{}
	next := 0
	folio := 0
	fecha := time.Now()

	check := func(step int, what string) {
		t.Helper()
		own, err := svc.OwnBalance(ctx)
		if err != nil {
			t.Fatalf("step %d (%s): own balance: %v", step, what, err)
		}
		total := own.Stamps + consumedGone
		for _, ch := range live {
			b, err := svc.ClientBalance(ctx, ch.c.ID)
			if err != nil {
				t.Fatalf("step %d (%s): balance of %s: %v", step, what, ch.c.Email, err)
			}
			total += b.Stamps + ch.consumed
		}
		if total != bought {
			t.Fatalf("step %d (%s): dealer + clients + consumed = %d, want %d bought", step, what, total, bought)
		}
	}

	for step := 0; step < steps; step++ {
		op := rng.IntN(10)
		if len(live) == 0 {
			op = 0
		}
		var ch *child
		if len(live) > 0 {
			ch = live[rng.IntN(len(live))]
		}
		own, err := svc.OwnBalance(ctx)
		if err != nil {
			t.Fatal(err)
		}
		what := ""
		switch {
		case op <= 1: // create
			next++
			unl := rng.IntN(5) == 0
			n := rng.Int64N(own.Stamps + 10)
			what = fmt.Sprintf("create #%d stamps %d unlimited %v", next, n, unl)
			c, err := svc.Create(ctx, newClientReq(next, n, unl))
			if !unl && n > own.Stamps {
				if domain.KindOf(err) != domain.Invalid || len(sales.FieldErrors(err)["Stamps"]) == 0 {
					t.Fatalf("step %d (%s): over-assign gave %v, want a Stamps field error", step, what, err)
				}
				seen["refused over-assign"]++
				break
			}
			if err != nil {
				t.Fatalf("step %d (%s): %v", step, what, err)
			}
			if c.Email != fmt.Sprintf("cliente%d@folio.test", next) || c.Name != "Cliente "+strconv.Itoa(next) {
				t.Fatalf("step %d: values not trimmed: %q %q", step, c.Email, c.Name)
			}
			live = append(live, &child{c: c, pac: childClient(t, s, c.AccessToken), unlimited: unl})
			seen["create"]++
		case op <= 3: // assign
			n := 1 + rng.Int64N(40)
			what = fmt.Sprintf("assign %d to %s", n, ch.c.Email)
			_, err := svc.AddStamps(ctx, dealer.StampsChange{Client: ch.c, Stamps: n, Comment: " recarga "})
			switch {
			case ch.unlimited:
				if domain.KindOf(err) != domain.Invalid {
					t.Fatalf("step %d (%s): unlimited client got %v, want Invalid", step, what, err)
				}
				seen["refused add to unlimited"]++
			case n > own.Stamps:
				if len(sales.FieldErrors(err)["Stamps"]) == 0 {
					t.Fatalf("step %d (%s): got %v, want a Stamps field error", step, what, err)
				}
				seen["refused over-assign"]++
			case err != nil:
				t.Fatalf("step %d (%s): %v", step, what, err)
			default:
				seen["assign"]++
			}
		case op <= 5: // remove
			b, _ := svc.ClientBalance(ctx, ch.c.ID)
			n := 1 + rng.Int64N(b.Stamps+3)
			what = fmt.Sprintf("remove %d of %d from %s", n, b.Stamps, ch.c.Email)
			_, err := svc.RemoveStamps(ctx, dealer.StampsChange{Client: ch.c, Stamps: n, Comment: "devolución"})
			if n > b.Stamps {
				if len(sales.FieldErrors(err)["Stamps"]) == 0 {
					t.Fatalf("step %d (%s): got %v, want a Stamps field error", step, what, err)
				}
				seen["refused over-remove"]++
			} else if err != nil {
				t.Fatalf("step %d (%s): %v", step, what, err)
			} else {
				seen["remove"]++
			}
		case op == 6: // unlimited on/off
			u := !ch.unlimited
			what = fmt.Sprintf("unlimited %v for %s", u, ch.c.Email)
			changed, err := svc.Update(ctx, dealer.ClientUpdate{ID: ch.c.ID, Unlimited: &u})
			if err != nil || !changed {
				t.Fatalf("step %d (%s): changed %v, %v", step, what, changed, err)
			}
			ch.unlimited = u
			seen["unlimited"]++
		case op == 7: // delete
			b, _ := svc.ClientBalance(ctx, ch.c.ID)
			what = fmt.Sprintf("delete %s with %d", ch.c.Email, b.Stamps)
			err := svc.Delete(ctx, ch.c)
			if b.Stamps > 0 {
				if domain.KindOf(err) != domain.Conflict {
					t.Fatalf("step %d (%s): got %v, want Conflict", step, what, err)
				}
				seen["refused delete"]++
				break
			}
			if err != nil {
				t.Fatalf("step %d (%s): %v", step, what, err)
			}
			consumedGone += ch.consumed
			for i, x := range live {
				if x == ch {
					live = append(live[:i], live[i+1:]...)
					break
				}
			}
			seen["delete"]++
		default: // stamp
			b, _ := svc.ClientBalance(ctx, ch.c.ID)
			folio++
			what = fmt.Sprintf("stamp by %s (balance %d, unlimited %v)", ch.c.Email, b.Stamps, ch.unlimited)
			_, err := ch.pac.Stamp(ctx, fmt.Sprintf("D-%d", folio), simtest.Sealed(t, "D", strconv.Itoa(folio), fecha))
			switch {
			case ch.unlimited:
				if err != nil {
					t.Fatalf("step %d (%s): %v", step, what, err)
				}
				seen["stamp unlimited"]++
			case b.Stamps == 0:
				if err == nil {
					t.Fatalf("step %d (%s): stamped without stamps", step, what)
				}
				seen["refused stamp"]++
			case err != nil:
				t.Fatalf("step %d (%s): %v", step, what, err)
			default:
				ch.consumed++
				seen["stamp"]++
			}
		}
		check(step, what)
	}
	t.Logf("operations: %v", seen)
	for _, k := range []string{"create", "assign", "remove", "stamp", "refused over-assign", "refused over-remove"} {
		if seen[k] == 0 && !testing.Short() {
			t.Errorf("the run never did %q; the generator lost coverage", k)
		}
	}

	// Every account's movements add up to its balance (debug dump).
	byAccount := map[string][]sim.MovementEntry{}
	for _, m := range s.AllMovements() {
		byAccount[m.Account] = append(byAccount[m.Account], m)
	}
	for _, b := range s.Accounts() {
		ms := byAccount[b.IDUser]
		if len(ms) == 0 {
			continue
		}
		if last := ms[len(ms)-1].Move; last.StampsCurrent != b.StampsBalance {
			t.Errorf("%s: last movement leaves %d, balance %d", b.IDUser, last.StampsCurrent, b.StampsBalance)
		}
	}
	// Folio's record of each live client: in − out = balance + consumed.
	for _, ch := range live {
		acts, err := svc.Actions(ctx, dealer.ActionFilter{ClientID: ch.c.ID})
		if err != nil {
			t.Fatal(err)
		}
		var net int64
		for _, a := range acts {
			net += a.In - a.Out
		}
		b, _ := svc.ClientBalance(ctx, ch.c.ID)
		if net != b.Stamps+ch.consumed {
			t.Errorf("%s: Folio recorded net %d, PAC balance %d + consumed %d", ch.c.Email, net, b.Stamps, ch.consumed)
		}
	}
}

// TestDealerRefusals: each refusal is decided before any call changes the
// PAC (its movements stay as they were), with a Spanish message.
func TestDealerRefusals(t *testing.T) {
	ctx := context.Background()
	s, svc, _ := startDealer(t, 10)
	c, err := svc.Create(ctx, newClientReq(1, 4, false))
	if err != nil {
		t.Fatal(err)
	}
	unl, err := svc.Create(ctx, newClientReq(2, 0, true))
	if err != nil {
		t.Fatal(err)
	}
	foreign := dealer.Client{ID: "00000000-0000-4000-8000-000000000099", Email: "otro@folio.test"}
	tests := []struct {
		name     string
		do       func() error
		kind     domain.Kind
		field    string
		contains string
	}{
		{"create over the dealer's balance", func() error { _, err := svc.Create(ctx, newClientReq(3, 7, false)); return err },
			domain.Invalid, "Stamps", "Solo tiene 6 timbres"},
		{"create with a weak password", func() error {
			r := newClientReq(3, 0, false)
			r.Password = "abc"
			_, err := svc.Create(ctx, r)
			return err
		}, domain.Invalid, "Password", "mayúscula"},
		{"create with a bad RFC", func() error {
			r := newClientReq(3, 0, false)
			r.RFC = "NOESRFC"
			_, err := svc.Create(ctx, r)
			return err
		}, domain.Invalid, "RFC", ""},
		{"create with a repeated e-mail", func() error { _, err := svc.Create(ctx, newClientReq(1, 0, false)); return err },
			domain.Rejected, "", "ya está registrado"},
		{"assign more than the dealer has", func() error {
			_, err := svc.AddStamps(ctx, dealer.StampsChange{Client: c, Stamps: 7})
			return err
		}, domain.Invalid, "Stamps", "Solo tiene 6"},
		{"assign zero", func() error { _, err := svc.AddStamps(ctx, dealer.StampsChange{Client: c, Stamps: 0}); return err },
			domain.Invalid, "Stamps", ""},
		{"assign to an unlimited account", func() error {
			_, err := svc.AddStamps(ctx, dealer.StampsChange{Client: unl, Stamps: 1})
			return err
		}, domain.Invalid, "", "ilimitada"},
		{"remove more than the client has", func() error {
			_, err := svc.RemoveStamps(ctx, dealer.StampsChange{Client: c, Stamps: 5})
			return err
		}, domain.Invalid, "Stamps", "solo tiene 4"},
		{"delete while the client has stamps", func() error { return svc.Delete(ctx, c) }, domain.Conflict, "", "aún tiene 4 timbres"},
		{"a client of another dealer", func() error {
			_, err := svc.AddStamps(ctx, dealer.StampsChange{Client: foreign, Stamps: 1})
			return err
		}, domain.NotFound, "", "Usuario no pertenece al Dealer"},
		{"a password equal to the user", func() error { return svc.ChangePassword(ctx, c, "Cliente1@folio.test") }, domain.Invalid, "Password", ""},
	}
	before := len(s.AllMovements())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if domain.KindOf(err) != tc.kind {
				t.Fatalf("kind = %v (%v), want %v", domain.KindOf(err), err, tc.kind)
			}
			msgs := sales.FieldErrors(err)
			msg := domain.UserMessage(err)
			if tc.field != "" {
				if msgs[tc.field] == "" {
					t.Fatalf("no problem on field %s: %v", tc.field, err)
				}
				msg = msgs[tc.field]
			}
			if tc.contains != "" && !containsFold(msg, tc.contains) {
				t.Errorf("message %q lacks %q", msg, tc.contains)
			}
		})
	}
	if after := len(s.AllMovements()); after != before {
		t.Errorf("refusals changed the PAC: %d movements, want %d", after, before)
	}
	// The PAC itself refuses what the service would have caught (its
	// recorded texts), when called directly.
	api := svc.API
	if _, err := api.RemoveStamps(ctx, c.ID, 5, ""); domain.KindOf(err) != domain.Rejected || !containsFold(domain.UserMessage(err), "AU1006") {
		t.Errorf("direct over-remove: %v, want Rejected with AU1006", err)
	}
	if err := api.DeleteClient(ctx, c.ID); domain.KindOf(err) != domain.Rejected {
		t.Errorf("direct delete with stamps: %v, want Rejected", err)
	}
	// Identical data is not an error.
	name := "Cliente 1"
	if changed, err := svc.Update(ctx, dealer.ClientUpdate{ID: c.ID, Name: &name}); err != nil || changed {
		t.Errorf("identical update: changed %v, %v; want false, nil", changed, err)
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// TestDealerListShape: the local PAC answers the user list with SW's
// envelope, meta and links (pac/README.md §6.1), pages in creation order,
// and 204 with no body on delete.
func TestDealerListShape(t *testing.T) {
	ctx := context.Background()
	s, svc, _ := startDealer(t, 30)
	for i := 1; i <= 3; i++ {
		if _, err := svc.Create(ctx, newClientReq(i, 0, false)); err != nil {
			t.Fatal(err)
		}
	}
	p, err := svc.Clients(ctx, dealer.Filter{Page: 1, PerPage: 2})
	if err != nil || p.Total != 3 || p.TotalPages != 2 || len(p.Clients) != 2 || p.Clients[0].Email != "cliente1@folio.test" || p.Clients[1].Email != "cliente2@folio.test" {
		t.Fatalf("page 1 = %+v, %v", p, err)
	}
	// The raw answer has SW's keys.
	tok := authToken(t, s)
	body := getJSON(t, s.URL()+"/management/v2/api/dealers/users?page=2&perPage=2", tok)
	for _, k := range []string{`"meta":{"page":2,"perPage":2,"pageCount":1,"totalCount":3,"totalPages":2}`, `"links":{"Self":`, `"First":`, `"End":`, `"Next":""`, `"status":"success"`, `"isUnlimited":false`, `"taxId":"`} {
		if !strings.Contains(body, k) {
			t.Errorf("list answer lacks %s:\n%s", k, body)
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, s.URL()+"/management/v2/api/dealers/users/"+p.Clients[0].ID, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || len(b) != 0 {
		t.Errorf("delete = %d %q, want 204 without a body", resp.StatusCode, b)
	}
}

func authToken(t *testing.T, s *sim.Server) string {
	t.Helper()
	resp, err := http.Post(s.URL()+"/v2/security/authenticate", "application/json", strings.NewReader(`{"user":"`+dealerUser+`","password":"`+dealerPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Data struct{ Token string } }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Data.Token == "" {
		t.Fatalf("authenticate: %v", err)
	}
	return v.Data.Token
}

func getJSON(t *testing.T, url, tok string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
