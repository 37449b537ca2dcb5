package sales

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// creditSource is one invoice a credit-note request names: as it was
// written in "facturas", as stored, and what its live notes already took.
type creditSource struct {
	ref  string
	inv  Invoice
	done Credited
}

// name is how messages name the invoice: SERIE-FOLIO, or what the request
// wrote.
func (s *creditSource) name() string {
	if t := s.inv.FolioText(); t != "" {
		return t
	}
	return s.ref
}

// resolveCredit turns a credit-note request into the draft BuildCredit
// builds, naming in every problem the invoice and the concept it concerns.
func resolveCredit(ctx context.Context, dir Directory, cat Catalogs, issuer string, r Request) (Invoice, error) {
	p := &problems{op: "resolve credit note"}
	nc := r.NotaCredito
	kind := CreditKind(strings.ToLower(strings.TrimSpace(nc.Tipo)))
	switch kind {
	case "devolución":
		kind = Devolucion
	case Devolucion, Rebaja:
	default:
		p.add("nota_credito.tipo", "El tipo de la nota de crédito debe ser «devolucion» o «rebaja».")
	}
	if r.Global != nil || len(r.Relacionados) > 0 {
		p.add("nota_credito", "Una nota de crédito relaciona las facturas de «nota_credito.facturas»: no lleva «global» ni «relacionados».")
	}
	if t := PaymentTerms(strings.ToLower(strings.TrimSpace(r.Condiciones))); t != "" && t != Contado {
		p.add("condiciones", "Una nota de crédito se emite en una sola exhibición: sus condiciones son «contado».")
	}

	// The invoices, each once.
	if len(nc.Facturas) == 0 {
		p.add("nota_credito.facturas", "Indique la factura (SERIE-FOLIO o UUID) a la que se aplica la nota de crédito.")
	}
	var srcs []*creditSource
	for i, ref := range nc.Facturas {
		f := fmt.Sprintf("nota_credito.facturas[%d]", i)
		ref = strings.TrimSpace(ref)
		inv, err := dir.FindDocument(ctx, issuer, ref)
		switch {
		case domain.KindOf(err) == domain.NotFound:
			p.add(f, fmt.Sprintf("No hay una factura emitida «%s» de esta empresa (escriba SERIE-FOLIO, p. ej. A-12, o su UUID).", ref))
			continue
		case err != nil:
			return Invoice{}, err
		}
		if dup := findSource(srcs, ref); dup != nil || sourceByID(srcs, inv.ID) != nil {
			p.add(f, fmt.Sprintf("La factura %s aparece dos veces en «facturas».", inv.FolioText()))
			continue
		}
		done, err := dir.Credited(ctx, inv.ID)
		if err != nil {
			return Invoice{}, err
		}
		src := &creditSource{ref: ref, inv: inv, done: done}
		if inv.TipoDeComprobante != TipoIngreso {
			p.add(f, fmt.Sprintf("%s no es una factura de ingreso: solo se emiten notas de crédito sobre facturas.", src.name()))
			continue
		}
		if err := inv.State.Allowed(EventRelate); err != nil {
			p.add(f, fmt.Sprintf("Factura %s: %s", src.name(), domain.UserMessage(err)))
			continue
		}
		srcs = append(srcs, src)
	}

	// The concepts: which invoice, which of its lines, how much.
	if len(r.Conceptos) == 0 {
		p.add("conceptos", "Agregue al menos un concepto: el de la factura que se devuelve o se rebaja.")
	}
	type pick struct {
		src  *creditSource
		line CreditLine
	}
	var picks []pick
	for i, rl := range r.Conceptos {
		f := fmt.Sprintf("conceptos[%d]", i)
		if rl.Precio != nil || !rl.Descuento.IsZero() || rl.Impuestos != nil || rl.Descripcion != "" || rl.ClaveProdServ != "" ||
			rl.ClaveUnidad != "" || rl.Unidad != "" || rl.ObjetoImp != "" {
			p.add(f, "En una nota de crédito el concepto se copia de la factura: indique solo «factura», «producto» o «linea», y «cantidad» (devolución) o «rebaja» (por unidad).")
			continue
		}
		src, msg := pickSource(srcs, nc.Facturas, rl.Factura)
		if msg != "" {
			p.add(f+".factura", msg)
			continue
		}
		if src == nil { // its invoice was refused above
			continue
		}
		line, field, msg := pickLine(src, rl)
		if msg != "" {
			p.add(f+"."+field, msg)
			continue
		}
		cl := CreditLine{Line: line}
		switch kind {
		case Devolucion:
			cl.Cantidad = rl.Cantidad
			if !rl.Rebaja.IsZero() {
				p.add(f+".rebaja", "En una devolución indique la «cantidad» devuelta, no «rebaja».")
				continue
			}
		case Rebaja:
			cl.Rebate = rl.Rebaja
			if !rl.Cantidad.IsZero() {
				p.add(f+".cantidad", "En una rebaja indique la «rebaja» por unidad, no «cantidad»: se rebajan todas las unidades facturadas.")
				continue
			}
		}
		picks = append(picks, pick{src, cl})
	}
	if err := p.err(); err != nil {
		return Invoice{}, err
	}

	// One CreditSource per run of concepts of the same invoice, so that
	// the note's line n is concept n.
	var sources []CreditSource
	for _, pk := range picks {
		if n := len(sources); n > 0 && sources[n-1].Invoice.ID == pk.src.inv.ID {
			sources[n-1].Lines = append(sources[n-1].Lines, pk.line)
			continue
		}
		sources = append(sources, CreditSource{Invoice: &pk.src.inv, Done: pk.src.done, Lines: []CreditLine{pk.line}})
	}
	first := &srcs[0].inv
	decimals, ok := cat.MonedaDecimals(first.Moneda)
	if !ok {
		return Invoice{}, domain.E(domain.Invalid, "resolve credit note", "La moneda de la factura "+first.FolioText()+" no existe en el catálogo del SAT.", nil)
	}
	note, err := BuildCredit(kind, r.Serie, sources, decimals)
	if err != nil {
		return Invoice{}, creditProblems(err, func(n int) (string, Line) {
			pk := picks[n]
			return pk.src.name(), pk.src.inv.Lines[pk.line.Line]
		})
	}

	// The header: what the request may change of what BuildCredit chose.
	if rfc := strings.ToUpper(strings.TrimSpace(r.ClienteRFC)); rfc != "" && rfc != note.Customer.RFC {
		p.add("cliente_rfc", fmt.Sprintf("La factura %s es del cliente %s, no de %s.", first.FolioText(), note.Customer.RFC, rfc))
	}
	if name := strings.TrimSpace(r.ClienteNombre); name != "" && !strings.EqualFold(name, note.Customer.Name) {
		p.add("cliente_nombre", fmt.Sprintf("La factura %s es de %s, no de %s.", first.FolioText(), note.Customer.Name, name))
	}
	if m := strings.ToUpper(strings.TrimSpace(r.Moneda)); m != "" && m != note.Moneda {
		p.add("moneda", fmt.Sprintf("La factura %s está en %s: la nota de crédito va en la misma moneda.", first.FolioText(), note.Moneda))
	}
	set := func(dst *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
		}
	}
	set(&note.UsoCFDI, r.UsoCFDI)
	set(&note.FormaPago, r.FormaPago)
	set(&note.CondicionesDePago, r.CondicionesDePago)
	set(&note.OrderRef, r.Referencia)
	set(&note.Notes, r.Notas)
	if r.TipoCambio.IsPositive() {
		note.TipoCambio = r.TipoCambio
	}
	return note, p.err()
}

