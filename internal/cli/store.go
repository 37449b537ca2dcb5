package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/folio-mx/folio/internal/wire"
)

// openStore opens the SQLite database named by --db/FOLIO_DB, or the
// default one. A PostgreSQL server is refused with a message naming the
// command: it runs only the commands that open it with openShared.
func openStore(ctx context.Context, e *Env) (*sqlite.Store, error) {
	if err := useSavedServer(e); err != nil {
		return nil, err
	}
	if wire.IsServer(e.DBPath) {
		return nil, domain.E(domain.Invalid, "cli.openStore", fmt.Sprintf("«folio %s» todavía no funciona con un servidor PostgreSQL: "+
			"lo que usa se guarda por ahora solo en un archivo. Use un archivo SQLite (--db archivo.db) para esta orden.", e.command), nil)
	}
	return wire.OpenStore(ctx, e.DBPath)
}

// openShared opens the database named by --db/FOLIO_DB, the default
// SQLite file or a PostgreSQL server (postgres://…), for the commands that
// work on both.
func openShared(ctx context.Context, e *Env) (wire.Store, error) {
	if err := useSavedServer(e); err != nil {
		return nil, err
	}
	if wire.IsServer(e.DBPath) {
		return wire.OpenServer(ctx, e.DBPath)
	}
	return wire.OpenStore(ctx, e.DBPath)
}

// openSharedActive is openActive on either store.
func openSharedActive(ctx context.Context, e *Env) (wire.Store, *sales.Company, error) {
	s, err := openShared(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	co, err := s.ActiveCompany(ctx)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, co, nil
}

// cliStore is what the commands that run on either database read and
// change: the store contract both *sqlite.Store and *postgres.Store keep.
type cliStore interface {
	wire.Store
	wire.StatementStore
	wire.QuoteStore
	quotes.Store
	wire.SectionStore
	sales.SalesSettingsStore
	sales.ThirdPartyStore
	thirdparty.Store
	dealer.Store
	InvoiceDocument(ctx context.Context, invoiceID int64) (docID int64, uuid, name string, err error)
}

var (
	_ cliStore = (*sqlite.Store)(nil)
	_ cliStore = (*postgres.Store)(nil)
)

// openActive opens the database named by --db/FOLIO_DB (a file or a
// server) and reads its active company (NotFound while there is none, with
// the Spanish hint). The caller closes the store.
func openActive(ctx context.Context, e *Env) (cliStore, *sales.Company, error) {
	s, err := openShared(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	co, err := s.ActiveCompany(ctx)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s.(cliStore), co, nil
}

func runBackup(ctx context.Context, e *Env) error {
	if len(e.Args) != 1 || e.Args[0] == "" {
		return errUsage{"backup ARCHIVO"}
	}
	if wire.IsServer(e.DBPath) {
		dst, err := filepath.Abs(e.Args[0])
		if err != nil {
			return err
		}
		return backupServer(ctx, e, e.DBPath, dst)
	}
	s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	dst, err := filepath.Abs(e.Args[0])
	if err != nil {
		return err
	}
	if err := s.Backup(ctx, dst); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Copia de seguridad de %s guardada en %s\n", s.Path(), dst)
	return nil
}

func runCatalog(ctx context.Context, e *Env) error {
	const usage = "catalog list|search CATALOGO TEXTO…"
	if len(e.Args) == 0 {
		return errUsage{usage}
	}
	switch e.Args[0] {
	case "list":
		if len(e.Args) != 1 {
			return errUsage{usage}
		}
	case "search":
		if len(e.Args) < 3 {
			return errUsage{"catalog search CATALOGO TEXTO…"}
		}
	default:
		return errUsage{usage}
	}
	if err := useSavedServer(e); err != nil {
		return err
	}
	if wire.IsServer(e.DBPath) {
		// The server keeps no catalog tables: the window searches the
		// catalogs Folio carries, in memory, and so does this command.
		return catalogInMemory(e)
	}
	s, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.EnsureCatalogs(ctx, assets.Catalogs, assets.CatalogsVersion, func(done, total int) {
		fmt.Fprintf(e.Stderr, "\rCargando catálogos del SAT… %d%%", done*100/max(total, 1))
		if done == total {
			fmt.Fprintln(e.Stderr)
		}
	}); err != nil {
		return err
	}

	if e.Args[0] == "list" {
		counts, err := s.CatalogCounts(ctx)
		if err != nil {
			return err
		}
		names := sat.Names()
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(e.Stdout, "%-22s %7d\n", n, counts[n])
		}
		return nil
	}
	catalog, ok := catalogName(e.Args[1])
	if !ok {
		return domain.E(domain.Invalid, "catalog search", fmt.Sprintf("No existe el catálogo %q. Vea los nombres con «folio catalog list».", e.Args[1]), nil)
	}
	entries, err := s.SearchCatalog(ctx, catalog, strings.Join(e.Args[2:], " "), 50)
	if err != nil {
		return err
	}
	return printEntries(e, entries)
}

// catalogInMemory is `folio catalog` over the catalogs Folio carries,
// without a database (on a server).
func catalogInMemory(e *Env) error {
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return err
	}
	if e.Args[0] == "list" {
		names := sat.Names()
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(e.Stdout, "%-22s %7d\n", n, len(cats.List(n)))
		}
		return nil
	}
	catalog, ok := catalogName(e.Args[1])
	if !ok {
		return domain.E(domain.Invalid, "catalog search", fmt.Sprintf("No existe el catálogo %q. Vea los nombres con «folio catalog list».", e.Args[1]), nil)
	}
	entries, err := cats.Search(catalog, strings.Join(e.Args[2:], " "), 50)
	if err != nil {
		return err
	}
	return printEntries(e, entries)
}

// printEntries prints a catalog search's results, one per line.
func printEntries(e *Env, entries []sat.Entry) error {
	if len(entries) == 0 {
		fmt.Fprintln(e.Stderr, "Sin resultados.")
		return errSilent
	}
	for _, en := range entries {
		fmt.Fprintf(e.Stdout, "%s — %s\n", en.Key, en.Description)
	}
	return nil
}

// catalogName resolves what the user typed ("c_UsoCFDI", "usocfdi",
// "UsoCFDI") to a catalog name.
func catalogName(s string) (string, bool) {
	want := strings.TrimPrefix(strings.ToLower(s), "c_")
	for _, n := range sat.Names() {
		if strings.ToLower(strings.TrimPrefix(n, "c_")) == want {
			return n, true
		}
	}
	return "", false
}

// useSavedServer points e at the server this workstation connected to
// from the window ("Conectar a un servidor") when neither --db nor
// FOLIO_DB names a database; without a saved server the default SQLite
// file stays.
func useSavedServer(e *Env) error {
	if e.DBPath != "" {
		return nil
	}
	ws, err := wire.DefaultWorkstation()
	if err != nil {
		return nil // no configuration folder: nothing was saved either
	}
	c, found, err := ws.SavedServer()
	if err != nil || !found {
		return err
	}
	e.DBPath = c.DSN()
	return nil
}
