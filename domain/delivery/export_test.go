package delivery

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/folio-mx/folio/domain"
)

func TestFileBase(t *testing.T) {
	t.Parallel()
	uuid := "5f1e1a48-8b0e-4e5b-9b8e-4b5b1a1c2d3e"
	tests := []struct {
		name string
		doc  ExportDoc
		want string
	}{
		{"serie, folio and UUID", ExportDoc{Serie: "A", Folio: "123", UUID: uuid}, "A-123_5F1E1A48-8B0E-4E5B-9B8E-4B5B1A1C2D3E"},
		{"no serie", ExportDoc{Folio: "9", UUID: uuid}, "9_5F1E1A48-8B0E-4E5B-9B8E-4B5B1A1C2D3E"},
		{"only UUID", ExportDoc{UUID: uuid}, "5F1E1A48-8B0E-4E5B-9B8E-4B5B1A1C2D3E"},
		{"not stamped", ExportDoc{Serie: "NC", Folio: "4"}, "NC-4"},
		{"nothing", ExportDoc{ID: 17}, "documento-17"},
		{"reserved characters", ExportDoc{Serie: `A/B\C:*?`, Folio: "1", UUID: uuid}, "A_B_C___-1_5F1E1A48-8B0E-4E5B-9B8E-4B5B1A1C2D3E"},
		{"trailing dot", ExportDoc{Serie: "A.", Folio: ""}, "A"},
	}
	for _, tt := range tests {
		if got := tt.doc.FileBase(); got != tt.want {
			t.Errorf("%s: FileBase = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// exportDocs returns n stamped documents of serie "E".
func exportDocs(tb testing.TB, n int) []ExportDoc {
	tb.Helper()
	docs := make([]ExportDoc, n)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < n; i += 2 {
				folio := strconv.Itoa(i + 1)
				docs[i] = ExportDoc{ID: int64(i + 1), Serie: "E", Folio: folio, UUID: testUUID(i + 1), XML: stampedXML(tb, "E", folio, testUUID(i+1))}
			}
		})
	}
	wg.Wait()
	return docs
}

func TestExportWritesEveryDocument(t *testing.T) {
	t.Parallel()
	// given 12 stamped documents, one cancelled
	docs := exportDocs(t, 12)
	docs[3].Cancelled = true
	dir := filepath.Join(t.TempDir(), "facturas", "2026")
	var calls []int
	// when they are exported
	err := Export(context.Background(), docs, dir, func(done, total int) {
		if total != len(docs) {
			t.Errorf("progress total = %d, want %d", total, len(docs))
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	// then each has its XML (verbatim) and a PDF, and nothing else is left
	for _, d := range docs {
		base := filepath.Join(dir, "E-"+d.Folio+"_"+d.UUID)
		xml, err := os.ReadFile(base + ".xml")
		if err != nil || !bytes.Equal(xml, d.XML) {
			t.Errorf("%s.xml differs from the stored bytes (%v)", base, err)
		}
		pdf, err := os.ReadFile(base + ".pdf")
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("%s.pdf is not a PDF (%v)", base, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2*len(docs) {
		t.Errorf("folder has %d files, want %d", len(entries), 2*len(docs))
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; !slices.Equal(calls, want) {
		t.Errorf("progress calls = %v, want %v", calls, want)
	}
}

func TestExportStopsOnCancel(t *testing.T) {
	t.Parallel()
	docs := exportDocs(t, 40)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := Export(ctx, docs, dir, func(done, total int) {
		if done == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Export after cancel = %v, want context.Canceled", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) >= 2*len(docs) {
		t.Errorf("cancelled export wrote all %d files", len(entries))
	}
	for _, e := range entries {
		if name := e.Name(); name[0] == '.' {
			t.Errorf("temporary file %s left behind", name)
		}
	}
}

func TestExportReportsBrokenXML(t *testing.T) {
	t.Parallel()
	docs := exportDocs(t, 3)
	docs[1].XML = []byte("<no es un cfdi")
	err := Export(context.Background(), docs, t.TempDir(), nil)
	if domain.KindOf(err) != domain.Invalid {
		t.Fatalf("Export = %v, want Invalid", err)
	}
}

func TestExportUnwritableFolder(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "archivo")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Export(context.Background(), exportDocs(t, 1), filepath.Join(file, "sub"), nil)
	if domain.KindOf(err) != domain.Unavailable {
		t.Fatalf("Export into a file = %v, want Unavailable", err)
	}
}

// BenchmarkExport1000 exports 1,000 stamped demo documents (XML + PDF) to a
// folder with one worker per processor and reports PDFs per second.
func BenchmarkExport1000(b *testing.B) {
	docs := exportDocs(b, 1000)
	b.ResetTimer()
	for b.Loop() {
		dir := b.TempDir()
		if err := Export(context.Background(), docs, dir, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "PDFs/s")
}
