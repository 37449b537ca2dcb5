package catalogio

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/sales"
)

// CustomerFields are the customer columns, in export order.
var CustomerFields = []Field{
	{Key: "rfc", Title: "RFC", Required: true},
	{Key: "nombre", Title: "Nombre o razón social", Aliases: []string{"nombre", "razon social", "cliente"}, Required: true},
	{Key: "regimen", Title: "Régimen fiscal", Aliases: []string{"regimen fiscal", "regimenfiscal"}, Required: true},
	{Key: "cp", Title: "Código postal", Aliases: []string{"codigo postal", "domicilio fiscal"}, Required: true},
	{Key: "uso_cfdi", Title: "Uso del CFDI", Aliases: []string{"usocfdi", "uso"}},
	{Key: "forma_pago", Title: "Forma de pago", Aliases: []string{"formapago"}},
	{Key: "metodo_pago", Title: "Método de pago", Aliases: []string{"metodopago"}},
	{Key: "correos", Title: "Correos", Aliases: []string{"correo", "email", "emails"}},
	{Key: "dias_credito", Title: "Días de crédito", Aliases: []string{"credito"}},
	{Key: "limite_credito", Title: "Límite de crédito"},
	{Key: "ret_iva", Title: "Retención de IVA"},
	{Key: "ret_isr", Title: "Retención de ISR"},
	{Key: "pais", Title: "País de residencia fiscal", Aliases: []string{"pais"}},
	{Key: "num_reg_id_trib", Title: "Número de registro tributario", Aliases: []string{"numregidtrib"}},
	{Key: "notas", Title: "Notas"},
}

// PlanCustomers turns the rows of t under m into customers (active) checked
// with sales.Customer.Validate against cat (a malformed RFC, an unknown
// régimen, uso or postal code among them), and the rows refused. An RFC
// repeated in the file or already in the catalog (exists) is refused, but
// for the generic RFCs (público en general, extranjero), which many
// customers share.
func PlanCustomers(t Table, m Mapping, cat sales.Catalogs, exists func(rfc string) bool) ([]sales.Customer, Report, error) {
	if miss := Missing(m, CustomerFields); len(miss) > 0 {
		return nil, Report{}, errMissing(miss)
	}
	rep := Report{Rows: len(t.Rows)}
	seen := map[string]int{}
	out := make([]sales.Customer, 0, len(t.Rows)) // a customer is large: growing the slice copied them all, again and again
	for i, row := range t.Rows {
		if blank(row) {
			rep.Rows--
			continue
		}
		c, bad := customerOf(row, m)
		c.Normalize()
		bad = append(bad, reasons(c.Validate(cat))...)
		generic := c.IsPublicoGeneral() || c.IsForeign()
		if first, dup := seen[c.RFC]; dup && !generic && c.RFC != "" {
			bad = append(bad, "RFC duplicado: ya está en el renglón "+itoa(first)+" del archivo.")
		} else if !generic && c.RFC != "" && exists(c.RFC) {
			bad = append(bad, "RFC duplicado: ya existe un cliente con ese RFC.")
		}
		if _, dup := seen[c.RFC]; !dup {
			seen[c.RFC] = i + 2
		}
		if len(bad) > 0 {
			rep.Refused = append(rep.Refused, Refusal{Row: i + 2, Key: c.RFC, Reasons: bad})
			continue
		}
		out = append(out, c)
	}
	rep.Accepted = len(out)
	if len(out) == 0 {
		return nil, rep, ErrNothingValid
	}
	return out, rep, nil
}

func customerOf(row []string, m Mapping) (sales.Customer, []string) {
	var bad []string
	num := func(key, what string) decimal.Decimal {
		s := strings.ReplaceAll(strings.TrimPrefix(cell(row, m, key), "$"), ",", "")
		if s == "" {
			return decimal.Zero
		}
		d, err := decimal.NewFromString(s)
		if err != nil {
			bad = append(bad, what+" no es un número: «"+cell(row, m, key)+"».")
		}
		return d
	}
	c := sales.Customer{
		RFC: cell(row, m, "rfc"), Name: cell(row, m, "nombre"), RegimenFiscal: cell(row, m, "regimen"),
		CodigoPostal: cell(row, m, "cp"), UsoCFDI: cell(row, m, "uso_cfdi"), FormaPago: cell(row, m, "forma_pago"),
		MetodoPago: cell(row, m, "metodo_pago"), CreditLimit: num("limite_credito", "El límite de crédito"),
		RetencionIVA: rate(num("ret_iva", "La retención de IVA")), RetencionISR: rate(num("ret_isr", "La retención de ISR")),
		Pais: cell(row, m, "pais"), NumRegIdTrib: cell(row, m, "num_reg_id_trib"), Notes: cell(row, m, "notas"), Active: true,
	}
	for _, e := range strings.FieldsFunc(cell(row, m, "correos"), func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
		c.Emails = append(c.Emails, e)
	}
	if d := cell(row, m, "dias_credito"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			bad = append(bad, "Los días de crédito no son un número entero: «"+d+"».")
		}
		c.CreditDays = n
	}
	return c, bad
}

// CustomersTable is the export of customers, in CustomerFields' columns.
func CustomersTable(cs []sales.Customer) Table {
	t := Table{Header: keys(CustomerFields)}
	for _, c := range cs {
		t.Rows = append(t.Rows, []string{c.RFC, c.Name, c.RegimenFiscal, c.CodigoPostal, c.UsoCFDI, c.FormaPago, c.MetodoPago,
			strings.Join(c.Emails, "; "), strconv.Itoa(c.CreditDays), c.CreditLimit.String(), c.RetencionIVA.String(),
			c.RetencionISR.String(), c.Pais, c.NumRegIdTrib, c.Notes})
	}
	return t
}
