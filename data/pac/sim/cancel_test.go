package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

// receiverAnswer accepts or rejects a pending cancellation over the PAC's
// receiver routes (GET /pendings, POST /acceptreject).
func receiverAnswer(t *testing.T, s *sim.Server, rfc, uuid, action string) {
	t.Helper()
	call := func(method, path string) map[string]any {
		req, _ := http.NewRequest(method, s.URL()+path, nil)
		req.Header.Set("Authorization", "bearer "+longToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return v
	}
	if p := call(http.MethodGet, "/pendings/"+rfc); !strings.Contains(toJSON(p), uuid) {
		t.Fatalf("pendings = %v, want %s", p, uuid)
	}
	if r := call(http.MethodPost, "/acceptreject/"+rfc+"/"+uuid+"/"+action); r["status"] != "success" {
		t.Fatalf("acceptreject = %v", r)
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestCancellationStateMachine follows cancellations from Folio's side:
// request (acuse kept), SAT status polling, receiver acceptance, rejection,
// plazo vencido and the sin-aceptación path.
func TestCancellationStateMachine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true, AcceptanceAbove: "1000", AcceptanceWindow: 72 * time.Hour}, 100)
	_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
	client := newClient(t, s.URL(), 5*time.Second)
	w := stamping.NewWorker(q, onePAC(client), nil, testOptions(4, 5*time.Second))
	// Documents 1–3 are over the acceptance threshold; 4 is not.
	var ids []int64
	for i, units := range []int{20, 20, 20, 1} {
		folio := string(rune('1' + i))
		d, _ := stamping.Describe(simtest.Seal(t, simtest.Invoice("X", folio, time.Now(), units)), "X-"+folio)
		id, err := w.Post(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	svc := &stamping.Cancellations{Documents: q, Store: q, PACs: onePAC(client)}
	tests := []struct {
		name      string
		id        int64
		motivo    string
		answer    string // receiver's action; "" waits past the plazo
		wantLabel string
		wantState string
	}{
		{"accepted", ids[0], "02", "Aceptacion", "Cancelada", "Cancelado con aceptación"},
		{"rejected", ids[1], "03", "Rechazo", "Cancelación rechazada", "Solicitud rechazada"},
		{"plazo vencido", ids[2], "02", "", "Cancelada", "Plazo vencido"},
		{"sin aceptación", ids[3], "02", "-", "Cancelada", "Cancelado sin aceptación"},
	}
	for _, tt := range tests {
		c, err := svc.Request(ctx, tt.id, tt.motivo, "")
		if err != nil || c.Receipt.EstatusUUID != "201" || !strings.Contains(string(c.Receipt.Acuse), "<EstatusUUID>201</EstatusUUID>") {
			t.Fatalf("%s: Request = %+v, %v", tt.name, c.Receipt, err)
		}
		if stored, _ := q.LastCancellation(ctx, tt.id); string(stored.Receipt.Acuse) != string(c.Receipt.Acuse) {
			t.Errorf("%s: acuse not kept verbatim", tt.name)
		}
		c, err = svc.Refresh(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if tt.answer != "-" && (c.Status.EstatusCancelacion != "En proceso" || c.Label() != "Cancelación en proceso") {
			t.Errorf("%s: after request %+v %q, want en proceso", tt.name, c.Status, c.Label())
		}
		switch tt.answer {
		case "-":
		case "":
			s.SetSkew(72*time.Hour + time.Minute)
		default:
			receiverAnswer(t, s, "URE180429TM6", c.Request.UUID, tt.answer)
		}
		c, err = svc.Refresh(ctx, tt.id)
		s.SetSkew(0)
		if err != nil || c.Status.EstatusCancelacion != tt.wantState || c.Label() != tt.wantLabel {
			t.Errorf("%s: final %+v %q (%v), want %s / %s", tt.name, c.Status, c.Label(), err, tt.wantState, tt.wantLabel)
		}
	}
	// After a rejection the issuer may request again.
	if c, err := svc.Request(ctx, ids[1], "02", ""); err != nil || c.Receipt.EstatusUUID != "201" {
		t.Errorf("request after rejection = %+v, %v", c.Receipt, err)
	}
	// A cancelled document answers 202 and counts as cancelled.
	if c, err := svc.Request(ctx, ids[0], "02", ""); err != nil || c.Receipt.EstatusUUID != "202" || c.Label() != "Cancelada" {
		t.Errorf("repeat on cancelled = %+v %q, %v; want 202", c.Receipt, c.Label(), err)
	}
	// Motivo validation happens before the PAC is called.
	if _, err := svc.Request(ctx, ids[3], "01", ""); domain.KindOf(err) != domain.Invalid {
		t.Errorf("motivo 01 without folio = %v, want invalid", err)
	}
	mv, _ := q.Movements(ctx, simtest.IssuerRFC, 100)
	cancels := 0
	for _, m := range mv {
		if m.Kind == stamping.MovementCancel {
			cancels++
		}
	}
	if cancels != 6 || s.Balance(user).StampsUsed != 4 {
		t.Errorf("cancel movements = %d (want 6), PAC stamps used = %d (want 4: cancelling is free)", cancels, s.Balance(user).StampsUsed)
	}
}

// TestCancelBeforeSATKnowsTheUUID: right after stamping SAT may not know the
// CFDI yet: cancel answers 205 and the status service 602 until it does.
func TestCancelBeforeSATKnowsTheUUID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := startSim(t, sim.Options{SkipQR: true, PropagationDelay: 10 * time.Minute}, 10)
	_, q := openQueue(t, filepath.Join(t.TempDir(), "folio.db"))
	client := newClient(t, s.URL(), 5*time.Second)
	w := stamping.NewWorker(q, onePAC(client), nil, testOptions(1, 5*time.Second))
	ids := post(t, ctx, w, "Y", 1, 1, time.Now())
	if err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	svc := &stamping.Cancellations{Documents: q, Store: q, PACs: onePAC(client)}
	c, err := svc.Request(ctx, ids[0], "02", "")
	var de *domain.Error
	if domain.KindOf(err) != domain.Unavailable || !errors.As(err, &de) || de.Code != "205" || c.Receipt.EstatusUUID != "205" {
		t.Fatalf("early cancel = %+v, %v; want unavailable 205", c.Receipt, err)
	}
	if _, err := q.LastCancellation(ctx, ids[0]); domain.KindOf(err) != domain.NotFound {
		t.Errorf("a 205 answer was stored as a cancellation: %v", err)
	}
	d, _ := q.Document(ctx, ids[0])
	doc, _ := cfdi.Parse(d.StampedXML)
	st, err := client.CancelStatus(ctx, stamping.StatusQuery{Emisor: doc.Emisor.Rfc, Receptor: doc.Receptor.Rfc, Total: doc.Total, UUID: d.UUID, Sello: doc.Sello})
	if err != nil || st.Estado != "No Encontrado" || !strings.HasPrefix(st.CodigoEstatus, "N - 602") {
		t.Errorf("early status = %+v, %v", st, err)
	}
	s.SetSkew(11 * time.Minute)
	if c, err := svc.Request(ctx, ids[0], "02", ""); err != nil || c.Label() != "Cancelación en proceso" {
		t.Errorf("later cancel = %+v %q, %v", c.Receipt, c.Label(), err)
	}
}