func findSource(srcs []*creditSource, ref string) *creditSource {
	for _, s := range srcs {
		if strings.EqualFold(s.ref, ref) || strings.EqualFold(s.inv.FolioText(), ref) || (s.inv.UUID != "" && strings.EqualFold(s.inv.UUID, ref)) {
			return s
		}
	}
	return nil
}

func sourceByID(srcs []*creditSource, id int64) *creditSource {
	for _, s := range srcs {
		if s.inv.ID == id {
			return s
		}
	}
	return nil
}

// pickSource returns the invoice a concept's "factura" names among the
// note's, or the only one when it names none. A nil source with no message
// is an invoice that was already refused.
func pickSource(srcs []*creditSource, facturas []string, ref string) (*creditSource, string) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		if len(facturas) > 1 {
			return nil, "Indique en «factura» a cuál de las facturas de la nota corresponde el concepto."
		}
		if len(srcs) == 1 {
			return srcs[0], ""
		}
		return nil, ""
	}
	if s := findSource(srcs, ref); s != nil {
		return s, ""
	}
	for _, f := range facturas {
		if strings.EqualFold(strings.TrimSpace(f), ref) {
			return nil, ""
		}
	}
	return nil, fmt.Sprintf("La factura «%s» no está en «nota_credito.facturas».", ref)
}

