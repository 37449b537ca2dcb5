package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/testpack"
)

// statementText is pdftotext -layout of a statement PDF (skipped, or
// failed under CI=true, when pdftotext is missing).
func statementText(t *testing.T, file string) string {
	t.Helper()
	pdf, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("%s is not a PDF: %v", file, err)
	}
	testpack.RequireTools(t, "pdftotext")
	text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// writeJSON writes a `folio post` request to a temporary file.
func writeJSON(t *testing.T, body string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.json")
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestCLIStatementEndToEnd: the customer URE180429TM6 of the demo owes the
// demo's credit invoice A-2 (9,724.00) and A-5 of post-demo.json
// (4,290.00); A-5 is paid in part (post-pago.json, P-1, 2,000.00), sync
// stamps everything with the local PAC, and a second receipt (P-2) pays
// what is left of both. The statement for this month shows the charges,
// both receipts and a final balance of $0.00, in the one-line summary and
// in the PDF.
func TestCLIStatementEndToEnd(t *testing.T) {
	db := seedDemoDB(t)
	examples := filepath.Join("..", "..", "docs", "examples")

	// Given the demo data and A-5, a credit (PPD) invoice of 4,290.00, stamped…
	if code, out, errOut := runCLI(t, "--db", db, "post", filepath.Join(examples, "post-demo.json")); code != 0 {
		t.Fatalf("post invoices: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 || !strings.Contains(out, "Timbradas: 5") {
		t.Fatalf("sync invoices: code %d\n%s\n%s", code, out, errOut)
	}
	conn := openRaw(t, db)
	totals := map[string]string{}
	dues := map[string]string{}
	rows, err := conn.Query(`SELECT serie || '-' || folio, total, due_date FROM invoices
		WHERE customer_rfc = 'URE180429TM6' AND tipo = 'I' AND terms = 'credito' AND state = 'stamped'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ref, total, due string
		if err := rows.Scan(&ref, &total, &due); err != nil {
			t.Fatal(err)
		}
		totals[ref], dues[ref] = decimal.RequireFromString(total).StringFixed(2), due
	}
	rows.Close()
	if totals["A-2"] != "9724.00" || totals["A-5"] != "4290.00" || len(totals) != 2 {
		t.Fatalf("URE180429TM6's stamped credit invoices: %v, want A-2 9724.00 and A-5 4290.00", totals)
	}
	// …a partial payment (the documented "pago"), stamped by sync…
	if code, out, errOut := runCLI(t, "--db", db, "post", filepath.Join(examples, "post-pago.json")); code != 0 || !strings.Contains(out, "P-1\tGenerada\tURE180429TM6\t2000.00 MXN") {
		t.Fatalf("post payment: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 || !regexp.MustCompile(`(?m)^P-1 +timbrada`).MatchString(out) {
		t.Fatalf("sync payment: code %d\n%s\n%s", code, out, errOut)
	}
	// …and a second payment of what is left of A-5 and all of A-2.
	today := time.Now().In(domain.MexicoCity)
	rest := writeJSON(t, `{"serie": "P", "pago": {"fecha_pago": "`+today.Format("2006-01-02")+`", "forma_pago": "02", "monto": "12014.00",
	  "facturas": [{"factura": "A-5", "importe": "2290.00"}, {"factura": "A-2", "importe": "9724.00"}]}}`)
	if code, out, errOut := runCLI(t, "--db", db, "post", rest); code != 0 || !strings.Contains(out, "P-2\tGenerada\tURE180429TM6\t12014.00 MXN") {
		t.Fatalf("post second payment: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 || !regexp.MustCompile(`(?m)^P-2 +timbrada`).MatchString(out) {
		t.Fatalf("sync second payment: code %d\n%s\n%s", code, out, errOut)
	}

	// When the statement of this month is asked for…
	desde := today.Format("2006-01") + "-01"
	hasta := today.Format("2006-01-02")
	file := filepath.Join(t.TempDir(), "estado.pdf")
	code, out, errOut := runCLI(t, "--db", db, "estado-de-cuenta", "--rfc", "URE180429TM6", "--desde", desde, "--hasta", hasta, "-o", file)
	// …the summary line gives the period's figures: everything charged was paid.
	want := "URE180429TM6 UNIVERSIDAD ROBOTICA ESPAÑOLA, " + desde + " a " + hasta +
		", MXN: saldo inicial $0.00, cargos $14,014.00, abonos $14,014.00, saldo final $0.00 → " + file + "\n"
	if code != 0 || out != want || errOut != "" {
		t.Fatalf("estado-de-cuenta: code %d\nstdout %q\nwant   %q\nstderr %s", code, out, want, errOut)
	}
	// The default period is the same: from the first of the month to today.
	deflt := filepath.Join(t.TempDir(), "estado.pdf")
	if code, out, errOut := runCLI(t, "--db", db, "estado-de-cuenta", "--rfc", "urE180429tm6", "-o", deflt); code != 0 ||
		out != strings.Replace(want, file, deflt, 1) {
		t.Errorf("estado-de-cuenta with the default period: code %d\nstdout %q\nstderr %s", code, out, errOut)
	}

	// The PDF names the customer, the period, the invoices with their due
	// dates, both receipts, and ends at $0.00.
	text := statementText(t, file)
	dd := func(iso string) string { d, _ := time.Parse("2006-01-02", iso); return d.Format("02/01/2006") }
	for _, re := range []string{
		`ESTADO DE CUENTA`,
		`RFC: URE180429TM6`,
		`UNIVERSIDAD ROBOTICA ESPAÑOLA`,
		`Periodo\s+` + regexp.QuoteMeta(dd(desde)+" a "+dd(hasta)),
		`Factura A-2\s+` + regexp.QuoteMeta(dd(dues["A-2"])) + `\s+\$9,724\.00`,
		`Factura A-5\s+` + regexp.QuoteMeta(dd(dues["A-5"])) + `\s+\$4,290\.00`,
		`Pago P-1\s+Factura A-5\s+\$2,000\.00`,
		`Pago P-2\s+Factura A-5\s+\$2,290\.00`,
		`Pago P-2\s+Factura A-2\s+\$9,724\.00`,
		`Saldo final\s+\$14,014\.00\s+\$14,014\.00\s+\$0\.00 MXN`,
		`\$0\.00\s*\n\s*\S+\s+Saldo final`, // the last movement leaves the balance at zero
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("the statement PDF lacks %s:\n%s", re, text)
		}
	}
	if n := strings.Count(text, "Pago P-"); n != 3 {
		t.Errorf("the statement has %d payment lines, want 3 (P-1, and P-2 for each invoice):\n%s", n, text)
	}
	// --enviar queues the statement for the customer's addresses; with no
	// mail settings yet it waits in the outbox, the PDF attached.
	code, out, errOut = runCLI(t, "--db", db, "estado-de-cuenta", "--rfc", "URE180429TM6", "--desde", desde, "--hasta", hasta,
		"-o", filepath.Join(t.TempDir(), "enviado.pdf"), "--enviar")
	if code != 0 || !strings.Contains(out, "Estado de cuenta de URE180429TM6 en cola para compras@example.com, pagos@example.com: Configure el servidor de correo") {
		t.Fatalf("--enviar: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	var subject, name string
	var pdf []byte
	if err := conn.QueryRow(`SELECT x.subject, a.name, a.data FROM deliveries x JOIN delivery_attachments a ON a.delivery_id = x.id
		WHERE x.issuer_rfc = 'EKU9003173C9' AND x.document_id IS NULL AND x.state = 'queued'`).Scan(&subject, &name, &pdf); err != nil {
		t.Fatalf("the queued statement: %v", err)
	}
	if want := "Estado de cuenta de UNIVERSIDAD ROBOTICA ESPAÑOLA, ESCUELA KEMPER URGATE, del " + dd(desde) + " al " + dd(hasta); subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	attached := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(attached, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if text := statementText(t, attached); !strings.Contains(text, "UNIVERSIDAD ROBOTICA ESPAÑOLA") || !strings.Contains(text, "Pago P-2") {
		t.Errorf("the attached statement lacks the customer or its payments:\n%s", text)
	}

	// With nothing owed, --todos has nothing to write.
	code, out, errOut = runCLI(t, "--db", db, "estado-de-cuenta", "--todos", "--carpeta", filepath.Join(t.TempDir(), "todos"))
	if code != 1 || out != "" || !strings.Contains(errOut, "Ningún cliente de EKU9003173C9 tiene saldo") {
		t.Errorf("--todos with every balance paid: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

// addCustomers stores customers in db as the Clientes screen would.
func addCustomers(t *testing.T, db string, cs ...sales.Customer) []sales.Customer {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range cs {
		if err := s.CreateCustomer(ctx, &cs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return cs
}

// TestCLIStatementRefusals: what the command refuses, with a Spanish
// message that says what to do, and without writing the file.
func TestCLIStatementRefusals(t *testing.T) {
	db := seedDemoDB(t)
	// A second foreign customer shares the generic RFC with NORTHWIND.
	contoso := addCustomers(t, db, sales.Customer{RFC: sales.RFCExtranjero, Name: "CONTOSO LTD", RegimenFiscal: sales.RegimenSinObligaciones,
		UsoCFDI: sales.UsoSinEfectos, FormaPago: "03", MetodoPago: "PUE", Pais: "CAN", NumRegIdTrib: "987654321", Active: true})[0]
	file := filepath.Join(t.TempDir(), "estado.pdf")
	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"unknown RFC", []string{"--rfc", "AAA010101AAA"}, 1, []string{"No hay ningún cliente con el RFC AAA010101AAA. Revise el RFC"}},
		{"unknown id", []string{"--cliente-id", "999"}, 1, []string{"No hay ningún cliente con el número 999"}},
		{"id of another RFC", []string{"--rfc", "URE180429TM6", "--cliente-id", itoa(contoso.ID)}, 1,
			[]string{"tiene el RFC " + sales.RFCExtranjero + ", no URE180429TM6"}},
		{"shared generic RFC", []string{"--rfc", sales.RFCExtranjero}, 1, []string{"Hay 2 clientes con el RFC " + sales.RFCExtranjero +
			"; elija uno con --cliente-id:", "--cliente-id " + itoa(contoso.ID) + "  CONTOSO LTD", "NORTHWIND TRADERS INC"}},
		{"date not AAAA-MM-DD", []string{"--rfc", "URE180429TM6", "--desde", "01/12/2026"}, 1,
			[]string{`La fecha de --desde debe escribirse AAAA-MM-DD (p. ej. 2026-01-31); se recibió "01/12/2026".`}},
		{"no such day", []string{"--rfc", "URE180429TM6", "--hasta", "2026-02-30"}, 1, []string{"La fecha de --hasta debe escribirse AAAA-MM-DD"}},
		{"period backwards", []string{"--rfc", "URE180429TM6", "--desde", "2026-12-05", "--hasta", "2026-12-01"}, 1,
			[]string{"El periodo empieza el 2026-12-05, después de su último día (2026-12-01): corrija --desde o --hasta."}},
		{"no customer", []string{}, 2, []string{"uso: folio estado-de-cuenta"}},
		{"--todos and --rfc", []string{"--todos", "--carpeta", t.TempDir(), "--rfc", "URE180429TM6"}, 2, []string{"uso:"}},
		{"--todos without --carpeta", []string{"--todos"}, 2, []string{"uso:"}},
		{"extra argument", []string{"--rfc", "URE180429TM6", "extra"}, 2, []string{"uso:"}},
		{"unknown flag", []string{"--rfc", "URE180429TM6", "--cliente", "x"}, 2, []string{"uso:"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--db", db, "estado-de-cuenta"}, tt.args...)
			if tt.name != "--todos and --rfc" && tt.name != "--todos without --carpeta" {
				args = append(args, "-o", file)
			}
			code, out, errOut := runCLI(t, args...)
			if code != tt.code || out != "" {
				t.Errorf("code %d, stdout %q; want %d and nothing\nstderr %s", code, out, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
			if _, err := os.Stat(file); err == nil {
				t.Errorf("a refused statement wrote %s", file)
			}
		})
	}
	// Without -o the single form is a usage error.
	if code, _, _ := runCLI(t, "--db", db, "estado-de-cuenta", "--rfc", "URE180429TM6"); code != 2 {
		t.Errorf("without -o: code %d, want 2", code)
	}
	// --cliente-id picks one of the customers who share the RFC.
	code, out, errOut := runCLI(t, "--db", db, "estado-de-cuenta", "--rfc", sales.RFCExtranjero, "--cliente-id", itoa(contoso.ID), "-o", file)
	if code != 0 || !strings.HasPrefix(out, sales.RFCExtranjero+" CONTOSO LTD, ") || !strings.Contains(out, "saldo final $0.00") {
		t.Errorf("--cliente-id: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

// TestCLIStatementAll: --todos writes one PDF per customer who owes the
// company something, named by RFC, with a progress line for each, and none
// for customers who owe nothing.
func TestCLIStatementAll(t *testing.T) {
	db := seedDemoDB(t)
	// Besides URE180429TM6 (the demo's A-2 on credit), a second customer
	// on credit gets two invoices in pesos and one in dollars, and two
	// foreign customers who share the generic RFC one each.
	foreign := func(name string) sales.Customer {
		return sales.Customer{RFC: sales.RFCExtranjero, Name: name, RegimenFiscal: sales.RegimenSinObligaciones, UsoCFDI: sales.UsoSinEfectos,
			FormaPago: "99", MetodoPago: "PPD", Pais: "USA", NumRegIdTrib: "123456789", CreditDays: 30, Active: true}
	}
	cs := addCustomers(t, db, sales.Customer{RFC: "IIA040805DZ4", Name: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscal: "601",
		CodigoPostal: "62661", UsoCFDI: "G03", FormaPago: "99", MetodoPago: "PPD", CreditDays: 15, Active: true},
		foreign("CONTOSO LTD"), foreign("FABRIKAM INC"))
	credit := func(rfc, qty, extra string) string {
		return `{"serie": "A", "cliente_rfc": "` + rfc + `", "condiciones": "credito", ` + extra + `"conceptos": [{"producto": "MOU-01", "cantidad": "` + qty + `"}]}`
	}
	batch := "[" + strings.Join([]string{credit("IIA040805DZ4", "1", ""), credit("IIA040805DZ4", "2", ""),
		credit("IIA040805DZ4", "1", `"moneda": "USD", "tipo_cambio": "17.50", `),
		credit(sales.RFCExtranjero, "1", `"cliente_nombre": "CONTOSO LTD", `), credit(sales.RFCExtranjero, "1", `"cliente_nombre": "FABRIKAM INC", `)}, ",") + "]"
	if code, out, errOut := runCLI(t, "--db", db, "post", writeJSON(t, batch)); code != 0 {
		t.Fatalf("post: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "sync"); code != 0 {
		t.Fatalf("sync: code %d\n%s\n%s", code, out, errOut)
	}

	dir := filepath.Join(t.TempDir(), "estados")
	code, out, errOut := runCLI(t, "--db", db, "estado-de-cuenta", "--todos", "--carpeta", dir)
	if code != 0 {
		t.Fatalf("--todos: code %d\n%s\n%s", code, out, errOut)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	contoso, fabrikam := sales.RFCExtranjero+"-"+itoa(cs[1].ID)+".pdf", sales.RFCExtranjero+"-"+itoa(cs[2].ID)+".pdf"
	if got, want := strings.Join(names, " "), "IIA040805DZ4-USD.pdf IIA040805DZ4.pdf URE180429TM6.pdf "+contoso+" "+fabrikam; got != want {
		t.Fatalf("files %s, want %s", got, want)
	}
	// 349.50 × 3 + IVA = 1,216.26; the demo's A-2 is 9,724.00.
	for _, w := range []string{
		"IIA040805DZ4 INDISTRIA ILUMINADORA DE ALMACENES, ", "cargos $1,216.26, abonos $0.00, saldo final $1,216.26 → " + filepath.Join(dir, "IIA040805DZ4.pdf"),
		"URE180429TM6 UNIVERSIDAD ROBOTICA ESPAÑOLA, ", "saldo final $9,724.00 → " + filepath.Join(dir, "URE180429TM6.pdf"),
		"IIA040805DZ4 INDISTRIA ILUMINADORA DE ALMACENES, ", "USD: saldo inicial $0.00, cargos $405.42, abonos $0.00, saldo final $405.42 → " + filepath.Join(dir, "IIA040805DZ4-USD.pdf"),
		"CONTOSO LTD, ", "saldo final $405.42 → " + filepath.Join(dir, contoso),
		"FABRIKAM INC, ", "saldo final $405.42 → " + filepath.Join(dir, fabrikam),
		"5 estados de cuenta en " + dir,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	for _, w := range []string{"Estado de cuenta 1 de 5: ", "Estado de cuenta 5 de 5: "} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks the progress line %q:\n%s", w, errOut)
		}
	}
	text := statementText(t, filepath.Join(dir, "IIA040805DZ4.pdf"))
	for _, w := range []string{"ESTADO DE CUENTA", "RFC: IIA040805DZ4", "Factura A-4", "Factura A-5", "$1,216.26 MXN"} {
		if !strings.Contains(text, w) {
			t.Errorf("IIA040805DZ4.pdf lacks %q:\n%s", w, text)
		}
	}
	// One customer owes in dollars; nobody in euros.
	usd := filepath.Join(t.TempDir(), "usd")
	code, out, errOut = runCLI(t, "--db", db, "estado-de-cuenta", "--todos", "--moneda", "usd", "--carpeta", usd)
	if entries, _ := os.ReadDir(usd); code != 0 || len(entries) != 1 || entries[0].Name() != "IIA040805DZ4-USD.pdf" || !strings.Contains(out, "1 estados de cuenta") {
		t.Errorf("--todos --moneda USD: code %d, %d files\nstdout %s\nstderr %s", code, len(entries), out, errOut)
	}
	code, out, errOut = runCLI(t, "--db", db, "estado-de-cuenta", "--todos", "--moneda", "EUR", "--carpeta", filepath.Join(t.TempDir(), "eur"))
	if code != 1 || out != "" || !strings.Contains(errOut, "tiene saldo en EUR") {
		t.Errorf("--todos --moneda EUR: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// A single statement without --moneda is in pesos and names the dollars.
	code, out, errOut = runCLI(t, "--db", db, "estado-de-cuenta", "--rfc", "IIA040805DZ4", "-o", filepath.Join(t.TempDir(), "iia.pdf"))
	if code != 0 || !strings.Contains(out, ", MXN: ") || !strings.Contains(errOut, "IIA040805DZ4 también tiene movimientos en USD: pida su estado de cuenta con --moneda USD.") {
		t.Errorf("a customer owing in two currencies: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

func itoa(n int64) string { return decimal.NewFromInt(n).String() }
