package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// reexecEnv makes the test binary run one `folio` command instead of the
// tests: the multi-process tests start real processes of the command line
// without building the program.
const reexecEnv = "FOLIO_CLI_TEST_REEXEC"

func TestMain(m *testing.M) {
	if os.Getenv(reexecEnv) == "1" {
		os.Exit(Run(context.Background(), Env{Args: os.Args[1:], Stdout: os.Stdout, Stderr: os.Stderr,
			DBPath: os.Getenv("FOLIO_DB"), Version: "test"}))
	}
	os.Exit(m.Run())
}

// folioProcess returns the command running `folio args…` as its own
// process on database db.
func folioProcess(t *testing.T, db string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), reexecEnv+"=1", "FOLIO_DB="+db)
	return cmd
}

// TestConcurrentWorkstationsPost is issue 17's check that folios hold
// between workstations: 4 `folio post` processes, each posting its batch
// of documents at the same time into one PostgreSQL database, leave the
// series numbered without a gap or a repeat, and nothing voided.
func TestConcurrentWorkstationsPost(t *testing.T) {
	db := postgres.NewTestDatabase(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // this "workstation's" key file
	t.Setenv("FOLIO_KEYCHAIN", "off")
	perProcess := 250
	if os.Getenv("CI") != "true" && testing.Short() {
		perProcess = 25
	}
	const processes = 4
	t.Logf("%d processes × %d documents", processes, perProcess)

	var out, errb bytes.Buffer
	if code := Run(context.Background(), Env{Args: []string{"demo"}, Stdout: &out, Stderr: &errb, DBPath: db}); code != 0 {
		t.Fatalf("folio demo = %d: %s", code, errb.String())
	}
	sdb, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var before int64
	if err := sdb.QueryRow(`SELECT count(*) FROM invoices WHERE serie = 'A' AND folio IS NOT NULL`).Scan(&before); err != nil {
		t.Fatal(err)
	}

	docs := make([]map[string]any, perProcess)
	for i := range docs {
		docs[i] = map[string]any{"serie": "A", "cliente_rfc": "CACX7605101P8", "forma_pago": "03",
			"conceptos": []map[string]any{{"producto": "MOU-01", "cantidad": fmt.Sprint(i%5 + 1)}}}
	}
	data, err := json.Marshal(map[string]any{"documentos": docs})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "lote.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make([]error, processes)
	outs := make([][]byte, processes)
	for p := range processes {
		cmd := folioProcess(t, db, "post", file)
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[p], errs[p] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for p := range processes {
		if errs[p] != nil {
			t.Fatalf("process %d: %v\n%s", p, errs[p], outs[p])
		}
		if want := fmt.Sprintf("%d documentos emitidos", perProcess); !strings.Contains(string(outs[p]), want) {
			t.Errorf("process %d: output without %q:\n%s", p, want, outs[p])
		}
	}

	rows, err := sdb.Query(`SELECT folio FROM invoices WHERE serie = 'A' AND folio IS NOT NULL ORDER BY folio`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var want int64 = 1
	for rows.Next() {
		var f int64
		if err := rows.Scan(&f); err != nil {
			t.Fatal(err)
		}
		if f != want {
			t.Fatalf("folio A-%d where A-%d was due: a gap or a repeat", f, want)
		}
		want++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	total := before + int64(processes*perProcess)
	if want-1 != total {
		t.Fatalf("series A holds folios 1..%d, want 1..%d", want-1, total)
	}
	var voided, documents, next int64
	if err := sdb.QueryRow(`SELECT (SELECT count(*) FROM folios WHERE kind = 'void'),
		(SELECT count(*) FROM documents WHERE serie = 'A'),
		(SELECT next_folio FROM series WHERE serie = 'A')`).Scan(&voided, &documents, &next); err != nil {
		t.Fatal(err)
	}
	if voided != 0 || documents != total || next != total+1 {
		t.Fatalf("voided %d, documents %d, next folio %d; want 0, %d, %d", voided, documents, next, total, total+1)
	}
	t.Logf("folios A-1..A-%d: no gap, no repeat", total)
}

// TestWorkstationsSyncStampOnce is issue 17's check of the stamp queue
// between workstations: two `folio sync --watch` processes drain one
// PostgreSQL queue at a shared PAC; one is killed mid-run and a third
// starts (the workstation coming back), which takes over the dead one's
// documents at once. Every document ends stamped, each exactly once at
// the PAC.
func TestWorkstationsSyncStampOnce(t *testing.T) {
	db := postgres.NewTestDatabase(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("FOLIO_KEYCHAIN", "off")
	ctx := context.Background()
	var out, errb bytes.Buffer
	if code := Run(ctx, Env{Args: []string{"demo"}, Stdout: &out, Stderr: &errb, DBPath: db}); code != 0 {
		t.Fatalf("folio demo = %d: %s", code, errb.String())
	}
	const more = 40
	docs := make([]map[string]any, more)
	for i := range docs {
		docs[i] = map[string]any{"serie": "A", "cliente_rfc": "CACX7605101P8", "forma_pago": "03",
			"conceptos": []map[string]any{{"producto": "MOU-01", "cantidad": "1"}}}
	}
	data, _ := json.Marshal(docs)
	file := filepath.Join(t.TempDir(), "lote.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := Run(ctx, Env{Args: []string{"post", file}, Stdout: &out, Stderr: &errb, DBPath: db}); code != 0 {
		t.Fatalf("folio post = %d: %s", code, errb.String())
	}
	total := more + 3

	pac, err := sim.Start(sim.Options{LCO: []string{sales.DemoRFC}})
	if err != nil {
		t.Fatal(err)
	}
	defer pac.Close()
	pac.SetLatency(40 * time.Millisecond)
	s, err := wire.OpenServer(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	co, err := s.ActiveCompany(ctx)
	if err == nil { // a server shares secrets only under an administrator password
		err = wire.NewCompanies(s).SetAdminPassword(ctx, "", "administrador-1")
	}
	if err == nil {
		err = wire.NewCompanies(s).SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas,
			User: sim.DemoUser.Email, Password: sim.DemoUser.Password, URL: pac.URL()})
	}
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	start := func(name string) (*exec.Cmd, *bytes.Buffer) {
		cmd := folioProcess(t, db, "sync", "--watch")
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		if err := cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd, &buf
	}
	a, _ := start("A")
	_, bOut := start("B")
	waitFor := func(what string, d time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(d)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("after %s: %s not reached; PAC stamped %d\nB: %s", d, what, pac.Stamped(), bOut)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("5 stamps", time.Minute, func() bool { return pac.Stamped() >= 5 })
	a.Process.Kill() // workstation A dies mid-run, possibly with documents leased
	a.Wait()
	start("C") // …and comes back

	sdb, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	stamped := func() int {
		var n int
		if err := sdb.QueryRow(`SELECT count(*) FROM documents WHERE state = 'stamped'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitFor("every document stamped", 2*time.Minute, func() bool { return stamped() == total })

	counts := pac.StampCounts()
	if len(counts) != total || pac.Stamped() != total {
		t.Errorf("the PAC stamped %d documents in %d stamps, want %d once each", len(counts), pac.Stamped(), total)
	}
	for doc, n := range counts {
		if n != 1 {
			t.Errorf("%s stamped %d times at the PAC", doc, n)
		}
	}
	var uuids, ledger int
	if err := sdb.QueryRow(`SELECT count(DISTINCT uuid), (SELECT count(*) FROM stamp_movements WHERE kind = 'stamp')
		FROM documents WHERE state = 'stamped'`).Scan(&uuids, &ledger); err != nil {
		t.Fatal(err)
	}
	if uuids != total || ledger != total {
		t.Errorf("%d distinct UUIDs and %d stamps in the ledger, want %d", uuids, ledger, total)
	}
	t.Logf("%d documents stamped once each by 3 workers, one killed after %d stamps", total, 5)
}

// TestMigrateToPostgres: `folio migrate --to` copies the demo installation
// from its file to an empty server database, where `folio post` goes on
// with the next folio.
func TestMigrateToPostgres(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("FOLIO_KEYCHAIN", "off")
	file := filepath.Join(t.TempDir(), "folio.db")
	ctx := context.Background()
	var out, errb bytes.Buffer
	if code := Run(ctx, Env{Args: []string{"demo"}, Stdout: &out, Stderr: &errb, DBPath: file}); code != 0 {
		t.Fatalf("folio demo = %d: %s", code, errb.String())
	}
	// The installation key of the file, as storing a CSD would create it.
	fs, err := wire.OpenStore(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.SecretBox(true); err != nil {
		t.Fatal(err)
	}
	key, err := fs.InstallationKey()
	fs.Close()
	if err != nil || key == nil {
		t.Fatalf("the demo file's installation key: %v", err)
	}
	// An installation with secrets moves only under its administrator
	// password, which wraps the key on the server.
	pwFile := filepath.Join(t.TempDir(), "admin")
	if err := os.WriteFile(pwFile, []byte("administrador-uno\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := Run(ctx, Env{Args: []string{"migrate", "--to", dsn}, Stdout: &out, Stderr: &errb, DBPath: file}); code != 1 ||
		!strings.Contains(errb.String(), "contraseña de administrador") {
		t.Fatalf("folio migrate of secrets without an administrator password = %d: %s; want it refused", code, errb.String())
	}
	if code := Run(ctx, Env{Args: []string{"admin", "--password-file", pwFile}, Stdout: &out, Stderr: &errb, DBPath: file}); code != 0 {
		t.Fatalf("folio admin = %d: %s", code, errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := Run(ctx, Env{Args: []string{"migrate", "--to", dsn, "--admin-password-file", pwFile}, Stdout: &out, Stderr: &errb, DBPath: file}); code != 0 {
		t.Fatalf("folio migrate = %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "3 documentos con su XML idéntico") {
		t.Errorf("migrate output: %s", out.String())
	}
	server, err := wire.OpenServer(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	local, err := server.LocalKey(ctx)
	server.Close()
	if err != nil || !bytes.Equal(local, key) {
		t.Errorf("this workstation's copy of the server's key: %v, equal %v; want the file's key", err, bytes.Equal(local, key))
	}
	doc := filepath.Join(t.TempDir(), "uno.json")
	if err := os.WriteFile(doc, []byte(`{"serie": "A", "cliente_rfc": "CACX7605101P8", "forma_pago": "03", "conceptos": [{"producto": "MOU-01", "cantidad": "1"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := Run(ctx, Env{Args: []string{"post", doc}, Stdout: &out, Stderr: &errb, DBPath: dsn}); code != 0 || !strings.HasPrefix(out.String(), "A-4\t") {
		t.Fatalf("folio post on the server = %d: %s%s; want A-4", code, out.String(), errb.String())
	}
	errb.Reset()
	if code := Run(ctx, Env{Args: []string{"dev", "seed", "--invoices", "1"}, Stdout: &out, Stderr: &errb, DBPath: dsn}); code != 1 ||
		!strings.Contains(errb.String(), "«folio dev» todavía no funciona con un servidor PostgreSQL") {
		t.Errorf("folio dev seed on the server = %d: %s; want the Spanish refusal", code, errb.String())
	}

	// And back to a new file, named with --from or with --db.
	back := filepath.Join(t.TempDir(), "de-regreso.db")
	out.Reset()
	if code := Run(ctx, Env{Args: []string{"migrate", "--from", dsn, "--to", back}, Stdout: &out, Stderr: &errb, DBPath: file}); code != 0 ||
		!strings.Contains(out.String(), "4 documentos con su XML idéntico, 4 facturas") {
		t.Fatalf("folio migrate --from server --to file = %d: %s%s", code, out.String(), errb.String())
	}
	if got, err := os.ReadFile(back + ".secret"); err != nil || !strings.Contains(string(got), base64.StdEncoding.EncodeToString(key)) {
		t.Errorf("the file brought back has key %v (%v), want the server's", got != nil, err)
	}
	out.Reset()
	if code := Run(ctx, Env{Args: []string{"post", doc}, Stdout: &out, Stderr: &errb, DBPath: back}); code != 0 || !strings.HasPrefix(out.String(), "A-5\t") {
		t.Fatalf("folio post on the file brought back = %d: %s%s; want A-5", code, out.String(), errb.String())
	}
	errb.Reset()
	if code := Run(ctx, Env{Args: []string{"migrate", "--to", back}, Stdout: &out, Stderr: &errb, DBPath: dsn}); code != 1 ||
		!strings.Contains(errb.String(), "ya tiene empresas") {
		t.Errorf("folio migrate into a file with companies = %d: %s; want it refused", code, errb.String())
	}
	errb.Reset()
	if code := Run(ctx, Env{Args: []string{"migrate", "--to", filepath.Join(t.TempDir(), "x.db")}, Stdout: &out, Stderr: &errb, DBPath: file}); code != 1 ||
		!strings.Contains(errb.String(), "el origen debe ser un servidor PostgreSQL") {
		t.Errorf("folio migrate from a file to a file = %d: %s; want it refused", code, errb.String())
	}
}

// TestBackupOnPostgres: `folio backup` on a server makes a pg_dump file
// when pg_dump is on the PATH and Folio's own SQLite export when it is
// not (said in its output); `folio restore` loads either into a new empty
// database, every document's sealed and stamped XML byte-identical, and
// refuses a database that is not empty.
func TestBackupOnPostgres(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	var out, errb bytes.Buffer
	if code := Run(ctx, Env{Args: []string{"demo"}, Stdout: &out, Stderr: &errb, DBPath: dsn}); code != 0 {
		t.Fatalf("folio demo on the server = %d: %s", code, errb.String())
	}
	server, err := wire.OpenServer(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	co, err := server.ActiveCompany(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q := postgres.NewStampStore(server)
	docs, err := q.Documents(ctx, co.RFC)
	if err != nil || len(docs) != 3 {
		t.Fatalf("demo documents on the server: %d, %v", len(docs), err)
	}
	stamped, err := cfdi.InsertTimbre(docs[0].SealedXML, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: "5FB2822E-396D-4725-8521-000000000001",
		FechaTimbrado: time.Now().In(domain.MexicoCity).Format(sales.FechaLayout), RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
		NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG8="})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.MarkStamped(ctx, docs[0].ID, stamped, "5FB2822E-396D-4725-8521-000000000001", stamping.Outcome{Class: stamping.Stamped}, time.Now()); err != nil {
		t.Fatal(err)
	}
	docs, _ = q.Documents(ctx, co.RFC)

	// restored checks that database into holds docs, byte for byte.
	restored := func(t *testing.T, into string) {
		t.Helper()
		s, err := wire.OpenServer(ctx, into)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		got, err := postgres.NewStampStore(s).Documents(ctx, co.RFC)
		if err != nil || len(got) != len(docs) {
			t.Fatalf("restored documents: %d, %v; want %d", len(got), err, len(docs))
		}
		for i, d := range docs {
			if !bytes.Equal(got[i].SealedXML, d.SealedXML) || !bytes.Equal(got[i].StampedXML, d.StampedXML) || got[i].State != d.State {
				t.Errorf("restored document %d: state %s; want its XML byte-identical (state %s)", d.ID, got[i].State, d.State)
			}
		}
	}
	for _, tc := range []struct {
		name, path, magic, says string
	}{
		{"pg_dump", os.Getenv("PATH"), postgres.DumpMagic, "hecha con pg_dump"},
		{"logical", t.TempDir(), "SQLite format 3", "hecha en el formato de Folio"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", tc.path)
			file := filepath.Join(t.TempDir(), "copia")
			out.Reset()
			errb.Reset()
			if code := Run(ctx, Env{Args: []string{"backup", file}, Stdout: &out, Stderr: &errb, DBPath: dsn}); code != 0 || !strings.Contains(out.String(), tc.says) {
				t.Fatalf("folio backup = %d: %s%s; want it to say %q", code, out.String(), errb.String(), tc.says)
			}
			head, err := os.ReadFile(file)
			if err != nil || !strings.HasPrefix(string(head), tc.magic) {
				t.Fatalf("backup file begins %q (%v), want %q", head[:min(len(head), 16)], err, tc.magic)
			}
			if code := Run(ctx, Env{Args: []string{"backup", file}, Stdout: &out, Stderr: &errb, DBPath: dsn}); code != 1 || !strings.Contains(errb.String(), "Ya existe el archivo") {
				t.Errorf("a backup over an existing file = %d: %s; want it refused", code, errb.String())
			}
			into := postgres.NewTestDatabase(t)
			out.Reset()
			errb.Reset()
			if code := Run(ctx, Env{Args: []string{"restore", file}, Stdout: &out, Stderr: &errb, DBPath: into}); code != 0 || !strings.Contains(out.String(), "3 documentos") {
				t.Fatalf("folio restore = %d: %s%s", code, out.String(), errb.String())
			}
			restored(t, into)
			errb.Reset()
			if code := Run(ctx, Env{Args: []string{"restore", file}, Stdout: &out, Stderr: &errb, DBPath: filepath.Join(t.TempDir(), "x.db")}); code != 1 ||
				!strings.Contains(errb.String(), "carga una copia de seguridad en una base de datos PostgreSQL nueva") {
				t.Errorf("a restore into a file = %d: %s; want it refused with the way to open the copy", code, errb.String())
			}
			errb.Reset()
			if code := Run(ctx, Env{Args: []string{"restore", file}, Stdout: &out, Stderr: &errb, DBPath: into}); code != 1 ||
				!(strings.Contains(errb.String(), "no está vacía") || strings.Contains(errb.String(), "ya tiene empresas")) {
				t.Errorf("a restore into a database with data = %d: %s; want it refused", code, errb.String())
			}
		})
	}
}

// TestUnlockWorkstation: `folio admin` sets the administrator password on
// a server (which makes the shared key); a PAC account stored on one
// workstation opens on a second only after `folio unlock` with that
// password, and a wrong one is refused in Spanish.
func TestUnlockWorkstation(t *testing.T) {
	db := postgres.NewTestDatabase(t)
	t.Setenv("FOLIO_KEYCHAIN", "off")
	ctx := context.Background()
	dir := t.TempDir()
	pwFile, wrongFile := filepath.Join(dir, "admin"), filepath.Join(dir, "wrong")
	os.WriteFile(pwFile, []byte("administrador-uno\n"), 0o600)
	os.WriteFile(wrongFile, []byte("otra-cosa-cualquiera\n"), 0o600)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(ctx, Env{Args: args, Stdout: &out, Stderr: &errb, DBPath: db})
		return code, out.String(), errb.String()
	}

	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // workstation A
	if code, _, errs := run("demo"); code != 0 {
		t.Fatalf("folio demo = %d: %s", code, errs)
	}
	if code, out, errs := run("admin", "--password-file", pwFile); code != 0 || !strings.Contains(out, "Contraseña de administrador guardada") {
		t.Fatalf("folio admin = %d: %s%s", code, out, errs)
	}
	s, err := wire.OpenServer(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	co, err := s.ActiveCompany(ctx)
	if err == nil {
		err = wire.NewCompanies(s).SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "u@x.mx", Password: "secreto-del-pac"})
	}
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // workstation B
	readPAC := func() (sales.PACSettings, error) {
		s, err := wire.OpenServer(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return wire.NewCompanies(s).CompanyPACSettings(ctx, co.ID)
	}
	if _, err := readPAC(); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("B before unlocking: %v, want Invalid", err)
	}
	if code, _, errs := run("unlock", "--admin-password-file", wrongFile); code != 1 || !strings.Contains(errs, "La contraseña de administrador no es correcta.") {
		t.Fatalf("unlock with a wrong password = %d: %s", code, errs)
	}
	code, out, errs := run("unlock", "--admin-password-file", pwFile)
	if code != 0 || !strings.Contains(out, "Estación desbloqueada") {
		t.Fatalf("folio unlock = %d: %s%s", code, out, errs)
	}
	if p, err := readPAC(); err != nil || p.Password != "secreto-del-pac" {
		t.Fatalf("B after unlocking: %q, %v", p.Password, err)
	}
}

// TestSavedServerIsTheDefault: once the window saved a server connection
// ("Conectar a un servidor"), commands without --db work on that server.
func TestSavedServerIsTheDefault(t *testing.T) {
	db := postgres.NewTestDatabase(t)
	t.Setenv("FOLIO_KEYCHAIN", "off")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	ws, err := wire.DefaultWorkstation()
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveServer(wire.ServerConnection{Host: u.Hostname(), Port: u.Port(), Database: strings.TrimPrefix(u.Path, "/"),
		User: u.User.Username(), Password: pw, SSLMode: "disable"}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Run(ctx, Env{Args: []string{"demo"}, Stdout: &out, Stderr: &errb}); code != 0 {
		t.Fatalf("folio demo = %d: %s", code, errb.String())
	}
	s, err := wire.OpenServer(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if co, err := s.ActiveCompany(ctx); err != nil || co.RFC != sales.DemoRFC {
		t.Fatalf("the demo company is not on the saved server: %+v, %v", co, err)
	}
}

// TestSyncWatchFollowsAnotherWorkstation: `folio sync --watch` on a server
// stamps a document another workstation posts as soon as the server
// announces it (LISTEN/NOTIFY), not at its next look at the queue: here
// that look is an hour away.
func TestSyncWatchFollowsAnotherWorkstation(t *testing.T) {
	db := postgres.NewTestDatabase(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("FOLIO_KEYCHAIN", "off")
	defer func(p time.Duration) { syncWatchPoll = p }(syncWatchPoll)
	syncWatchPoll = time.Hour
	ctx := context.Background()
	var out, errb bytes.Buffer
	if code := Run(ctx, Env{Args: []string{"demo"}, Stdout: &out, Stderr: &errb, DBPath: db}); code != 0 {
		t.Fatalf("folio demo = %d: %s", code, errb.String())
	}
	pac := serverPAC(t, db)

	watchCtx, stop := context.WithCancel(ctx)
	var syncOut, syncErr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(watchCtx, Env{Args: []string{"sync", "--watch"}, Stdout: &syncOut, Stderr: &syncErr, DBPath: db})
	}()
	defer func() { stop(); <-done }()
	waitStamped := func(n int) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for pac.Stamped() < n {
			if time.Now().After(deadline) {
				t.Fatalf("the PAC stamped %d documents, want %d\nsync: %s%s", pac.Stamped(), n, syncOut.String(), syncErr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitStamped(3) // the demo's documents, found when the worker started

	// Another workstation posts one more.
	doc := filepath.Join(t.TempDir(), "uno.json")
	if err := os.WriteFile(doc, []byte(`{"serie": "A", "cliente_rfc": "CACX7605101P8", "forma_pago": "03", "conceptos": [{"producto": "MOU-01", "cantidad": "1"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := Run(ctx, Env{Args: []string{"post", doc}, Stdout: &out, Stderr: &errb, DBPath: db}); code != 0 {
		t.Fatalf("folio post = %d: %s", code, errb.String())
	}
	waitStamped(4)
}

// TestCommandsOnServer: the everyday commands run on a server as on a
// file: the companies, their sales settings, the bank accounts, the SAT
// status and cancellation of a document at the PAC that stamped it, the
// export of the stamped documents, an account statement and the quotes.
func TestCommandsOnServer(t *testing.T) {
	db := postgres.NewTestDatabase(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("FOLIO_KEYCHAIN", "off")
	ctx := context.Background()
	run := func(want int, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Run(ctx, Env{Args: args, Stdout: &out, Stderr: &errb, DBPath: db}); code != want {
			t.Fatalf("folio %s = %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errb.String())
		}
		return out.String() + errb.String()
	}
	run(0, "demo")
	pac := serverPAC(t, db)
	run(0, "sync")
	if pac.Stamped() != 3 {
		t.Fatalf("the PAC stamped %d of the demo's 3 documents", pac.Stamped())
	}

	if out := run(0, "company", "list"); !strings.Contains(out, "* "+sales.DemoRFC) || !strings.Contains(out, "CSD ") {
		t.Errorf("company list:\n%s", out)
	}
	run(0, "company", "use", sales.DemoRFC)
	run(0, "company", "ventas", "--terceros", "si")
	if out := run(0, "company", "ventas"); !strings.Contains(out, "terceros activada") {
		t.Errorf("company ventas:\n%s", out)
	}
	if out := run(0, "cuenta", "alta", "--nombre", "Caja chica", "--tipo", "caja", "--moneda", "MXN"); !strings.Contains(out, "Caja chica") {
		t.Errorf("cuenta alta:\n%s", out)
	}
	if out := run(0, "cuenta", "lista"); !strings.Contains(out, "Caja chica") {
		t.Errorf("cuenta lista:\n%s", out)
	}
	dir := t.TempDir()
	if out := run(0, "export", "--dir", dir); !strings.Contains(out, "3 comprobantes exportados") {
		t.Errorf("export:\n%s", out)
	}
	pdf := filepath.Join(t.TempDir(), "estado.pdf")
	run(0, "estado-de-cuenta", "--rfc", "CACX7605101P8", "-o", pdf)
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Errorf("estado de cuenta: %v", err)
	}
	run(0, "cotizacion", "lista")
	if out := run(0, "cancelar", "A-1", "--motivo", "02"); !strings.Contains(out, "El SAT recibió la solicitud de cancelación de A-1") {
		t.Errorf("cancelar:\n%s", out)
	}
	if out := run(0, "cancelar", "A-1", "--estado"); !strings.Contains(out, "Estado en el SAT") {
		t.Errorf("cancelar --estado:\n%s", out)
	}
	if out := run(0, "tercero", "alta", "--rfc", "CACX7605101P8", "--nombre", "XOCHILT CASAS CHAVEZ", "--regimen", "612", "--cp", "36257"); !strings.Contains(out, "CACX7605101P8") {
		t.Errorf("tercero alta:\n%s", out)
	}
	if out := run(0, "tercero", "lista"); !strings.Contains(out, "XOCHILT CASAS CHAVEZ") {
		t.Errorf("tercero lista:\n%s", out)
	}
	libro := filepath.Join(t.TempDir(), "libro.csv")
	run(0, "libro-ventas", "--mes", time.Now().In(domain.MexicoCity).Format("2006-01"), "-o", libro)
	if b, err := os.ReadFile(libro); err != nil || !bytes.Contains(b, []byte("A-1")) && !bytes.Contains(b, []byte("A,1")) {
		t.Errorf("libro de ventas: %v\n%s", err, b)
	}
	if out := run(0, "catalog", "search", "c_ClaveProdServ", "servicios", "facturacion"); !strings.Contains(out, "84111506 — Servicios de facturación") {
		t.Errorf("catalog search on a server:\n%s", out)
	}
	if out := run(0, "timbres", "saldo"); !strings.Contains(out, sales.DemoRFC) {
		t.Errorf("timbres saldo:\n%s", out)
	}
	if out := run(0, "company", "pac", "--local"); !strings.Contains(out, "guardada: PAC local de demostración") {
		t.Errorf("company pac --local:\n%s", out)
	}
}

// serverPAC gives the active company of server db (after `folio demo`)
// an administrator password and, as its PAC account, a local PAC of its
// own, closed when the test ends.
func serverPAC(t *testing.T, db string) *sim.Server {
	t.Helper()
	ctx := context.Background()
	pac, err := sim.Start(sim.Options{LCO: []string{sales.DemoRFC}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pac.Close() })
	s, err := wire.OpenServer(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	co, err := s.ActiveCompany(ctx)
	if err == nil {
		err = wire.NewCompanies(s).SetAdminPassword(ctx, "", "administrador-1")
	}
	if err == nil {
		err = wire.NewCompanies(s).SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas,
			User: sim.DemoUser.Email, Password: sim.DemoUser.Password, URL: pac.URL()})
	}
	if err != nil {
		t.Fatal(err)
	}
	return pac
}
