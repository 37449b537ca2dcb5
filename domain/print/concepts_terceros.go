package print

import (
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/cfdi"
)

// split returns the positions of the concepts on the issuer's own account
// and of those billed on behalf of third parties (ACuentaTerceros), each
// in document order.
func (d *doc) split() (own, third []int) {
	for i := range d.c.Conceptos {
		if d.c.Conceptos[i].ACuentaTerceros != nil {
			third = append(third, i)
		} else {
			own = append(own, i)
		}
	}
	return own, third
}

// conceptNet is what concept k adds to the document's Total, from its
// amounts as the XML has them: Importe − Descuento + traslados −
// retenciones.
func conceptNet(k *cfdi.Concepto) (decimal.Decimal, error) {
	amt := func(s string) (decimal.Decimal, error) {
		if s == "" {
			return decimal.Zero, nil
		}
		return parseAmount(s)
	}
	net, err := amt(k.Importe)
	if err != nil {
		return net, err
	}
	desc, err := amt(k.Descuento)
	if err != nil {
		return net, err
	}
	net = net.Sub(desc)
	if k.Impuestos != nil {
		for _, tr := range k.Impuestos.Traslados {
			v, err := amt(tr.Importe)
			if err != nil {
				return net, err
			}
			net = net.Add(v)
		}
		for _, rt := range k.Impuestos.Retenciones {
			v, err := amt(rt.Importe)
			if err != nil {
				return net, err
			}
			net = net.Sub(v)
		}
	}
	return net, nil
}

// places is the number of decimals of an XML amount.
func places(s string) int32 {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return int32(len(frac))
	}
	return 0
}

// partTotals returns the document's Total divided between the issuer's own
// concepts and those billed on behalf of third parties ("por cuenta
// ajena"), formatted as the Total is. The third parties' part is the sum of
// their concepts' amounts; the own part is the rest of the Total, so the
// two printed figures always add up to it. ok is false when an amount of
// the XML is not a number.
func (d *doc) partTotals() (own, third string, ok bool) {
	total, err := parseAmount(d.c.Total)
	if err != nil {
		return "", "", false
	}
	sum := decimal.Zero
	_, idx := d.split()
	for _, i := range idx {
		n, err := conceptNet(&d.c.Conceptos[i])
		if err != nil {
			return "", "", false
		}
		sum = sum.Add(n)
	}
	p := places(d.c.Total)
	return total.Sub(sum).StringFixed(p), sum.StringFixed(p), true
}

// thirdParties is the block "Por cuenta de terceros": each third party
// (RFC and name, in order of first appearance) with the total of its
// concepts, and the total "por cuenta ajena". Nothing for a document
// without such concepts.
func (d *doc) thirdParties() []core.Row {
	_, idx := d.split()
	if len(idx) == 0 {
		return nil
	}
	type party struct {
		a   *cfdi.ACuentaTerceros
		sum decimal.Decimal
	}
	var order []string
	parties := map[string]*party{}
	for _, i := range idx {
		k := &d.c.Conceptos[i]
		n, err := conceptNet(k)
		if err != nil {
			return nil
		}
		key := k.ACuentaTerceros.RfcACuentaTerceros + "|" + k.ACuentaTerceros.NombreACuentaTerceros
		p := parties[key]
		if p == nil {
			p = &party{a: k.ACuentaTerceros}
			parties[key] = p
			order = append(order, key)
		}
		p.sum = p.sum.Add(n)
	}
	dp := places(d.c.Total)
	s := newStack(1).add(heading("Por cuenta de terceros", d.accent))
	for _, key := range order {
		p := parties[key]
		s.add(pair(p.a.RfcACuentaTerceros+" — "+p.a.NombreACuentaTerceros, money(p.sum.StringFixed(dp)), sizeBody, fontstyle.Normal)...)
	}
	if _, third, ok := d.partTotals(); ok {
		s.add(pair("Total por cuenta ajena", money(third)+" "+d.c.Moneda, sizeBody, fontstyle.Bold)...)
	}
	s.add(muted("Importes cobrados por cuenta y orden de terceros (dinero no propio), incluidos en el total del comprobante."))
	return []core.Row{
		row.New().Add(
			col.New(58),
			col.New(42).Add(s).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4}),
		),
		spacer(2),
	}
}

// sections are Options.Sections side by side, up to three a row, each
// with only the fields that have a value; none when all are empty.
func (d *doc) sections() []core.Row {
	var blocks []core.Component
	for _, sec := range d.opt.Sections {
		s := newStack(1).add(heading(sec.Title, d.accent))
		n := 0
		for _, f := range sec.Fields {
			if strings.TrimSpace(f.Value) == "" {
				continue
			}
			s.add(labelled(f.Label, f.Value))
			n++
		}
		if n > 0 {
			blocks = append(blocks, s)
		}
	}
	if len(blocks) == 0 {
		return nil
	}
	var rows []core.Row
	for len(blocks) > 0 {
		k := min(3, len(blocks))
		size := gridSize / k
		var cols []core.Col
		for j, b := range blocks[:k] {
			w := size
			if j == k-1 {
				w = gridSize - size*(k-1)
			}
			cols = append(cols, col.New(w).Add(b).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4}))
		}
		rows = append(rows, row.New().Add(cols...), spacer(2))
		blocks = blocks[k:]
	}
	return rows
}
