package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/app/catalogs"
	"github.com/folio-mx/folio/app/customers"
	dealerapp "github.com/folio-mx/folio/app/dealer"
	"github.com/folio-mx/folio/app/inventory"
	"github.com/folio-mx/folio/app/invoices"
	"github.com/folio-mx/folio/app/products"
	"github.com/folio-mx/folio/app/quotes"
	"github.com/folio-mx/folio/app/receivables"
	"github.com/folio-mx/folio/app/received"
	"github.com/folio-mx/folio/app/sheets"
	"github.com/folio-mx/folio/app/thirdparty"
	"github.com/folio-mx/folio/app/translation"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

var update = flag.Bool("update", false, "add UI texts missing from translation/es.json to it (and, untranslated, to en.json)")

// readTranslations returns the messages of one file: key → text (plural
// entries as their "other" form).
func readTranslations(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := translation.Files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case map[string]any:
			other, _ := v["other"].(string)
			if _, ok := v["one"].(string); !ok || other == "" {
				t.Errorf("%s: plural %q needs \"one\" and \"other\"", name, k)
			}
			out[k] = other
		default:
			t.Errorf("%s: %q has a %T", name, k, v)
		}
	}
	return out
}

// sourceKeys returns every string literal passed as the first argument of
// lang.L, lang.N, lang.X or lang.XN in the non-test Go files under app/.
func sourceKeys(t *testing.T) []string {
	t.Helper()
	var keys []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !slices.Contains([]string{"L", "N", "X", "XN"}, sel.Sel.Name) {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Errorf("%s: %v", path, err)
				}
				keys = append(keys, s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// tableKeys returns the Spanish texts kept in tables and translated where
// they are shown.
func tableKeys() []string {
	var keys []string
	for _, ar := range areas {
		keys = append(keys, ar.title)
	}
	for _, s := range shortcuts() {
		keys = append(keys, s.command)
	}
	for _, c := range catalogs.Catalogs {
		keys = append(keys, c.Title)
	}
	keys = append(keys, invoices.TableTexts()...)
	keys = append(keys, customers.TableTexts()...)
	keys = append(keys, products.TableTexts()...)
	keys = append(keys, receivables.TableTexts()...)
	keys = append(keys, received.TableTexts()...)
	keys = append(keys, thirdparty.TableTexts()...)
	keys = append(keys, inventory.TableTexts()...)
	keys = append(keys, sheets.TableTexts()...)
	keys = append(keys, quotes.TableTexts()...)
	keys = append(keys, dealerapp.TableTexts()...)
	keys = append(keys, dealerapp.ActionTexts()...)
	for _, st := range sales.States() {
		keys = append(keys, st.Label()) // the invoice list's ST column and the editor's status
	}
	return keys
}

func TestEverySpanishKeyHasEnglish(t *testing.T) {
	es, en := readTranslations(t, "es.json"), readTranslations(t, "en.json")
	if len(es) == 0 {
		t.Fatal("es.json is empty")
	}
	for k, v := range es {
		if v == "" {
			t.Errorf("es.json: %q is empty", k)
		}
		if en[k] == "" {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k := range en {
		if _, ok := es[k]; !ok {
			t.Errorf("en.json has %q, which es.json lacks", k)
		}
	}
}

func TestEveryUITextIsTranslated(t *testing.T) {
	es := readTranslations(t, "es.json")
	keys := append(sourceKeys(t), tableKeys()...)
	if len(keys) < 50 {
		t.Fatalf("found only %d texts; is the source scan broken?", len(keys))
	}
	used := map[string]bool{}
	var missing []string
	for _, k := range keys {
		if _, ok := es[k]; !ok && !used[k] {
			missing = append(missing, k)
			if !*update {
				t.Errorf("es.json lacks %q (go test ./app -run UIText -update adds it)", k)
			}
		}
		used[k] = true
	}
	if *update && len(missing) > 0 {
		addKeys(t, "es.json", missing, func(k string) string { return k })
		addKeys(t, "en.json", missing, func(string) string { return "" }) // TestEverySpanishKeyHasEnglish fails until translated
		t.Logf("added %d texts to es.json and en.json", len(missing))
	}
	for k := range es {
		if !used[k] {
			t.Errorf("es.json has %q, which no code uses", k)
		}
	}
}

// addKeys adds keys to translation/name with the value text(key), keeping
// the file sorted (encoding/json sorts map keys) and its UTF-8 as is.
func addKeys(t *testing.T, name string, keys []string, text func(string) string) {
	t.Helper()
	path := filepath.Join("translation", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, k := range keys {
		if _, ok := raw[k]; !ok {
			raw[k] = text(k)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(raw); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestToolkitTexts: Fyne's own texts that Folio shows (the file dialog,
// confirmations, information, the entries' menu) read in Mexican Spanish.
func TestToolkitTexts(t *testing.T) {
	uitest.NewApp(t)
	if lang.L("Cancelar") != "Cancelar" {
		t.Skip("checked in Spanish; run with LANG=es_MX.UTF-8")
	}
	for en, es := range map[string]string{
		"OK": "Aceptar", "Yes": "Sí", "No": "No", "Cancel": "Cancelar", "Open": "Abrir", "Save": "Guardar",
		"Copy": "Copiar", "Cut": "Cortar", "Paste": "Pegar", "Select all": "Seleccionar todo", "Undo": "Deshacer",
		"Redo": "Rehacer", "New Folder": "Nueva carpeta", "Create Folder": "Crear carpeta",
		"Show Hidden Files": "Mostrar archivos ocultos", "Enter filename": "Escriba el nombre del archivo",
	} {
		if got := lang.L(en); got != es {
			t.Errorf("Fyne's %q reads %q, want %q", en, got, es)
		}
	}
	if got := lang.L("Open") + " " + lang.L("File"); got != "Abrir archivo" {
		t.Errorf("the file dialog's title reads %q", got)
	}
}
