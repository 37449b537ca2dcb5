package pac_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
)

func newFinkok(t *testing.T, s *sim.Server, timeout time.Duration) *pac.Finkok {
	t.Helper()
	return newFinkokSigning(t, s, timeout, func(context.Context, string) (cfdi.CancelSigner, error) { return simtest.Signer(t), nil })
}

// newFinkokSigning is newFinkok whose cancellations are signed by signer.
func newFinkokSigning(t *testing.T, s *sim.Server, timeout time.Duration, signer func(context.Context, string) (cfdi.CancelSigner, error)) *pac.Finkok {
	t.Helper()
	f, err := pac.NewFinkok(pac.FinkokConfig{URL: s.URL(), User: " " + user + " ", Password: password + " ", RFC: "EKU9003173C9",
		Signer: signer, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFinkokOverLoopback runs the Finkok adapter against the local PAC's
// Finkok dialect over HTTP: stamp, 307 with and without the earlier xml,
// stamped/603, a lost reply settled by stamped, query_pending, credits,
// cancel and SAT status; one stamp per document at the simulator.
func TestFinkokOverLoopback(t *testing.T) {
	ctx := context.Background()
	for _, bare := range []bool{false, true} {
		s := startSim(t, sim.Options{Finkok307WithoutXML: bare, SkipQR: true})
		f := newFinkok(t, s, 5*time.Second)
		sealed := simtest.Sealed(t, "F", "1", time.Now())

		if r, err := f.Lookup(ctx, "x", sealed); r.Class != stamping.NotStamped || err == nil {
			t.Fatalf("Lookup before stamping = %v, %v; want not stamped (603)", r.Class, err)
		}
		r, err := f.Stamp(ctx, "x", sealed)
		if err != nil || r.Class != stamping.Stamped || r.UUID == "" {
			t.Fatalf("Stamp = %v %v", r.Class, err)
		}
		doc, err := cfdi.Parse(r.StampedXML)
		if err != nil || cfdi.VerifySeal(doc) != nil {
			t.Fatalf("stamped XML: %v", err)
		}
		again, err := f.Stamp(ctx, "x", sealed)
		if err != nil || again.Class != stamping.AlreadyStamped || again.UUID != r.UUID {
			t.Fatalf("resubmission (bare 307 = %v) = %v %q %v; want already stamped %s", bare, again.Class, again.UUID, err, r.UUID)
		}
		if l, err := f.Lookup(ctx, "x", sealed); err != nil || l.Class != stamping.AlreadyStamped || l.UUID != r.UUID {
			t.Fatalf("Lookup = %v %v", l.Class, err)
		}
		if n := s.StampCount("EKU9003173C9", "F", "1"); n != 1 {
			t.Fatalf("stamps at the simulator = %d, want 1", n)
		}
		p, err := f.QueryPending(ctx, r.UUID)
		if err != nil || p.UUID != r.UUID {
			t.Fatalf("QueryPending = %+v %v", p, err)
		}
		if _, err := f.QueryPending(ctx, "01234567-0123-0123-0123-012345678901"); domain.KindOf(err) != domain.NotFound {
			t.Fatalf("QueryPending unknown = %v", err)
		}
		b, err := f.Balance(ctx)
		if err != nil || b.Stamps != 99 || b.Unlimited {
			t.Fatalf("Balance = %+v %v", b, err)
		}
		q := stamping.StatusQuery{Emisor: doc.Emisor.Rfc, Receptor: doc.Receptor.Rfc, Total: doc.Total, UUID: r.UUID}
		st, err := f.CancelStatus(ctx, q)
		if err != nil || st.Estado != "Vigente" {
			t.Fatalf("CancelStatus = %+v %v", st, err)
		}
		rc, err := f.Cancel(ctx, stamping.CancelRequest{IssuerRFC: doc.Emisor.Rfc, UUID: r.UUID, Motivo: "02"})
		if err != nil || rc.EstatusUUID != "201" {
			t.Fatalf("Cancel = %+v %v", rc, err)
		}
		if st, _ := f.CancelStatus(ctx, q); st.Estado != "Cancelado" {
			t.Fatalf("after cancel: %+v", st)
		}
	}
}

// TestFinkokLostReply: the stamp is committed but the reply is lost; the
// answer is an unknown outcome, and stamped then returns the stamp without
// stamping again.
func TestFinkokLostReply(t *testing.T) {
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true})
	f := newFinkok(t, s, 5*time.Second)
	sealed := simtest.Sealed(t, "F", "2", time.Now())
	s.InjectFaults(sim.Fault{Kind: sim.LostReply})
	r, err := f.Stamp(ctx, "x", sealed)
	if r.Class != stamping.Retryable || !r.Unknown || domain.KindOf(err) != domain.Unavailable {
		t.Fatalf("lost reply = %v unknown=%v %v", r.Class, r.Unknown, err)
	}
	l, err := f.Lookup(ctx, "x", sealed)
	if err != nil || l.Class != stamping.AlreadyStamped {
		t.Fatalf("Lookup = %v %v", l.Class, err)
	}
	s.SetDown(true)
	if r, _ := f.Lookup(ctx, "x", sealed); r.Class != stamping.Retryable || !r.Offline {
		t.Fatalf("Lookup while down = %+v", r)
	}
	s.SetDown(false)
	if n := s.StampCount("EKU9003173C9", "F", "2"); n != 1 {
		t.Fatalf("stamps = %d, want 1", n)
	}
}

// TestFinkokRefusals classifies the simulator's refusals: bad credentials
// (300), an out-of-window Fecha (401), no credits (718).
func TestFinkokRefusals(t *testing.T) {
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true, Users: []sim.User{{Name: "V", Email: user, Password: password, Stamps: 1}}})
	f := newFinkok(t, s, 5*time.Second)
	bad, _ := pac.NewFinkok(pac.FinkokConfig{URL: s.URL(), User: user, Password: "otra"})
	if r, _ := bad.Stamp(ctx, "x", simtest.Sealed(t, "F", "9", time.Now())); r.Class != stamping.BadCredentials || r.Code != "300" {
		t.Errorf("bad password = %v %q", r.Class, r.Code)
	}
	if r, _ := f.Stamp(ctx, "x", simtest.Sealed(t, "F", "3", time.Now().Add(-80*time.Hour))); r.Class != stamping.NeedsUser || r.Code != "401" {
		t.Errorf("old Fecha = %v %q", r.Class, r.Code)
	}
	if _, err := f.Stamp(ctx, "x", simtest.Sealed(t, "F", "4", time.Now())); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.Stamp(ctx, "x", simtest.Sealed(t, "F", "5", time.Now())); r.Class != stamping.OutOfStamps || r.Code != "718" {
		t.Errorf("no credits = %v %q", r.Class, r.Code)
	}
}