// pickLine returns the invoice line (0-based) a concept names by "linea"
// (from 1) or by "producto" (the line's NoIdentificacion), or the field
// and the reason it cannot.
func pickLine(src *creditSource, rl RequestLine) (line int, field, msg string) {
	inv := &src.inv
	code := strings.TrimSpace(rl.Producto)
	switch {
	case rl.Linea != 0:
		if rl.Linea < 1 || rl.Linea > len(inv.Lines) {
			return 0, "linea", fmt.Sprintf("La factura %s tiene %d conceptos: «linea» va de 1 a %d.", src.name(), len(inv.Lines), len(inv.Lines))
		}
		l := inv.Lines[rl.Linea-1]
		if code != "" && !strings.EqualFold(code, l.NoIdentificacion) {
			return 0, "producto", fmt.Sprintf("El concepto %d de la factura %s es «%s», no «%s».", rl.Linea, src.name(), l.NoIdentificacion, code)
		}
		return rl.Linea - 1, "", ""
	case code != "":
		found := -1
		for i, l := range inv.Lines {
			if !strings.EqualFold(code, l.NoIdentificacion) {
				continue
			}
			if found >= 0 {
				return 0, "producto", fmt.Sprintf("La factura %s tiene varios conceptos del producto «%s»: indique cuál con «linea».", src.name(), code)
			}
			found = i
		}
		if found < 0 {
			return 0, "producto", fmt.Sprintf("La factura %s no tiene un concepto del producto «%s».", src.name(), code)
		}
		return found, "", ""
	}
	return 0, "producto", fmt.Sprintf("Indique el concepto de la factura %s que se acredita: su «producto» o su número de «linea».", src.name())
}

// lineField matches BuildCredit's and CheckCredit's field names of a note's
// line: "Lines[n].Field".
var lineField = regexp.MustCompile(`^Lines\[(\d+)\]\.(\w+)$`)

// RestateCredit restates the problems found when credit note note, which
// Resolve built from a request (its line n is concept n), was posted
// (CheckCredit) in the request's words, as Resolve reports them: a line's
// problem under its concept, naming the invoice and the product. folio
// names an invoice of this installation by id (its SERIE-FOLIO). Every
// other problem (a SAT code of the pre-flight checks, a Conflict) is kept
// as it is.
func RestateCredit(err error, note *Invoice, folio func(id int64) string) error {
	if err == nil || note.CreditKind == "" {
		return err
	}
	concept := func(n int) (string, Line) {
		if n >= len(note.Lines) || note.Lines[n].Credits == nil {
			return "", Line{}
		}
		return folio(note.Lines[n].Credits.InvoiceID), note.Lines[n]
	}
	var walk func(error) error
	walk = func(e error) error {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			var out []error
			for _, x := range j.Unwrap() {
				out = append(out, walk(x))
			}
			return errors.Join(out...)
		}
		var fe *FieldError
		if errors.As(e, &fe) && (fe.Field == "Lines" || fe.Field == "Relations" || lineField.MatchString(fe.Field)) {
			return creditProblems(e, concept)
		}
		return e
	}
	return walk(err)
}

// creditProblems restates the problems BuildCredit or CheckCredit found in
// the request's words: each line's problem under its concept
// ("conceptos[n].cantidad"), prefixed with the invoice and the product it
// concerns; any other refusal under "nota_credito". concept gives, for note
// line n, its invoice's name and the invoice line.
func creditProblems(err error, concept func(n int) (invoice string, l Line)) error {
	fields := FieldErrors(err)
	if len(fields) == 0 {
		if domain.KindOf(err) != domain.Invalid && domain.KindOf(err) != domain.Conflict {
			return err
		}
		p := &problems{op: "resolve credit note"}
		p.add("nota_credito", domain.UserMessage(err))
		return p.err()
	}
	p := &problems{op: "resolve credit note"}
	names := map[string]string{"Cantidad": "cantidad", "ValorUnitario": "rebaja", "Line": "producto", "Credits": "producto"}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := lineField.FindStringSubmatch(k)
		switch {
		case k == "Lines":
			p.add("conceptos", fields[k])
			continue
		case k == "Relations":
			p.add("nota_credito.facturas", fields[k])
			continue
		case m == nil:
			p.add(k, fields[k])
			continue
		}
		n, _ := strconv.Atoi(m[1])
		inv, l := concept(n)
		name := names[m[2]]
		if name == "" {
			name = strings.ToLower(m[2])
		}
		msg := fields[k]
		if inv != "" {
			msg = fmt.Sprintf("Factura %s, %s: %s", inv, lineName(l), msg)
		}
		p.add(fmt.Sprintf("conceptos[%d].%s", n, name), msg)
	}
	return p.err()
}

// lineName names an invoice line in a message: its product code, or its
// description.
func lineName(l Line) string {
	if l.NoIdentificacion != "" {
		return "producto «" + l.NoIdentificacion + "»"
	}
	return "concepto «" + l.Descripcion + "»"
}
