package transfer_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/data/transfer"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/secret"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

// TestToPostgresKeepsEveryDocument moves the demo installation, one of its
// documents stamped, to a fresh PostgreSQL database: every document's XML
// arrives byte-identical, the catalogs answer the same and the server
// goes on numbering where the file stopped.
func TestToPostgresKeepsEveryDocument(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	ctx := context.Background()
	src := sqlite.MustOpenTest(t)
	co, err := wire.SeedDemo(ctx, src, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	q := sqlite.NewStampStore(src)
	docs, err := q.Documents(ctx, co.RFC)
	if err != nil || len(docs) != 3 {
		t.Fatalf("demo documents: %d, %v", len(docs), err)
	}
	xml, err := cfdi.InsertTimbre(docs[0].SealedXML, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: "5FB2822E-396D-4725-8521-000000000001",
		FechaTimbrado: time.Now().In(domain.MexicoCity).Format(sales.FechaLayout), RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
		NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG8="})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.MarkStamped(ctx, docs[0].ID, xml, "5FB2822E-396D-4725-8521-000000000001", stamping.Outcome{Class: stamping.Stamped}, time.Now()); err != nil {
		t.Fatal(err)
	}

	dst, err := postgres.Open(ctx, dsn, postgres.Options{SecretPath: filepath.Join(t.TempDir(), "k"), KeyDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	rep, err := transfer.ToPostgres(ctx, src, dst, transfer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != 3 || rep.Rows["invoices"] != 3 || rep.Rows["customers"] != 4 || rep.Rows["companies"] != 1 {
		t.Fatalf("report %+v: want 3 documents, 3 invoices, 4 customers, 1 company", rep)
	}
	pq := postgres.NewStampStore(dst)
	for _, d := range docs {
		got, err := pq.Document(ctx, d.ID)
		want, _ := q.Document(ctx, d.ID)
		if err != nil || !bytes.Equal(got.SealedXML, want.SealedXML) || !bytes.Equal(got.StampedXML, want.StampedXML) ||
			got.UUID != want.UUID || got.State != want.State {
			t.Errorf("document %d on the server: %v, state %s uuid %q; want it byte-identical (state %s uuid %q)", d.ID, err, got.State, got.UUID, want.State, want.UUID)
		}
	}
	active, err := dst.ActiveCompany(ctx)
	if err != nil || active.RFC != co.RFC {
		t.Fatalf("active company on the server: %+v, %v", active, err)
	}
	found, err := dst.FindCustomers(ctx, sales.CustomerFilter{Query: "española"})
	if err != nil || len(found) != 1 {
		t.Errorf("FindCustomers(española) on the server = %d, %v", len(found), err)
	}
	series, err := dst.FindSeries(ctx, co.RFC)
	if err != nil {
		t.Fatal(err)
	}
	for _, sr := range series {
		if sr.Serie == "A" && sr.NextFolio != 4 {
			t.Errorf("series A goes on at %d on the server, want 4", sr.NextFolio)
		}
	}
	c := found[0]
	c.ID, c.Name = 0, "OTRO CLIENTE"
	if err := dst.CreateCustomer(ctx, &c); err != nil || c.ID <= 4 {
		t.Errorf("a new customer on the server gets id %d (%v), want past the copied ones", c.ID, err)
	}

	if _, err := transfer.ToPostgres(ctx, src, dst, transfer.Options{}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("a second move into the same database = %v, want Conflict", err)
	}
}

// TestToPostgresCarriesTheKey: an installation with a PAC account (sealed
// with its key file) moves to the server only with its administrator
// password; the key arrives wrapped under it, the moving workstation opens
// the secrets at once, another one after unlocking with that password,
// and the server holds the key only wrapped.
func TestToPostgresCarriesTheKey(t *testing.T) {
	dsn := postgres.NewTestDatabase(t)
	ctx := context.Background()
	src := sqlite.MustOpenTest(t)
	co, err := wire.SeedDemo(ctx, src, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srcCo := wire.NewCompanies(src)
	const admin, pacPw = "administrador-1", "pac-secreto-del-archivo"
	if err := srcCo.SavePACSettings(ctx, co.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "u@x.mx", Password: pacPw}); err != nil {
		t.Fatal(err)
	}
	open := func() *postgres.Store {
		s, err := postgres.Open(ctx, dsn, postgres.Options{SecretPath: filepath.Join(t.TempDir(), "k"), KeyDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	dst := open()
	empty := func() bool {
		var n int
		dst.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM companies`).Scan(&n)
		w, _ := dst.WrappedKey(ctx)
		return n == 0 && w == ""
	}

	// Refused, leaving the server empty: no administrator password in the
	// installation, then none given, then a wrong one.
	if _, err := transfer.ToPostgres(ctx, src, dst, transfer.Options{AdminPassword: admin}); domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), "no tiene contraseña de administrador") {
		t.Fatalf("without an administrator password: %v", err)
	}
	if err := srcCo.SetAdminPassword(ctx, "", admin); err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{"", "otra-contraseña"} {
		if _, err := transfer.ToPostgres(ctx, src, dst, transfer.Options{AdminPassword: pw}); domain.KindOf(err) != domain.Invalid || !empty() {
			t.Fatalf("with password %q: %v (server empty: %v)", pw, err, empty())
		}
	}

	rep, err := transfer.ToPostgres(ctx, src, dst, transfer.Options{AdminPassword: admin})
	if err != nil {
		t.Fatal(err)
	}
	if rep.KeyKept == "" {
		t.Error("the report does not say where the key was kept")
	}
	key, err := src.InstallationKey()
	if err != nil {
		t.Fatal(err)
	}
	w, _ := dst.WrappedKey(ctx)
	if id, _ := secret.WrappedKeyID(w); id != secret.KeyID(key) {
		t.Fatalf("wrapped key id %s, want the file's %s", id, secret.KeyID(key))
	}
	if p, err := wire.NewCompanies(dst).CompanyPACSettings(ctx, co.ID); err != nil || p.Password != pacPw {
		t.Fatalf("the moving workstation reads %q, %v", p.Password, err)
	}
	other := wire.NewCompanies(open())
	if _, err := other.CompanyPACSettings(ctx, co.ID); !errors.Is(err, secret.ErrLocked) {
		t.Fatalf("another workstation before unlocking: %v, want ErrLocked", err)
	}
	if _, err := other.Unlock(ctx, admin); err != nil {
		t.Fatal(err)
	}
	if p, err := other.CompanyPACSettings(ctx, co.ID); err != nil || p.Password != pacPw {
		t.Fatalf("another workstation after unlocking reads %q, %v", p.Password, err)
	}
	var plain int
	if err := dst.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM installation_key WHERE position($1::bytea IN convert_to(wrapped, 'UTF8')) > 0
		OR strpos(wrapped, $2) > 0`, key, base64.StdEncoding.EncodeToString(key)).Scan(&plain); err != nil || plain != 0 {
		t.Fatalf("the server holds the key in clear: %d, %v", plain, err)
	}
}
