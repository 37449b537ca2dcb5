package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

// settingCatalogsVersion records which catalog data the tables hold.
const settingCatalogsVersion = "catalogs_version"

// EnsureCatalogs loads every SAT catalog of cats (normally assets.Catalogs)
// into the catalog tables and the search index, unless the tables already
// hold version (normally assets.CatalogsVersion). The reload replaces the old
// rows in one transaction, so readers see either the old or the new data.
// progress, when not nil, is called with rows written so far and the total,
// from the calling goroutine, ending with done == total.
func (s *Store) EnsureCatalogs(ctx context.Context, cats fs.FS, version string, progress func(done, total int)) error {
	const op = "sqlite.EnsureCatalogs"
	if version == "" {
		return fmt.Errorf("%s: empty version", op)
	}
	current, err := s.setting(ctx, s.r, settingCatalogsVersion)
	if err != nil {
		return err
	}
	if current == version {
		return nil
	}
	tables, err := sat.LoadTables(cats)
	if err != nil {
		return domain.E(domain.Internal, op, "No se pudieron leer los catálogos del SAT incluidos en Folio. Reinstale la aplicación.", err)
	}
	total := 0
	for _, t := range tables {
		total += len(t.Rows)
	}
	defer s.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`) // SQLite's default
	return s.WriteTx(ctx, func(tx *sql.Tx) error {
		// Another process may have loaded the same data meanwhile.
		if v, err := s.setting(ctx, tx, settingCatalogsVersion); err != nil || v == version {
			return err
		}
		// A cache large enough for the whole load keeps SQLite from spilling
		// the same pages to the WAL again and again; restored below.
		for _, q := range []string{`PRAGMA cache_size = -131072`, `DELETE FROM catalog_search`, `DELETE FROM catalog_entries`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO catalog_entries (catalog, key, description, vigencia_hasta, data) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		idx, err := tx.PrepareContext(ctx, `INSERT INTO catalog_search (docid, words) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer idx.Close()
		// Row statements run without a cancellable context: the driver would
		// start a watcher goroutine per call. Cancellation is checked below
		// every few thousand rows instead.
		rowCtx := context.WithoutCancel(ctx)
		done := 0
		var buf []byte
		for _, t := range tables {
			searchable := t.Name != sat.CodigoPostal // searched by key only
			for i := range t.Rows {
				e := t.Entry(i)
				buf = rowJSON(buf[:0], t, i)
				res, err := ins.ExecContext(rowCtx, t.Name, e.Key, e.Description, vigenciaHasta(t, i), string(buf))
				if err != nil {
					return fmt.Errorf("%s %s: %w", t.Name, e.Key, err)
				}
				if searchable {
					id, err := res.LastInsertId()
					if err != nil {
						return err
					}
					if _, err := idx.ExecContext(rowCtx, id, strings.Join(sat.Words(t.SearchText(i)), " ")); err != nil {
						return fmt.Errorf("%s %s: index: %w", t.Name, e.Key, err)
					}
				}
				done++
				if done%5000 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
					if progress != nil {
						progress(done, total)
					}
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_search (catalog_search) VALUES ('optimize')`); err != nil {
			return err
		}
		if err := s.putSetting(ctx, tx, settingCatalogsVersion, version); err != nil {
			return err
		}
		if progress != nil {
			progress(total, total)
		}
		return nil
	})
}

func vigenciaHasta(t *sat.Table, i int) string {
	if v := t.Cell(i, "vigencia_hasta"); v != "" {
		return v
	}
	return t.Cell(i, "fecha_fin_vigencia")
}

// rowJSON appends the non-empty cells of row i as a JSON object keyed by
// column name, leaving out what has a column of its own: the key (first
// column), the descripcion and the vigencia dates.
func rowJSON(buf []byte, t *sat.Table, i int) []byte {
	buf = append(buf, '{')
	first := true
	row := t.Rows[i]
	for i, c := range t.Columns {
		if row[i] == "" || skipInData[c] || (i == 0 && t.Name != sat.TasaOCuota) {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = appendJSONString(buf, c)
		buf = append(buf, ':')
		buf = appendJSONString(buf, row[i])
	}
	return append(buf, '}')
}

// skipInData are the columns rowJSON leaves out.
var skipInData = map[string]bool{
	"descripcion": true, "vigencia_desde": true, "vigencia_hasta": true,
	"fecha_inicio_vigencia": true, "fecha_fin_vigencia": true,
}

func appendJSONString(buf []byte, s string) []byte {
	plain := utf8.ValidString(s)
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20 && s[i] != '"' && s[i] != '\\'
	}
	if plain {
		buf = append(buf, '"')
		buf = append(buf, s...)
		return append(buf, '"')
	}
	b, _ := json.Marshal(s) // a string always marshals
	return append(buf, b...)
}

// CatalogsVersion returns the catalog data version the tables hold ("" if
// never loaded).
func (s *Store) CatalogsVersion(ctx context.Context) (string, error) {
	return s.setting(ctx, s.r, settingCatalogsVersion)
}

// CatalogCounts returns the number of rows loaded per catalog.
func (s *Store) CatalogCounts(ctx context.Context) (map[string]int, error) {
	const op = "sqlite.CatalogCounts"
	rows, err := s.r.QueryContext(ctx, `SELECT catalog, count(*) FROM catalog_entries GROUP BY catalog`)
	if err != nil {
		return nil, mapErr(op, s.path, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, mapErr(op, s.path, err)
		}
		out[c] = n
	}
	return out, mapErr(op, s.path, rows.Err())
}

// maxSearchWords bounds the words of a search query.
const maxSearchWords = 8

// SearchCatalog finds up to limit entries in force of catalog (a sat name
// such as sat.ClaveProdServ) for a search box: first the keys that start
// with query (as typed or in upper case), then the entries whose description
// (and, in c_ClaveProdServ, similares) has a word starting with every word of
// query, accent- and case-insensitively, shortest descriptions first. An
// empty query lists the catalog from its start. limit ≤ 0 means 50.
// An unknown catalog is an Invalid error.
func (s *Store) SearchCatalog(ctx context.Context, catalog, query string, limit int) ([]sat.Entry, error) {
	const op = "sqlite.SearchCatalog"
	if !sat.KnownCatalog(catalog) {
		return nil, domain.E(domain.Invalid, op, fmt.Sprintf("No existe el catálogo %q.", catalog), nil)
	}
	if limit <= 0 {
		limit = 50
	}
	today := s.Now().In(domain.MexicoCity).Format(time.DateOnly)
	query = strings.TrimSpace(query)
	var out []sat.Entry
	seen := map[int64]bool{}
	collect := func(q string, args ...any) error {
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() && len(out) < limit {
			e := sat.Entry{Catalog: catalog}
			var id int64
			if err := rows.Scan(&id, &e.Key, &e.Description); err != nil {
				return err
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, e)
			}
		}
		return rows.Err()
	}

	if query == "" {
		err := collect(`SELECT id, key, description FROM catalog_entries
			WHERE catalog = ? AND (vigencia_hasta = '' OR vigencia_hasta >= ?) ORDER BY id LIMIT ?`, catalog, today, limit)
		return out, mapErr(op, s.path, err)
	}
	if !strings.ContainsAny(query, " \t") {
		for _, p := range uniq(query, strings.ToUpper(query)) {
			err := collect(`SELECT id, key, description FROM catalog_entries
				WHERE catalog = ? AND key >= ? AND key < ? AND (vigencia_hasta = '' OR vigencia_hasta >= ?)
				ORDER BY key LIMIT ?`, catalog, p, p+"\U0010FFFF", today, limit)
			if err != nil {
				return nil, mapErr(op, s.path, err)
			}
		}
	}
	if match := catalogMatch(query); match != "" && len(out) < limit {
		// CROSS JOIN keeps the full-text index as the outer loop.
		err := collect(`SELECT e.id, e.key, e.description FROM catalog_search CROSS JOIN catalog_entries e
			ON e.id = catalog_search.docid
			WHERE catalog_search MATCH ? AND e.catalog = ? AND (e.vigencia_hasta = '' OR e.vigencia_hasta >= ?)
			ORDER BY length(e.description), e.key LIMIT ?`, match, catalog, today, limit+len(out))
		if err != nil {
			return nil, mapErr(op, s.path, err)
		}
	}
	return out, nil
}

// catalogMatch turns typed text into an FTS4 query: every word folded by
// sat.Words and matched as a prefix; nothing the user types can reach the
// query syntax. "" when the text has no words.
func catalogMatch(text string) string {
	words := sat.Words(text)
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	for i, w := range words {
		words[i] = w + "*"
	}
	return strings.Join(words, " ")
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

// queryRower is a *sql.DB or a *sql.Tx.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// setting returns a settings value, "" when absent.
func (s *Store) setting(ctx context.Context, q queryRower, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, mapErr("sqlite.setting", s.path, err)
}

func (s *Store) putSetting(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, timeText(s.Now()))
	return err
}
