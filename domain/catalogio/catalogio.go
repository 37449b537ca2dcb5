// Package catalogio brings the customers and products catalogs in from
// spreadsheets and takes them out (lists as shown, the stock among them,
// are exported through domain/listing): a sheet is a Table of
// text cells; a Mapping says which column holds each field (guessed from
// the header, changed by the user); Plan turns the rows into valid records
// and a per-row report of what is refused and why (invalid RFC, unknown SAT
// key, duplicate code…), checked with the same rules as the forms. Nothing
// is stored here: the store imports the valid records in one transaction,
// all or nothing, after the user confirms. Export writes the same columns,
// so an exported catalog imports back to the same catalog.
package catalogio

import (
	"fmt"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

// Table is a sheet's text: the header row and the data rows.
type Table struct {
	Header []string
	Rows   [][]string
}

// Field is one column the import understands.
type Field struct {
	Key      string   // stable name, also the exported header
	Title    string   // Spanish name for the mapping screen
	Aliases  []string // other headers that mean it (normalised)
	Required bool
}

// Mapping is the column of each field's Key; a field not in it is empty.
type Mapping map[string]int

// Guess maps each field to the first column whose header, normalised
// (accents and case folded, spaces and punctuation ignored), is its Key,
// its Title or one of its Aliases.
func Guess(header []string, fields []Field) Mapping {
	m := Mapping{}
	for _, f := range fields {
		names := append([]string{f.Key, f.Title}, f.Aliases...)
		for col, h := range header {
			hn := norm(h)
			for _, n := range names {
				if hn != "" && hn == norm(n) {
					m[f.Key] = col
					break
				}
			}
			if _, ok := m[f.Key]; ok {
				break
			}
		}
	}
	return m
}

func norm(s string) string {
	s = sat.Normalize(s)
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Missing returns the titles of the required fields m does not map.
func Missing(m Mapping, fields []Field) []string {
	var out []string
	for _, f := range fields {
		if _, ok := m[f.Key]; f.Required && !ok {
			out = append(out, f.Title)
		}
	}
	return out
}

// cell returns row's text for field key under m ("" when unmapped or short).
func cell(row []string, m Mapping, key string) string {
	col, ok := m[key]
	if !ok || col < 0 || col >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[col])
}

// Refusal is a row that will not be imported, with every reason.
type Refusal struct {
	Row     int // the sheet's row number (the header is row 1)
	Key     string
	Reasons []string
}

// Report is the outcome of planning an import.
type Report struct {
	Rows     int
	Refused  []Refusal
	Accepted int
}

// reasons flattens a validation error into its Spanish messages.
func reasons(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		out = append(out, domain.UserMessage(e))
	}
	walk(err)
	return out
}

// ErrNothingValid refuses an import without a single valid row.
var ErrNothingValid = domain.E(domain.Invalid, "import catalog", "Ningún renglón se puede importar; corrija el archivo o la asignación de columnas.", nil)

// errMissing refuses a mapping without a required field.
func errMissing(titles []string) error {
	return domain.E(domain.Invalid, "import catalog", fmt.Sprintf("Asigne una columna a: %s.", strings.Join(titles, ", ")), nil)
}

// yes reads a yes/no cell: sí, si, s, x, 1, true, verdadero are yes.
func yes(s string) bool {
	switch norm(s) {
	case "si", "s", "x", "1", "true", "verdadero", "yes":
		return true
	}
	return false
}

// yesNo writes a boolean as the import reads it.
func yesNo(b bool) string {
	if b {
		return "sí"
	}
	return "no"
}
