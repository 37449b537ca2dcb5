package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
	"github.com/folio-mx/folio/internal/wire"
)

// lockedBuffer is a bytes.Buffer safe to read while a command writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// seedDemoDB creates a database with the demo company and its three sealed,
// queued invoices.
func seedDemoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "folio.db")
	s, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wire.SeedDemo(context.Background(), s, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return db
}

// documentStates counts the documents of db per stamping state and returns
// the distinct UUIDs of the stamped ones.
func documentStates(t *testing.T, db string) (map[string]int, map[string]bool) {
	t.Helper()
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT state, COALESCE(uuid, '') FROM documents`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	states, uuids := map[string]int{}, map[string]bool{}
	for rows.Next() {
		var state, uuid string
		if err := rows.Scan(&state, &uuid); err != nil {
			t.Fatal(err)
		}
		states[state]++
		if uuid != "" {
			uuids[uuid] = true
		}
	}
	return states, uuids
}

var stampedLine = regexp.MustCompile(`(?m)^(A-[0-9]+) +timbrada +([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})$`)

func TestCLISyncDrainsOnce(t *testing.T) {
	db := seedDemoDB(t)

	// Given three sealed demo invoices in the queue, sync stamps them all
	// and prints one line per document with its UUID, then a summary.
	code, out, errOut := runCLI(t, "--db", db, "sync")
	if code != 0 {
		t.Fatalf("sync: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	lines := stampedLine.FindAllStringSubmatch(out, -1)
	if len(lines) != 3 {
		t.Fatalf("stamped lines = %d, want 3\n%s", len(lines), out)
	}
	folios := map[string]bool{}
	for _, l := range lines {
		folios[l[1]] = true
	}
	if !folios["A-1"] || !folios["A-2"] || !folios["A-3"] {
		t.Errorf("folios = %v, want A-1, A-2, A-3", folios)
	}
	if !strings.Contains(out, "Timbradas: 3, rechazadas: 0, vencidas: 0, reintentos pendientes: 0.") ||
		!strings.Contains(out, "En cola: 0; requieren atención: 0.") {
		t.Errorf("summary missing:\n%s", out)
	}
	states, uuids := documentStates(t, db)
	if states["stamped"] != 3 || len(states) != 1 || len(uuids) != 3 {
		t.Errorf("states %v, %d distinct UUIDs; want 3 stamped with 3 UUIDs", states, len(uuids))
	}
	for _, l := range lines {
		if !uuids[l[2]] {
			t.Errorf("printed UUID %s is not stored", l[2])
		}
	}

	// When nothing is queued, a second run says so and changes nothing.
	code, out, _ = runCLI(t, "--db", db, "sync")
	if code != 0 || !strings.Contains(out, "No hubo documentos que enviar.") || stampedLine.MatchString(out) {
		t.Errorf("second sync: code %d\n%s", code, out)
	}

	for _, args := range [][]string{{"sync", "x"}, {"sync", "--bogus"}} {
		if code, _, _ := runCLI(t, append([]string{"--db", db}, args...)...); code != 2 {
			t.Errorf("%v: exit code %d, want 2", args, code)
		}
	}
}

func TestCLISyncReportsExpired(t *testing.T) {
	db := seedDemoDB(t)
	// Given a document whose Fecha is 80 hours old next to the demo invoices…
	s, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	nd, err := stamping.Describe(simtest.Sealed(t, "B", "7", time.Now().Add(-80*time.Hour)), "folio-test-B-7")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewStampStore(s).Post(context.Background(), nd); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// …sync stamps the others, reports it as expired and exits 1.
	code, out, errOut := runCLI(t, "--db", db, "sync")
	if code != 1 {
		t.Fatalf("sync: code %d, want 1\nstdout %s\nstderr %s", code, out, errOut)
	}
	if n := len(stampedLine.FindAllString(out, -1)); n != 3 ||
		!regexp.MustCompile(`(?m)^B-7 +vencida +pasaron más de 72 horas`).MatchString(out) ||
		!strings.Contains(out, "Timbradas: 3, rechazadas: 0, vencidas: 1") || !strings.Contains(out, "requieren atención: 1.") {
		t.Errorf("output (%d stamped lines):\n%s", n, out)
	}
	if states, _ := documentStates(t, db); states["stamped"] != 3 || states["expired"] != 1 {
		t.Errorf("states = %v", states)
	}
}

func TestCLISyncWatch(t *testing.T) {
	db := seedDemoDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut lockedBuffer
	code := make(chan int, 1)
	go func() { code <- Run(ctx, testEnv([]string{"--db", db, "sync", "--watch"}, &out, &errOut)) }()

	// Given --watch, documents are printed as they are stamped and the
	// command keeps running until interrupted.
	deadline := time.After(30 * time.Second)
	for len(stampedLine.FindAllString(out.String(), -1)) < 3 {
		select {
		case c := <-code:
			t.Fatalf("sync --watch ended early with %d\n%s\n%s", c, out.String(), errOut.String())
		case <-deadline:
			t.Fatalf("waited 30s for three stamped lines:\n%s\n%s", out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	select {
	case c := <-code:
		t.Fatalf("sync --watch ended by itself with %d", c)
	case <-time.After(200 * time.Millisecond):
	}
	cancel() // Ctrl+C
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit code %d after interrupt\n%s", c, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("sync --watch did not stop after the interrupt")
	}
	if s := out.String(); !strings.HasPrefix(s, "Sincronizando con el PAC") || !strings.Contains(s, "Timbradas: 3") {
		t.Errorf("output:\n%s", s)
	}
	if states, _ := documentStates(t, db); states["stamped"] != 3 {
		t.Errorf("states = %v, want 3 stamped", states)
	}
}

// TestCLISyncStampsAtTheCompanysOwnPAC: `folio sync` sends a company's
// documents to the PAC account configured for it — here a local PAC like
// `folio pac-sim`, set with `folio company pac --url` — and not to the local
// PAC of demo mode, which stamps only the demo company. Without an account
// the documents wait and say what to configure.
func TestCLISyncStampsAtTheCompanysOwnPAC(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "folio.db")
	const rfc = "CACX7605101P8"
	// Given a company of its own with three sealed invoices in the queue…
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	co := &sales.Company{RFC: rfc, Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	if err := s.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	cer, key, password := testpack.CSD(t, rfc)
	signer, err := csd.Load(cer, key, password)
	if err != nil {
		t.Fatal(err)
	}
	emisor := cfdi.Emisor{Rfc: rfc, Nombre: co.Nombre, RegimenFiscal: co.RegimenFiscal}
	for i := 1; i <= 3; i++ {
		nd, err := stamping.Describe(simtest.SealedBy(t, signer, emisor, "A", fmt.Sprint(i), time.Now().Add(-time.Minute)), fmt.Sprintf("folio-%s-A-%d", rfc, i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sqlite.NewStampStore(s).Post(ctx, nd); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	// …and its PAC, started as `folio pac-sim` starts it, registering only
	// that company's RFC.
	own, err := sim.Start(sim.Options{Users: []sim.User{sim.DemoUser}, LCO: []string{rfc}})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()

	// Without an account, sync sends nothing and says what to configure.
	code, out, errOut := runCLI(t, "--db", db, "sync")
	if code != 0 || strings.Count(out, "Configúrela en Empresa › PAC") != 3 || own.StampRequests() != 0 {
		t.Fatalf("sync without account: code %d, %d requests at the PAC\nstdout %s\nstderr %s", code, own.StampRequests(), out, errOut)
	}

	// With the account set from the command line…
	pwFile := filepath.Join(dir, "pac.txt")
	if err := os.WriteFile(pwFile, []byte(sim.DemoUser.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "--db", db, "company", "pac", "--url", own.URL(), "--user", sim.DemoUser.Email, "--password-file", pwFile)
	host := strings.TrimPrefix(own.URL(), "http://")
	if code != 0 || out != "Cuenta del PAC de XOCHILT CASAS CHAVEZ (CACX7605101P8) guardada: PAC de pruebas ("+host+").\n" ||
		strings.Contains(out+errOut, sim.DemoUser.Password) {
		t.Fatalf("company pac: code %d\nstdout %q\nstderr %q", code, out, errOut)
	}
	// …sync stamps every document there, once each.
	code, out, errOut = runCLI(t, "--db", db, "sync")
	if code != 0 || len(stampedLine.FindAllString(out, -1)) != 3 {
		t.Fatalf("sync: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if n, counts := own.Stamped(), own.StampCounts(); n != 3 || len(counts) != 3 {
		t.Errorf("the company's PAC stamped %d documents (%v), want 3 once each", n, counts)
	}
	if states, uuids := documentStates(t, db); states["stamped"] != 3 || len(uuids) != 3 {
		t.Errorf("states %v, %d UUIDs; want 3 stamped", states, len(uuids))
	}
}
