package catalogio

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/sales"
)

// ProductFields are the product columns, in export order.
var ProductFields = []Field{
	{Key: "codigo", Title: "Código", Aliases: []string{"clave", "sku", "noidentificacion"}, Required: true},
	{Key: "descripcion", Title: "Descripción", Aliases: []string{"producto", "nombre"}, Required: true},
	{Key: "unidad", Title: "Unidad"},
	{Key: "clave_prod_serv", Title: "Clave de producto o servicio", Aliases: []string{"claveprodserv", "clave sat"}, Required: true},
	{Key: "clave_unidad", Title: "Clave de unidad", Aliases: []string{"claveunidad"}, Required: true},
	{Key: "precio", Title: "Precio", Aliases: []string{"valor unitario", "precio unitario"}, Required: true},
	{Key: "objeto_imp", Title: "Objeto de impuesto", Aliases: []string{"objetoimp"}},
	{Key: "iva", Title: "IVA", Aliases: []string{"tasa iva"}},
	{Key: "ieps_factor", Title: "IEPS tipo"},
	{Key: "ieps_valor", Title: "IEPS tasa o cuota"},
	{Key: "ret_iva", Title: "Retención de IVA"},
	{Key: "ret_isr", Title: "Retención de ISR"},
	{Key: "existencias", Title: "Controlar existencias"},
	{Key: "sin_existencia", Title: "Se puede vender sin existencia"},
	{Key: "minimo", Title: "Existencia mínima"},
}

// PlanProducts turns the rows of t under m into products (active) checked
// with sales.Product.Validate against cat, and the rows refused: a field
// that does not parse, a rule the product form would refuse (an unknown SAT
// key among them), a code repeated in the file or already in the catalog
// (exists, asked with the code upper-cased). A missing required column
// refuses the whole import.
func PlanProducts(t Table, m Mapping, cat sales.Catalogs, exists func(code string) bool) ([]sales.Product, Report, error) {
	if miss := Missing(m, ProductFields); len(miss) > 0 {
		return nil, Report{}, errMissing(miss)
	}
	rep := Report{Rows: len(t.Rows)}
	seen := map[string]int{}
	out := make([]sales.Product, 0, len(t.Rows)) // a product is large: growing the slice copied them all, again and again
	for i, row := range t.Rows {
		if blank(row) {
			rep.Rows--
			continue
		}
		p, bad := productOf(row, m)
		p.Normalize()
		bad = append(bad, reasons(p.Validate(cat))...)
		code := strings.ToUpper(p.Code)
		if first, dup := seen[code]; dup && p.Code != "" {
			bad = append(bad, "Código duplicado: ya está en el renglón "+itoa(first)+" del archivo.")
		} else if p.Code != "" && exists(code) {
			bad = append(bad, "Código duplicado: ya existe un producto con ese código.")
		}
		if _, dup := seen[code]; !dup {
			seen[code] = i + 2
		}
		if len(bad) > 0 {
			rep.Refused = append(rep.Refused, Refusal{Row: i + 2, Key: p.Code, Reasons: bad})
			continue
		}
		out = append(out, p)
	}
	rep.Accepted = len(out)
	if len(out) == 0 {
		return nil, rep, ErrNothingValid
	}
	return out, rep, nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

// productOf reads one row; bad lists the cells that do not parse.
func productOf(row []string, m Mapping) (sales.Product, []string) {
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
	p := sales.Product{
		Code: cell(row, m, "codigo"), Description: cell(row, m, "descripcion"), Unit: cell(row, m, "unidad"),
		ClaveProdServ: cell(row, m, "clave_prod_serv"), ClaveUnidad: cell(row, m, "clave_unidad"),
		Price: num("precio", "El precio"), ObjetoImp: cell(row, m, "objeto_imp"), Active: true,
		TrackStock: yes(cell(row, m, "existencias")), SellWithoutStock: yes(cell(row, m, "sin_existencia")),
		MinStock: num("minimo", "La existencia mínima"),
	}
	if p.ObjetoImp == "" {
		p.ObjetoImp = sales.ObjetoImpSi
	}
	switch iva := strings.ToLower(cell(row, m, "iva")); {
	case strings.HasPrefix(iva, "exento"):
		p.Taxes.IVAExento = true
	case iva == "":
		if p.ObjetoImp == sales.ObjetoImpSi {
			p.Taxes.IVATasa = decimal.RequireFromString("0.16")
		}
	default:
		p.Taxes.IVATasa = rate(num("iva", "El IVA"))
	}
	switch f := strings.ToLower(cell(row, m, "ieps_factor")); f {
	case "":
	case "tasa":
		p.Taxes.IEPSFactor = sales.FactorTasa
	case "cuota":
		p.Taxes.IEPSFactor = sales.FactorCuota
	default:
		bad = append(bad, "El tipo de IEPS debe ser «Tasa» o «Cuota».")
	}
	p.Taxes.IEPSValor = num("ieps_valor", "El IEPS")
	p.Taxes.RetIVA = rate(num("ret_iva", "La retención de IVA"))
	p.Taxes.RetISR = rate(num("ret_isr", "La retención de ISR"))
	return p, bad
}

// rate takes 16 as 0.16: a percentage above 1 is divided by 100.
func rate(d decimal.Decimal) decimal.Decimal {
	if d.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return d.Div(decimal.NewFromInt(100))
	}
	return d
}

// ProductsTable is the export of products, in ProductFields' columns.
func ProductsTable(ps []sales.Product) Table {
	t := Table{Header: keys(ProductFields)}
	for _, p := range ps {
		iva := p.Taxes.IVATasa.String()
		if p.Taxes.IVAExento {
			iva = "exento"
		}
		t.Rows = append(t.Rows, []string{p.Code, p.Description, p.Unit, p.ClaveProdServ, p.ClaveUnidad, p.Price.String(),
			p.ObjetoImp, iva, p.Taxes.IEPSFactor, p.Taxes.IEPSValor.String(), p.Taxes.RetIVA.String(), p.Taxes.RetISR.String(),
			yesNo(p.TrackStock), yesNo(p.SellWithoutStock), p.MinStock.String()})
	}
	return t
}

func keys(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Key
	}
	return out
}
