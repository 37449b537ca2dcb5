package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
)

// TestImportCommand: `folio import` stores the demo company's samples,
// prints a line per file of other companies and the summary, and exits 1
// because some files were not stored; a second run counts duplicates; a
// run with only good files exits 0. The same on a file and on a
// PostgreSQL server.
func TestImportCommand(t *testing.T) {
	dir := testpack.Path(t, "samples")
	t.Run("sqlite", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "folio.db")
		s, err := sqlite.Open(context.Background(), db, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveCompany(context.Background(), sales.DemoCompany()); err != nil {
			t.Fatal(err)
		}
		s.Close()
		testImportCommand(t, dir, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db := postgres.NewTestDatabase(t)
		t.Setenv("XDG_CONFIG_HOME", t.TempDir())
		s, err := postgres.Open(context.Background(), db, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveCompany(context.Background(), sales.DemoCompany()); err != nil {
			t.Fatal(err)
		}
		s.Close()
		testImportCommand(t, dir, db)
	})
}

func testImportCommand(t *testing.T, dir, db string) {
	code, out, _ := runCLI(t, "--db", db, "import", dir)
	if code != 1 || !strings.Contains(out, "Importados: 9 ") || !strings.Contains(out, "02-ingreso-produccion-real-timbrado.xml: omitido: no pertenece") ||
		!strings.Contains(out, "15-NEGATIVO-xsd-falta-exportacion.xml: importado con verificación fallida") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if code, out, _ = runCLI(t, "--db", db, "import", dir); !strings.Contains(out, "duplicados: 9;") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	good := testpack.Path(t, "samples", "01-ingreso-iva16-timbrado.xml")
	if code, out, _ = runCLI(t, "--db", db, "import", good); code != 0 || !strings.Contains(out, "duplicados: 1;") {
		t.Errorf("duplicate only: exit %d\n%s", code, out)
	}
	if code, _, _ = runCLI(t, "--db", db, "import"); code != 2 {
		t.Errorf("no paths: exit %d, want 2", code)
	}

	// SAT's status through the demo company's PAC, the local one: it never
	// stamped SAT's samples, so each stamped one is "no encontrado"; a
	// second run finds nothing left to consult.
	code, out, _ = runCLI(t, "--db", db, "estatus-sat")
	if code != 0 || !strings.Contains(out, "vigentes: 0, cancelados: 0, no encontrados: ") || !strings.Contains(out, "pendientes: 0.") ||
		strings.Contains(out, "Consultados: 0 ") {
		t.Errorf("estatus-sat: exit %d\n%s", code, out)
	}
	if code, out, _ = runCLI(t, "--db", db, "estatus-sat"); code != 0 || !strings.Contains(out, "Consultados: 0 ") {
		t.Errorf("estatus-sat again: exit %d\n%s", code, out)
	}
}
