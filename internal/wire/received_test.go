package wire

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
)

// importStore opens a store with the demo company (EKU9003173C9) and, as
// companies too, the RFCs in extra.
func importStore(tb testing.TB, extra ...string) *sqlite.Store {
	tb.Helper()
	ctx := context.Background()
	s := sqlite.MustOpenTest(tb)
	if err := s.SaveCompany(ctx, sales.DemoCompany()); err != nil {
		tb.Fatal(err)
	}
	for _, rfc := range extra {
		co := sales.DemoCompany()
		co.RFC, co.Nombre, co.Demo = rfc, "EMPRESA "+rfc, false
		if err := s.SaveCompany(ctx, co); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

func importPaths(tb testing.TB, s *sqlite.Store, paths ...string) received.Result {
	tb.Helper()
	svc, err := NewImporter(s, nil)
	if err != nil {
		tb.Fatal(err)
	}
	items, closeItems, err := ImportItems(paths)
	if err != nil {
		tb.Fatal(err)
	}
	defer closeItems()
	res, err := svc.Import(context.Background(), items, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// sampleCompanies are the issuers of the pack's samples that are not the
// demo company: with them every sample belongs to the installation.
var sampleCompanies = []string{"ISD950921HE5", "XIQB891116QE4", "H&E951128469", "AAA010101AAA"}

// TestImportSamplesAgreeWithOracle: every sample of the SAT pack is
// imported and stored with the oracle's verdict (OK or not), classified as
// issued or received; importing them again stores nothing and counts
// duplicates; the received one's issuer becomes a supplier.
func TestImportSamplesAgreeWithOracle(t *testing.T) {
	dir := testpack.Path(t, "samples")
	files := testpack.Samples(t)
	s := importStore(t, sampleCompanies...)
	res := importPaths(t, s, dir)
	if res.Total != len(files) || res.Imported != len(files) || res.Duplicates != 0 || res.Refused != 0 {
		t.Fatalf("result = %+v, want %d imported", res, len(files))
	}
	for i, o := range res.Outcomes {
		oracleOK, line := testpack.VerifySeal(t, files[i])
		if o.Name != files[i] {
			t.Fatalf("outcome %d is %s, want %s", i, o.Name, files[i])
		}
		if o.OK != oracleOK {
			t.Errorf("%s: import verdict %q, oracle %q", filepath.Base(o.Name), o.Reason, line)
		}
		want := received.Emitido
		if strings.HasPrefix(filepath.Base(o.Name), "14-") {
			want = received.Recibido // CACX7605101P8 to EKU9003173C9
		}
		if o.Direction != want {
			t.Errorf("%s: direction %s, want %s", filepath.Base(o.Name), o.Direction, want)
		}
		if strings.Contains(o.Name, "10-") && !strings.Contains(o.Reason, "importes fuera de las reglas del SAT") {
			t.Errorf("sample 10's amounts break SAT's rules, verdict says %q", o.Reason)
		}
	}
	ctx := context.Background()
	docs, err := s.FindReceived(ctx, received.Filter{})
	if err != nil || len(docs) != len(files) {
		t.Fatalf("FindReceived = %d docs, %v", len(docs), err)
	}
	for _, d := range docs {
		raw, err := s.ReceivedXML(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		orig, err := os.ReadFile(d.Source)
		if err != nil || !bytes.Equal(raw, orig) {
			t.Errorf("%s: stored bytes differ from the file (%v)", d.Source, err)
		}
	}

	again := importPaths(t, s, dir)
	if again.Imported != 0 || again.Duplicates != len(files) {
		t.Errorf("second import = %+v, want %d duplicates", again, len(files))
	}
	sup, err := s.Suppliers(ctx, "EKU9003173C9")
	if err != nil || len(sup) != 1 || sup[0].RFC != "CACX7605101P8" || sup[0].Name == "" {
		t.Errorf("suppliers = %+v, %v; want CACX7605101P8 with its name", sup, err)
	}
}

// TestImportListFilters: the lists select by direction, date range and
// words of UUID, serie, folio, RFC or name.
func TestImportListFilters(t *testing.T) {
	s := importStore(t, sampleCompanies...)
	importPaths(t, s, testpack.Path(t, "samples"), filepath.Join("testdata", "received"))
	ctx := context.Background()
	count := func(f received.Filter) int {
		docs, err := s.FindReceived(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(docs)
	}
	all := count(received.Filter{})
	for _, c := range []struct {
		name string
		f    received.Filter
		want func(n int) bool
	}{
		{"received by EKU", received.Filter{Issuer: "EKU9003173C9", Direction: received.Recibido}, func(n int) bool { return n == 2 }},
		{"by UUID", received.Filter{Query: "6f35d3b5"}, func(n int) bool { return n == 1 }},
		{"by name without accents", received.Filter{Query: "xochilt casas"}, func(n int) bool { return n == 2 }},
		{"range excludes all", received.Filter{From: "2030-01-01"}, func(n int) bool { return n == 0 }},
		{"whole day To", received.Filter{From: "2021-06-15", To: "2021-06-15"}, func(n int) bool { return n == 1 }},
		{"nothing matches", received.Filter{Query: "zzzz"}, func(n int) bool { return n == 0 }},
	} {
		if n := count(c.f); !c.want(n) || n > all {
			t.Errorf("%s: %d documents", c.name, n)
		}
	}
}

// TestImportForeign: a CFDI of no company of the installation is reported
// and not stored.
func TestImportForeign(t *testing.T) {
	s := importStore(t)
	res := importPaths(t, s, testpack.Path(t, "samples", "02-ingreso-produccion-real-timbrado.xml"))
	if res.Refused != 1 || res.Outcomes[0].Status != received.Foreign || !strings.Contains(res.Outcomes[0].Reason, "no pertenece") {
		t.Fatalf("result = %+v", res)
	}
}

// TestImportHistorical: CFDI 3.3 and 3.2 are stored with their version and
// the historical note, not refused.
func TestImportHistorical(t *testing.T) {
	s := importStore(t)
	res := importPaths(t, s, filepath.Join("testdata", "received"))
	if res.Imported != 2 || res.Historical != 2 || res.Failed() {
		t.Fatalf("result = %+v", res)
	}
	docs, err := s.FindReceived(context.Background(), received.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]received.Doc{}
	for _, d := range docs {
		got[d.Version] = d
	}
	if d := got["3.3"]; d.Direction != received.Recibido || d.UUID != "33333333-3333-4333-8333-333333333333" || d.Total != "116.00" ||
		!strings.Contains(d.Verdict, "CFDI 3.3: versión histórica") || !d.Historical {
		t.Errorf("3.3 = %+v", d)
	}
	if d := got["3.2"]; d.Direction != received.Emitido || d.Tipo != "I" || d.Serie != "B" || d.RfcEmisor != "EKU9003173C9" {
		t.Errorf("3.2 = %+v", d)
	}
}

// TestImportHostile: broken and hostile files are refused one by one with
// their reason, and the good file of the same batch is stored.
func TestImportHostile(t *testing.T) {
	good := testpack.Read(t, "samples", "01-ingreso-iva16-timbrado.xml")
	bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0">&lol2;</cfdi:Comprobante>`
	external := `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/x">]><cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0">&xxe;</cfdi:Comprobante>`
	huge := append([]byte(`<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0"><!--`), bytes.Repeat([]byte("x"), received.MaxFileSize)...)
	cases := []struct {
		name, reason string
		data         []byte
	}{
		{"doctype.xml", "DOCTYPE", []byte(bomb)},
		{"xxe.xml", "DOCTYPE", []byte(external)},
		{"truncated.xml", "bien formado", good[:len(good)/2]},
		{"not-xml.xml", "no es XML", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj")},
		{"empty.xml", "no contiene un comprobante", nil},
		{"binary.xml", "", []byte{0, 1, 2, 0xff, 0xfe, '<', 0}},
		{"two.xml", "", append(append([]byte{}, good...), good...)},
		{"huge.xml", "más de 10 MB", huge},
		{"other-root.xml", "no es un CFDI", []byte(`<factura/>`)},
		{"wrong-ns.xml", "CFDI 4.0", []byte(`<Comprobante Version="4.0"/>`)},
	}
	dir := t.TempDir()
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, c.name), c.data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "zz-good.xml"), good, 0o600); err != nil {
		t.Fatal(err)
	}
	s := importStore(t)
	res := importPaths(t, s, dir)
	if res.Imported != 1 || res.Refused != len(cases) {
		t.Fatalf("result = %+v", res)
	}
	byName := map[string]received.Outcome{}
	for _, o := range res.Outcomes {
		byName[filepath.Base(o.Name)] = o
	}
	for _, c := range cases {
		o := byName[c.name]
		if o.Status != received.Refused || o.Reason == "" || !strings.Contains(o.Reason, c.reason) {
			t.Errorf("%s: status %d, reason %q; want refused saying %q", c.name, o.Status, o.Reason, c.reason)
		}
	}
}

// zipOf writes a ZIP of files (name → bytes) and returns its path.
func zipOf(t testing.TB, files map[string][]byte, method uint16) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "lote.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, b := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportZIP: a ZIP's .xml entries are imported like files (names with
// ../ are only names), other entries skipped, and a zip-bomb entry is
// refused after MaxFileSize bytes.
func TestImportZIP(t *testing.T) {
	files := map[string][]byte{"readme.pdf": []byte("%PDF")}
	for _, p := range testpack.Samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files["../sub/"+filepath.Base(p)] = b
	}
	files["bomb.xml"] = bytes.Repeat([]byte{'0'}, received.MaxFileSize+100)
	zp := zipOf(t, files, zip.Deflate)
	s := importStore(t, sampleCompanies...)
	res := importPaths(t, s, zp)
	n := len(files) - 2
	if res.Total != n+1 || res.Imported != n || res.Refused != 1 {
		t.Fatalf("result = %+v, want %d imported and the bomb refused", res, n)
	}
	for _, o := range res.Outcomes {
		if strings.HasSuffix(o.Name, "bomb.xml") && !strings.Contains(o.Reason, "más de 10 MB") {
			t.Errorf("bomb: %q", o.Reason)
		}
	}
	if st, _ := os.Stat(filepath.Join(filepath.Dir(zp), "..", "sub")); st != nil {
		t.Error("the ZIP's ../sub entries were written to disk")
	}
}

// TestImportBadPathsAndZip: a missing path and a file that is not a ZIP are
// reported, and the rest imported.
func TestImportBadPathsAndZip(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "dañado.zip")
	if err := os.WriteFile(bad, []byte("PK\x03\x04 no es un zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := importStore(t)
	res := importPaths(t, s, filepath.Join(t.TempDir(), "no-existe"), bad, filepath.Join("testdata", "received", "cfdi33.xml"))
	if res.Refused != 2 || res.Imported != 1 {
		t.Fatalf("result = %+v", res)
	}
	if !strings.Contains(res.Outcomes[0].Reason, "No se encontró") || !strings.Contains(res.Outcomes[1].Reason, "no es un ZIP") {
		t.Errorf("reasons = %q, %q", res.Outcomes[0].Reason, res.Outcomes[1].Reason)
	}
}

// TestImportCancel: a cancelled import returns the context's error and
// stores nothing more.
func TestImportCancel(t *testing.T) {
	s := importStore(t)
	svc, err := NewImporter(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	items, closeItems, _ := ImportItems([]string{filepath.Join("testdata", "received")})
	defer closeItems()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := svc.Import(ctx, items, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Import after cancel = %v", err)
	}
}

// cloneStamped writes n copies of the stamped sample 01, each with its own
// UUID, into dir. The issuer's Sello still verifies (the TFD is not in the
// cadena) and the TFD's SelloSAT is checked and fails: the full verification
// runs for every document.
func cloneStamped(tb testing.TB, dir string, n int) [][]byte {
	tb.Helper()
	src := testpack.Read(tb, "samples", "01-ingreso-iva16-timbrado.xml")
	const uuid = "6F35D3B5-3651-5370-BC2C-14CDBE384CD7"
	if !bytes.Contains(src, []byte(uuid)) {
		tb.Fatal("sample 01 changed")
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = bytes.Replace(src, []byte(uuid), []byte(fmt.Sprintf("6F35D3B5-3651-5370-BC2C-%012d", i)), 1)
		if dir != "" {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.xml", i)), out[i], 0o600); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return out
}

func benchImport(b *testing.B, path string, n int) {
	b.ReportAllocs()
	b.ResetTimer()
	var total float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := importStore(b)
		b.StartTimer()
		start := time.Now()
		res := importPaths(b, s, path)
		total += time.Since(start).Seconds()
		if res.Imported != n {
			b.Fatalf("imported %d of %d: %+v", res.Imported, n, res.Outcomes[0])
		}
	}
	b.ReportMetric(float64(n*b.N)/total, "docs/s")
}

// BenchmarkImportFolder10k imports a folder of 10,000 stamped documents,
// verified and stored (issue: at least 1,000 documents/s).
func BenchmarkImportFolder10k(b *testing.B) {
	dir := b.TempDir()
	cloneStamped(b, dir, 10_000)
	benchImport(b, dir, 10_000)
}

// BenchmarkImportZIP10k imports the same 10,000 documents from one ZIP.
func BenchmarkImportZIP10k(b *testing.B) {
	docs := cloneStamped(b, "", 10_000)
	files := make(map[string][]byte, len(docs))
	for i, d := range docs {
		files[fmt.Sprintf("cfdi/%05d.xml", i)] = d
	}
	benchImport(b, zipOf(b, files, zip.Deflate), 10_000)
}