// tamperedSigner signs something else than it is given: a request whose
// signature does not verify.
type tamperedSigner struct{ *csd.CSD }

func (t tamperedSigner) SignSHA1(data []byte) ([]byte, error) {
	return t.CSD.SignSHA1(append(data, ' '))
}

// TestFinkokCancelSignature cancels at the local PAC's Finkok dialect over
// HTTP with requests signed here: the simulator verifies each signature
// with the certificate inside the request and runs SAT's cancellation
// rules; a request with a bad signature, or signed by another RFC's CSD,
// is refused and changes nothing.
func TestFinkokCancelSignature(t *testing.T) {
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true})
	f := newFinkok(t, s, 5*time.Second)
	stamp := func(folio string, units int) (uuid string, q stamping.StatusQuery) {
		t.Helper()
		r, err := f.Stamp(ctx, folio, simtest.Seal(t, simtest.Invoice("C", folio, time.Now(), units)))
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := cfdi.Parse(r.StampedXML)
		return r.UUID, stamping.StatusQuery{Emisor: doc.Emisor.Rfc, Receptor: doc.Receptor.Rfc, Total: doc.Total, UUID: r.UUID}
	}
	status := func(q stamping.StatusQuery) stamping.SATStatus {
		t.Helper()
		st, err := f.CancelStatus(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	small, qSmall := stamp("1", 1)
	big, qBig := stamp("2", 100) // Total 11,600 > 5,000: the receiver must accept
	replacement, _ := stamp("3", 1)
	fixed, qFixed := stamp("4", 1)
	blocked, qBlocked := stamp("5", 1)
	s.SetCancelable(blocked, false)

	cacxCer, cacxKey, cacxPass := testpack.CSD(t, "CACX7605101P8")
	cacx, err := csd.Load(cacxCer, cacxKey, cacxPass)
	if err != nil {
		t.Fatal(err)
	}
	for name, signer := range map[string]cfdi.CancelSigner{"tampered": tamperedSigner{simtest.Signer(t)}, "another RFC's CSD": cacx} {
		bad := newFinkokSigning(t, s, 5*time.Second, func(context.Context, string) (cfdi.CancelSigner, error) { return signer, nil })
		_, err := bad.Cancel(ctx, stamping.CancelRequest{IssuerRFC: simtest.IssuerRFC, UUID: small, Motivo: "02"})
		if domain.KindOf(err) != domain.Rejected || !strings.Contains(domain.UserMessage(err), "CSD") {
			t.Errorf("%s: %v; want Rejected naming the CSD", name, err)
		}
	}
	if ok, badSig := s.CancelRequests(); ok != 0 || badSig != 1 {
		t.Errorf("at the simulator: %d requests reached SAT's rules, %d bad signatures; want 0 and 1", ok, badSig)
	}
	if st := status(qSmall); st.Estado != "Vigente" || st.EstatusCancelacion != "" {
		t.Fatalf("after refused requests: %+v; want untouched", st)
	}
	noCSD := newFinkokSigning(t, s, 5*time.Second, func(context.Context, string) (cfdi.CancelSigner, error) {
		return nil, domain.E(domain.Invalid, "test", "Cargue el CSD de la empresa en Empresa › CSD.", nil)
	})
	if _, err := noCSD.Cancel(ctx, stamping.CancelRequest{IssuerRFC: simtest.IssuerRFC, UUID: small, Motivo: "02"}); !strings.Contains(domain.UserMessage(err), "Empresa › CSD") {
		t.Errorf("without a CSD: %v", err)
	}

	tests := []struct {
		name    string
		req     stamping.CancelRequest
		estatus string
		kind    domain.Kind // 0: no error
		after   *stamping.StatusQuery
		estado  string
		proceso string
	}{
		{"without acceptance", stamping.CancelRequest{UUID: small, Motivo: "02"}, "201", 0, &qSmall, "Cancelado", "Cancelado sin aceptación"},
		{"again", stamping.CancelRequest{UUID: small, Motivo: "03"}, "202", 0, &qSmall, "Cancelado", "Cancelado sin aceptación"},
		{"pending the receiver's acceptance", stamping.CancelRequest{UUID: big, Motivo: "02"}, "201", 0, &qBig, "Vigente", "En proceso"},
		{"replaced (motivo 01)", stamping.CancelRequest{UUID: fixed, Motivo: "01", FolioSustitucion: replacement}, "201", 0, &qFixed, "Cancelado", "Cancelado sin aceptación"},
		{"not cancelable", stamping.CancelRequest{UUID: blocked, Motivo: "02"}, "204", domain.Rejected, &qBlocked, "Vigente", ""},
		{"unknown to SAT", stamping.CancelRequest{UUID: "01234567-0123-0123-0123-012345678901", Motivo: "02"}, "205", domain.Unavailable, nil, "", ""},
		{"motivo 01 with an unknown replacement", stamping.CancelRequest{UUID: blocked, Motivo: "01", FolioSustitucion: "01234567-0123-0123-0123-012345678901"}, "208", domain.Rejected, nil, "", ""},
	}
	for _, tt := range tests {
		tt.req.IssuerRFC = simtest.IssuerRFC
		rc, err := f.Cancel(ctx, tt.req)
		if rc.EstatusUUID != tt.estatus || tt.kind == 0 && err != nil || tt.kind != 0 && domain.KindOf(err) != tt.kind {
			t.Errorf("%s: EstatusUUID %q err %v; want %s kind %v", tt.name, rc.EstatusUUID, err, tt.estatus, tt.kind)
			continue
		}
		if tt.estatus == "201" && !bytes.Contains(rc.Acuse, []byte("CancelaCFDResponse")) {
			t.Errorf("%s: acuse %.80s", tt.name, rc.Acuse)
		}
		if tt.after != nil {
			if st := status(*tt.after); st.Estado != tt.estado || st.EstatusCancelacion != tt.proceso {
				t.Errorf("%s: SAT status %+v; want %s / %q", tt.name, st, tt.estado, tt.proceso)
			}
		}
	}
	if ok, badSig := s.CancelRequests(); ok != len(tests) || badSig != 1 {
		t.Errorf("at the simulator: %d requests, %d bad signatures; want %d and 1", ok, badSig, len(tests))
	}
}

// TestClassifyFinkokCancel: every answer of cancel_signature (pac/README.md
// §9.3), per folio and per request, into the SW client's outcomes.
func TestClassifyFinkokCancel(t *testing.T) {
	const id = "B107F0AC-6BC3-52CF-A3D7-5E9479414209"
	folio := func(estatus, text string) pac.FinkokCancelResult {
		return pac.FinkokCancelResult{Folios: []pac.FinkokFolio{{UUID: strings.ToLower(id), EstatusUUID: estatus, EstatusCancelacion: text}}, Acuse: "<acuse/>"}
	}
	tests := []struct {
		name string
		res  pac.FinkokCancelResult
		kind domain.Kind
		code string
	}{
		{"accepted", folio("201", "Petición de cancelación realizada exitosamente"), 0, ""},
		{"accepted, pending the receiver", folio("201", "En proceso"), 0, ""},
		{"cancelled before", folio("202", ""), 0, ""},
		{"retention accepted", folio("1201", ""), 0, ""},
		{"not yet at SAT", folio("205", ""), domain.Unavailable, "205"},
		{"retention not yet at SAT", folio("1205", ""), domain.Unavailable, "1205"},
		{"SAT unreachable for the folio", folio("708", ""), domain.Unavailable, "708"},
		{"not the issuer's", folio("203", ""), domain.Rejected, "203"},
		{"not cancelable", folio("204", ""), domain.Rejected, "204"},
		{"no_cancelable", folio("no_cancelable", ""), domain.Rejected, "no_cancelable"},
		{"bad motivo", folio("207", ""), domain.Rejected, "207"},
		{"bad replacement", folio("208", ""), domain.Rejected, "208"},
		{"another UUID only", pac.FinkokCancelResult{Folios: []pac.FinkokFolio{{UUID: "X", EstatusUUID: "201"}}}, domain.Unavailable, ""},
		{"SAT unreachable", pac.FinkokCancelResult{CodEstatus: "708"}, domain.Unavailable, "708"},
		{"SAT authentication", pac.FinkokCancelResult{CodEstatus: "300"}, domain.Unavailable, "300"},
		{"CSD not yet valid at SAT", pac.FinkokCancelResult{CodEstatus: "305"}, domain.Unavailable, "305"},
		{"unknown UUID", pac.FinkokCancelResult{CodEstatus: "UUID: " + id + " No Encontrado"}, domain.Unavailable, "205"},
		{"malformed", pac.FinkokCancelResult{CodEstatus: "301"}, domain.Rejected, "301"},
		{"bad signature", pac.FinkokCancelResult{CodEstatus: "302 - Sello mal formado o inválido"}, domain.Rejected, "302"},
		{"CSD of another RFC", pac.FinkokCancelResult{CodEstatus: "303"}, domain.Rejected, "303"},
		{"revoked CSD", pac.FinkokCancelResult{CodEstatus: "304"}, domain.Rejected, "304"},
		{"not a CSD", pac.FinkokCancelResult{CodEstatus: "306"}, domain.Rejected, "306"},
	}
	for _, tt := range tests {
		_, err := pac.ClassifyFinkokCancel(tt.res, id)
		var de *domain.Error
		switch {
		case tt.kind == 0 && err != nil:
			t.Errorf("%s: %v; want accepted", tt.name, err)
		case tt.kind != 0 && (!errors.As(err, &de) || de.Kind != tt.kind || de.Code != tt.code || de.Msg == ""):
			t.Errorf("%s: %v; want %v with code %q and a Spanish message", tt.name, err, tt.kind, tt.code)
		}
	}
}
