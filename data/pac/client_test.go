package pac_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

const (
	user     = "ventas@folio.test"
	password = "S3creta!pac"
)

// startSim runs a local PAC with one user holding stamps.
func startSim(t *testing.T, opts sim.Options) *sim.Server {
	t.Helper()
	opts.Key = sharedKey()
	if opts.Users == nil {
		opts.Users = []sim.User{{Name: "Ventas", Email: user, Password: password, Token: "long.lived.token", Stamps: 100}}
	}
	s, err := sim.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// recorder keeps audit records.
type recorder struct {
	mu   sync.Mutex
	list []pac.Exchange
}

func (r *recorder) add(x pac.Exchange) { r.mu.Lock(); r.list = append(r.list, x); r.mu.Unlock() }

func (r *recorder) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, x := range r.list {
		if strings.HasSuffix(x.URL, path) {
			n++
		}
	}
	return n
}

func newClient(t *testing.T, s *sim.Server, mod func(*pac.Config)) (*pac.Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	cfg := pac.Config{ServicesURL: s.URL(), APIURL: s.URL(), SATStatusURL: s.StatusURL(), User: user, Password: password,
		Timeout: 5 * time.Second, StorageWait: 50 * time.Millisecond, StorageAttempts: 40, Audit: rec.add}
	if mod != nil {
		mod(&cfg)
	}
	c, err := pac.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// verifyStamped checks a stamped CFDI with the Go verifier: the issuer's
// seal and the simulator's SelloSAT.
func verifyStamped(t *testing.T, s *sim.Server, xml []byte) *cfdi.Comprobante {
	t.Helper()
	c, err := cfdi.Parse(xml)
	if err != nil {
		t.Fatalf("parse stamped: %v", err)
	}
	if err := cfdi.VerifySeal(c); err != nil {
		t.Errorf("VerifySeal: %v", err)
	}
	if err := cfdi.VerifyTFD(c, s.Certificate()); err != nil {
		t.Errorf("VerifyTFD: %v", err)
	}
	return c
}

func TestStampAndResubmit(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{})
	c, rec := newClient(t, s, nil)
	ctx := context.Background()
	sealed := simtest.Sealed(t, "A", "1", time.Now())

	// When a new document is stamped, then it comes back with a TFD signed by the PAC.
	r, err := c.Stamp(ctx, "doc-1", sealed)
	if err != nil || r.Class != stamping.Stamped {
		t.Fatalf("Stamp = %v, %v; want stamped", r.Class, err)
	}
	doc := verifyStamped(t, s, r.StampedXML)
	if got := strings.ToUpper(doc.Complemento.TimbreFiscalDigital.UUID); got != r.UUID {
		t.Errorf("UUID = %s, want %s", r.UUID, got)
	}
	if !bytes.Contains(r.StampedXML, []byte(doc.Sello)) {
		t.Error("stamped XML lost the issuer's seal")
	}
	// When the same bytes are sent again (a lost reply), then 307 returns the same stamp.
	r2, err := c.Stamp(ctx, "doc-1", sealed)
	if err != nil || r2.Class != stamping.AlreadyStamped || r2.UUID != r.UUID || !bytes.Equal(r2.StampedXML, r.StampedXML) {
		t.Fatalf("resubmit = %v %s, %v; want already stamped %s", r2.Class, r2.UUID, err, r.UUID)
	}
	if n := s.StampCount(simtest.IssuerRFC, "A", "1"); n != 1 {
		t.Errorf("sim stamps for A-1 = %d, want 1", n)
	}
	// The token was obtained once and reused.
	if n := rec.count("/v2/security/authenticate"); n != 1 {
		t.Errorf("authentications = %d, want 1", n)
	}
	// Secrets never reach the audit log.
	for _, x := range rec.list {
		all := string(x.RequestBody) + string(x.ResponseBody) + strings.Join(x.RequestHeader.Values("Authorization"), "")
		if strings.Contains(all, password) || strings.Contains(all, "eyJ") {
			t.Errorf("audit of %s keeps a secret: %q", x.URL, all[:min(len(all), 200)])
		}
	}
}

