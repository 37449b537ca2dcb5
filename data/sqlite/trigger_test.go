package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// lifeColumn matches the columns that only the domain may change (design
// decision 11): a status or state, a date or instant, an amount.
var lifeColumn = regexp.MustCompile(`(?i)^(status|state|estado|estatus_.*|fecha.*|.*_at|.*date.*|total.*|subtotal|descuento|importe|tipo_cambio|.*_micro)$`)

var (
	triggerBody = regexp.MustCompile(`(?is)\bBEGIN\b(.*)\bEND\s*$`)
	updateStmt  = regexp.MustCompile(`(?is)^UPDATE\s+(?:OR\s+\w+\s+)?"?(\w+)"?\s+SET\s+(.*?)(?:\s+(?:FROM|WHERE)\s.*)?$`)
	insertStmt  = regexp.MustCompile(`(?is)^(?:INSERT|REPLACE)(?:\s+OR\s+\w+)?\s+INTO\s+"?(\w+)"?\s*(?:\(([^)]*)\))?`)
	deleteStmt  = regexp.MustCompile(`(?is)^DELETE\s+FROM\s+"?(\w+)"?`)
	assignedCol = regexp.MustCompile(`(?s)^\s*\(?\s*([\w",\s]+?)\s*\)?\s*=`)
)

// triggerWrites returns, for each trigger of db, the columns its body
// writes that lifeColumn matches, leaving out writes to FTS index tables
// (index maintenance). A DELETE writes every column of its table.
func triggerWrites(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	columns := func(table string) []string {
		rows, err := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var c string
			rows.Scan(&c)
			out = append(out, c)
		}
		return out
	}
	isIndex := func(table string) bool {
		var n int
		db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = ? AND type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts%'`, table).Scan(&n)
		return n == 1
	}
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	type trigger struct{ name, sql string }
	var triggers []trigger
	for rows.Next() {
		var tr trigger
		if err := rows.Scan(&tr.name, &tr.sql); err != nil {
			t.Fatal(err)
		}
		triggers = append(triggers, tr)
	}
	rows.Close()
	out := map[string][]string{}
	for _, tr := range triggers {
		m := triggerBody.FindStringSubmatch(tr.sql)
		if m == nil {
			t.Fatalf("trigger %s: no body in %q", tr.name, tr.sql)
		}
		for _, stmt := range strings.Split(m[1], ";") {
			stmt = strings.TrimSpace(stmt)
			if stmt == "" {
				continue
			}
			var table string
			var cols []string
			switch {
			case updateStmt.MatchString(stmt):
				u := updateStmt.FindStringSubmatch(stmt)
				table = u[1]
				for _, set := range splitTop(u[2]) {
					a := assignedCol.FindStringSubmatch(set)
					if a == nil {
						t.Fatalf("trigger %s: cannot read the assignment %q", tr.name, set)
					}
					for _, c := range strings.Split(a[1], ",") {
						cols = append(cols, strings.Trim(strings.TrimSpace(c), `"`))
					}
				}
			case insertStmt.MatchString(stmt):
				i := insertStmt.FindStringSubmatch(stmt)
				table = i[1]
				if i[2] == "" {
					cols = columns(table)
				} else {
					for _, c := range strings.Split(i[2], ",") {
						cols = append(cols, strings.Trim(strings.TrimSpace(c), `"`))
					}
				}
			case deleteStmt.MatchString(stmt):
				table = deleteStmt.FindStringSubmatch(stmt)[1]
				cols = columns(table)
			case regexp.MustCompile(`(?i)^SELECT\b`).MatchString(stmt):
				continue // RAISE() and the like write nothing
			default:
				t.Fatalf("trigger %s: unknown statement %q", tr.name, stmt)
			}
			if isIndex(table) {
				continue
			}
			for _, c := range cols {
				if lifeColumn.MatchString(c) {
					out[tr.name] = append(out[tr.name], table+"."+c)
				}
			}
		}
	}
	return out
}

// splitTop splits a SET clause at the commas outside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// TestNoTriggerMovesADocument: once migrated, no trigger writes a status,
// state, date or amount column (design decision 11: the domain decides a
// document's life and the store records it); the FTS index-maintenance
// triggers are the only ones left. The same check finds the four triggers
// that moved invoices at schema version 26, so it does see such writes.
func TestNoTriggerMovesADocument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	old := mustOpen(t, filepath.Join(t.TempDir(), "v26.db"), Options{MaxVersion: 26})
	got := triggerWrites(t, old.ReadDB())
	var names []string
	for name := range got {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"invoices_follow_cancel", "invoices_follow_cancel_insert", "invoices_follow_redate", "invoices_follow_stamp"}
	if !slices.Equal(names, want) {
		t.Errorf("at v26 the check finds %v, want %v", got, want)
	}
	if w := got["invoices_follow_stamp"]; !slices.Contains(w, "invoices.status") || !slices.Contains(w, "invoices.updated_at") {
		t.Errorf("invoices_follow_stamp writes %v, want invoices.status and invoices.updated_at among them", w)
	}

	s := MustOpenTest(t)
	if v, err := s.SchemaVersion(ctx); err != nil || v < 27 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	if got := triggerWrites(t, s.ReadDB()); len(got) != 0 {
		t.Errorf("triggers that write a document's status, state, date or amount: %v", got)
	}
	var n int
	s.ReadDB().QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger'`).Scan(&n)
	if n == 0 {
		t.Error("no trigger at all: the FTS index triggers are missing")
	}
}