func TestCustomIDDuplicate(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{StorageDelay: 300 * time.Millisecond})
	c, _ := newClient(t, s, nil)
	ctx := context.Background()
	now := time.Now()
	first := simtest.Sealed(t, "B", "7", now.Add(-time.Hour))
	r1, err := c.Stamp(ctx, "inv-7", first)
	if err != nil {
		t.Fatal(err)
	}
	// Given the same folio re-dated and re-sealed (new bytes) with the same
	// customid, then CFDI3307 is resolved from storage to the first stamp.
	second := simtest.Sealed(t, "B", "7", now)
	r2, err := c.Stamp(ctx, "inv-7", second)
	if err != nil || r2.Class != stamping.DuplicateCustomID {
		t.Fatalf("Stamp second = %v %s, %v; want duplicate customid", r2.Class, r2.Code, err)
	}
	if r2.UUID != r1.UUID || !bytes.Equal(r2.StampedXML, r1.StampedXML) {
		t.Errorf("recovered %s, want %s", r2.UUID, r1.UUID)
	}
	if n := s.StampCount(simtest.IssuerRFC, "B", "7"); n != 1 {
		t.Errorf("sim stamps for B-7 = %d, want 1", n)
	}
	// Given another document with a reused customid, then the user must act.
	other := simtest.Sealed(t, "B", "8", now)
	r3, err := c.Stamp(ctx, "inv-7", other)
	if r3.Class != stamping.NeedsUser || r3.Code != "CFDI3307" || domain.KindOf(err) != domain.Rejected {
		t.Errorf("reused customid = %v %s, %v; want needs user CFDI3307", r3.Class, r3.Code, err)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{})
	ctx := context.Background()

	t.Run("token expiry renews once", func(t *testing.T) {
		c, rec := newClient(t, s, nil)
		if _, err := c.Stamp(ctx, "auth-1", simtest.Sealed(t, "AU", "1", time.Now())); err != nil {
			t.Fatal(err)
		}
		s.ExpireTokens()
		if _, err := c.Stamp(ctx, "auth-2", simtest.Sealed(t, "AU", "2", time.Now())); err != nil {
			t.Fatalf("after expiry: %v", err)
		}
		if n := rec.count("/v2/security/authenticate"); n != 2 {
			t.Errorf("authentications = %d, want 2", n)
		}
	})
	t.Run("renewal before expiry", func(t *testing.T) {
		clock := time.Now()
		var mu sync.Mutex
		c, rec := newClient(t, s, func(cfg *pac.Config) {
			cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		})
		if err := c.Authenticate(ctx); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		clock = clock.Add(2*time.Hour - 5*time.Minute) // inside the 10-minute renewal margin
		mu.Unlock()
		if _, err := c.Balance(ctx); err != nil {
			t.Fatal(err)
		}
		if n := rec.count("/v2/security/authenticate"); n != 2 {
			t.Errorf("authentications = %d, want 2 (renewed before expiry)", n)
		}
	})
	t.Run("long-lived token", func(t *testing.T) {
		c, rec := newClient(t, s, func(cfg *pac.Config) { cfg.User, cfg.Password, cfg.Token = "", "", "long.lived.token" })
		if _, err := c.Stamp(ctx, "auth-3", simtest.Sealed(t, "AU", "3", time.Now())); err != nil {
			t.Fatal(err)
		}
		if n := rec.count("authenticate"); n != 0 {
			t.Errorf("authentications = %d, want 0", n)
		}
	})
	t.Run("bad password", func(t *testing.T) {
		c, _ := newClient(t, s, func(cfg *pac.Config) { cfg.Password = "wrong" })
		r, err := c.Stamp(ctx, "auth-4", simtest.Sealed(t, "AU", "4", time.Now()))
		if r.Class != stamping.BadCredentials || err == nil {
			t.Errorf("Stamp = %v, %v; want bad credentials", r.Class, err)
		}
	})
	t.Run("revoked long-lived token", func(t *testing.T) {
		c, _ := newClient(t, s, func(cfg *pac.Config) { cfg.Token = "revoked.long.token" })
		r, err := c.Stamp(ctx, "auth-5", simtest.Sealed(t, "AU", "5", time.Now()))
		if r.Class != stamping.BadCredentials || err == nil {
			t.Errorf("Stamp = %v, %v; want bad credentials", r.Class, err)
		}
	})
}

func TestStampFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   sim.Fault
		unknown bool
	}{
		{"reply lost after commit", sim.Fault{Kind: sim.LostReply}, true},
		{"503 with JSON", sim.Fault{Kind: sim.ServerError, Status: 503}, true},
		{"502 plain text", sim.Fault{Kind: sim.ServerError, Status: 502, Plain: true}, true},
		{"slow past the client timeout", sim.Fault{Kind: sim.SlowReply, Delay: 700 * time.Millisecond}, true},
		{"committed, then slow", sim.Fault{Kind: sim.SlowAfterCommit, Delay: 700 * time.Millisecond}, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, sim.Options{})
			c, _ := newClient(t, s, nil)
			folio := string(rune('1' + i))
			sealed := simtest.Sealed(t, "F", folio, time.Now())
			s.InjectFaults(tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
			r, err := c.Stamp(ctx, "fault-"+folio, sealed)
			cancel()
			if r.Class != stamping.Retryable || r.Unknown != tt.unknown || domain.KindOf(err) != domain.Unavailable {
				t.Fatalf("Stamp = %v unknown=%v, %v; want retryable unknown=%v", r.Class, r.Unknown, err, tt.unknown)
			}
			time.Sleep(800 * time.Millisecond) // let a slow handler finish
			// The retry sends the same bytes and customid: one stamp in the end.
			r, err = c.Stamp(context.Background(), "fault-"+folio, sealed)
			if err != nil || !r.Class.HasStamp() {
				t.Fatalf("retry = %v, %v; want a stamp", r.Class, err)
			}
			verifyStamped(t, s, r.StampedXML)
			if n := s.StampCount(simtest.IssuerRFC, "F", folio); n != 1 {
				t.Errorf("sim stamps = %d, want 1", n)
			}
		})
	}
}

func TestStampNeedsUser(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{})
	c, _ := newClient(t, s, nil)
	now := time.Now()
	tampered := func() []byte {
		b := simtest.Sealed(t, "N", "1", now)
		return bytes.Replace(b, []byte(`Total="116.00"`), []byte(`Total="117.00"`), 1)
	}
	otherIssuer := func() []byte {
		inv := simtest.Invoice("N", "3", now, 1)
		inv.Emisor.Rfc = "CACX7605101P8"
		return simtest.Seal(t, inv)
	}
	tests := []struct {
		name   string
		sealed []byte
		code   string
	}{
		{"seal does not verify", tampered(), "CFDI40102"},
		{"older than 72 hours", simtest.Sealed(t, "N", "2", now.Add(-73*time.Hour)), "401"},
		{"in the future", simtest.Sealed(t, "N", "4", now.Add(time.Hour)), "401"},
		{"certificate of another RFC", otherIssuer(), "303"},
		{"not XML", []byte("<cfdi:Comprobante"), "301"},
	}
	for i, tt := range tests {
		r, err := c.Stamp(context.Background(), "needs-"+string(rune('a'+i)), tt.sealed)
		if r.Class != stamping.NeedsUser || r.Code != tt.code || domain.KindOf(err) != domain.Rejected {
			t.Errorf("%s: Stamp = %v %q, %v; want needs user %s", tt.name, r.Class, r.Code, err, tt.code)
		}
		if r.Hint == "" || domain.UserMessage(err) == "" {
			t.Errorf("%s: no Spanish hint", tt.name)
		}
	}
}

func TestOutOfStampsAndBalance(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{Users: []sim.User{{Email: user, Password: password, Stamps: 1}}})
	c, _ := newClient(t, s, nil)
	ctx := context.Background()
	if _, err := c.Stamp(ctx, "bal-1", simtest.Sealed(t, "S", "1", time.Now())); err != nil {
		t.Fatal(err)
	}
	b, err := c.Balance(ctx)
	if err != nil || b.Stamps != 0 || b.Used != 1 {
		t.Fatalf("Balance = %+v, %v; want 0 left, 1 used", b, err)
	}
	sealed := simtest.Sealed(t, "S", "2", time.Now())
	r, err := c.Stamp(ctx, "bal-2", sealed)
	if r.Class != stamping.OutOfStamps || err == nil {
		t.Fatalf("Stamp = %v, %v; want out of stamps", r.Class, err)
	}
	s.AddStamps(user, 10, "recarga")
	if r, err = c.Stamp(ctx, "bal-2", sealed); err != nil || r.Class != stamping.Stamped {
		t.Fatalf("after top-up = %v, %v", r.Class, err)
	}
	b, _ = c.Balance(ctx)
	if b.Stamps != 9 || b.Used != 2 {
		t.Errorf("Balance = %+v, want 9 left, 2 used", b)
	}
	mv := s.Movements(user)
	if len(mv) != 3 || mv[1].StampsIn == nil || *mv[1].StampsIn != 10 || mv[2].StampsCurrent != 9 {
		t.Errorf("movements = %+v, want out, in 10, out (9 left)", mv)
	}
}

func TestCancellation(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{AcceptanceAbove: "1000", AcceptanceWindow: 72 * time.Hour})
	c, _ := newClient(t, s, nil)
	ctx := context.Background()
	stamp := func(folio string, units int) *cfdi.Comprobante {
		t.Helper()
		r, err := c.Stamp(ctx, "cancel-"+folio, simtest.Seal(t, simtest.Invoice("C", folio, time.Now(), units)))
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := cfdi.Parse(r.StampedXML)
		return doc
	}
	query := func(d *cfdi.Comprobante) stamping.SATStatus {
		t.Helper()
		st, err := c.CancelStatus(ctx, stamping.StatusQuery{Emisor: d.Emisor.Rfc, Receptor: d.Receptor.Rfc, Total: d.Total,
			UUID: d.Complemento.TimbreFiscalDigital.UUID, Sello: d.Sello})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	uuid := func(d *cfdi.Comprobante) string { return strings.ToUpper(d.Complemento.TimbreFiscalDigital.UUID) }

	t.Run("sin aceptación", func(t *testing.T) {
		d := stamp("1", 1) // 116.00
		if st := query(d); st.Estado != "Vigente" || st.EsCancelable != "Cancelable sin aceptación" {
			t.Fatalf("before = %+v", st)
		}
		res, err := c.Cancel(ctx, stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "02"})
		if err != nil || res.EstatusUUID != "201" || !bytes.Contains(res.Acuse, []byte("<EstatusUUID>201</EstatusUUID>")) {
			t.Fatalf("Cancel = %+v, %v", res, err)
		}
		if st := query(d); st.Estado != "Cancelado" || st.EstatusCancelacion != "Cancelado sin aceptación" {
			t.Errorf("after = %+v", st)
		}
		// A repeated request answers 202.
		if res, err := c.Cancel(ctx, stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "02"}); err != nil || res.EstatusUUID != "202" {
			t.Errorf("repeat = %+v, %v; want 202", res, err)
		}
	})
	t.Run("con aceptación: accepted, rejected, plazo vencido", func(t *testing.T) {
		for _, tc := range []struct{ folio, action, estado, estatus string }{
			{"2", "Aceptacion", "Cancelado", "Cancelado con aceptación"},
			{"3", "Rechazo", "Vigente", "Solicitud rechazada"},
			{"4", "", "Cancelado", "Plazo vencido"},
		} {
			d := stamp(tc.folio, 20) // 2320.00 > 1000
			if _, err := c.Cancel(ctx, stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "03"}); err != nil {
				t.Fatal(err)
			}
			if st := query(d); st.Estado != "Vigente" || st.EstatusCancelacion != "En proceso" || st.EsCancelable != "Cancelable con aceptación" {
				t.Fatalf("%s: pending = %+v", tc.folio, st)
			}
			switch tc.action {
			case "":
				s.SetSkew(73 * time.Hour) // the receiver never answers
			default:
				acceptReject(t, s, d.Receptor.Rfc, uuid(d), tc.action)
			}
			st := query(d)
			s.SetSkew(0)
			if st.Estado != tc.estado || st.EstatusCancelacion != tc.estatus {
				t.Errorf("%s %s: status = %+v, want %s / %s", tc.folio, tc.action, st, tc.estado, tc.estatus)
			}
		}
	})
	t.Run("validations", func(t *testing.T) {
		d := stamp("5", 1)
		repl := stamp("6", 1)
		cases := []struct {
			req  stamping.CancelRequest
			kind domain.Kind
			code string
		}{
			{stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "05"}, domain.Invalid, ""},
			{stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "01"}, domain.Invalid, ""},
			{stamping.CancelRequest{IssuerRFC: "CACX7605101P8", UUID: uuid(d), Motivo: "02"}, domain.Rejected, "203"},
			{stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: "AAAAAAAA-0000-4000-8000-000000000000", Motivo: "02"}, domain.Unavailable, "205"},
			{stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "01", FolioSustitucion: "AAAAAAAA-0000-4000-8000-000000000000"}, domain.Rejected, "208"},
		}
		for i, tc := range cases {
			_, err := c.Cancel(ctx, tc.req)
			var de *domain.Error
			if domain.KindOf(err) != tc.kind || tc.code != "" && (!errorsAs(err, &de) || de.Code != tc.code) {
				t.Errorf("case %d: Cancel = %v; want %v %s", i, err, tc.kind, tc.code)
			}
		}
		s.SetCancelable(uuid(d), false)
		if _, err := c.Cancel(ctx, stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "02"}); domain.KindOf(err) != domain.Rejected {
			t.Errorf("not cancelable: %v; want rejected 204", err)
		}
		s.SetCancelable(uuid(d), true)
		res, err := c.Cancel(ctx, stamping.CancelRequest{IssuerRFC: d.Emisor.Rfc, UUID: uuid(d), Motivo: "01", FolioSustitucion: uuid(repl)})
		if err != nil || res.EstatusUUID != "201" {
			t.Errorf("motivo 01 with substitute = %+v, %v", res, err)
		}
	})
}
