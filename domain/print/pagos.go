package print

import (
	"fmt"
	"strings"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"github.com/folio-mx/folio/domain/cfdi"
)

// Columns of the paid-documents table (grid of 100).
var doctoCols = [...]tableCol{
	{27, "Documento relacionado (UUID)", align.Left},
	{9, "Serie y folio", align.Left},
	{7, "Moneda / equiv.", align.Left},
	{6, "Parcialidad", align.Right},
	{11, "Saldo anterior", align.Right},
	{11, "Importe pagado", align.Right},
	{11, "Saldo insoluto", align.Right},
	{4, "Obj. imp.", align.Center},
	{14, "Impuestos", align.Left},
}

// pagos adds the Pagos 2.0 detail: totals, each payment and the documents
// it pays (their table header repeats on every page, as the concepts').
func (d *doc) pagos(m core.Maroto) error {
	if d.c.Complemento == nil || d.c.Complemento.Pagos == nil {
		return nil
	}
	pg := d.c.Complemento.Pagos
	head := newStack(1).add(heading("Complemento para recepción de pagos "+pg.Version, d.accent))
	if tt := pg.Totales; tt != nil {
		add := func(label, v string) {
			if v != "" {
				head.add(pair(label, money(v), sizeSmall, fontstyle.Normal)...)
			}
		}
		add("Monto total de los pagos", tt.MontoTotalPagos)
		add("Total retenciones IVA", tt.TotalRetencionesIVA)
		add("Total retenciones ISR", tt.TotalRetencionesISR)
		add("Total retenciones IEPS", tt.TotalRetencionesIEPS)
		add("Total traslados base IVA 16%", tt.TotalTrasladosBaseIVA16)
		add("Total traslados impuesto IVA 16%", tt.TotalTrasladosImpuestoIVA16)
		add("Total traslados base IVA 8%", tt.TotalTrasladosBaseIVA8)
		add("Total traslados impuesto IVA 8%", tt.TotalTrasladosImpuestoIVA8)
		add("Total traslados base IVA 0%", tt.TotalTrasladosBaseIVA0)
		add("Total traslados impuesto IVA 0%", tt.TotalTrasladosImpuestoIVA0)
		add("Total traslados base IVA exento", tt.TotalTrasladosBaseIVAExento)
	}
	m.AddRows(row.New().Add(col.New(gridSize).Add(head)).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4}))

	for i, p := range pg.Pago {
		s := newStack(1).add(bold(fmt.Sprintf("Pago %d de %d", i+1, len(pg.Pago))))
		add := func(label, v string) {
			if v != "" {
				s.add(labelled(label, v))
			}
		}
		add("Fecha de pago", p.FechaPago)
		add("Forma de pago", withName(p.FormaDePagoP, formaPagoNames))
		add("Moneda", p.MonedaP)
		add("Tipo de cambio", p.TipoCambioP)
		add("Monto", money(p.Monto))
		add("Número de operación", p.NumOperacion)
		add("RFC del banco ordenante", p.RfcEmisorCtaOrd)
		add("Banco ordenante extranjero", p.NomBancoOrdExt)
		add("Cuenta ordenante", p.CtaOrdenante)
		add("RFC del banco beneficiario", p.RfcEmisorCtaBen)
		add("Cuenta beneficiaria", p.CtaBeneficiario)
		add("Tipo de cadena de pago", p.TipoCadPago)
		if p.CertPago != "" {
			add("Certificado del pago", breakable(p.CertPago, d.width*0.48, sizeBody))
		}
		add("Cadena del pago", p.CadPago)
		if p.SelloPago != "" {
			add("Sello del pago", breakable(p.SelloPago, d.width*0.48, sizeBody))
		}
		taxes := newStack(1).add(heading("Impuestos del pago", d.accent))
		if ip := p.ImpuestosP; ip != nil {
			for _, tr := range ip.TrasladosP {
				taxes.add(body(taxLine("Traslado", tr.ImpuestoP, tr.TipoFactorP, tr.TasaOCuotaP)))
				taxes.add(body(baseLine(tr.BaseP, tr.ImporteP)))
			}
			for _, rt := range ip.RetencionesP {
				taxes.add(body(taxLine("Retención", rt.ImpuestoP, "", "") + " · Importe " + money(rt.ImporteP)))
			}
		}
		m.AddRows(spacer(1), row.New().Add(col.New(50).Add(s), col.New(50).Add(taxes)))

		if len(p.DoctoRelacionado) == 0 {
			continue
		}
		if err := m.RegisterHeader(d.tableTitle(fmt.Sprintf("Documentos pagados (pago %d)", i+1)), d.doctoHeader()); err != nil {
			return err
		}
		for j, dr := range p.DoctoRelacionado {
			m.AddRows(d.doctoRow(j, dr))
		}
		if err := m.RegisterHeader(); err != nil {
			return err
		}
	}
	m.AddRows(spacer(2))
	return nil
}

func (d *doc) doctoHeader() core.Row {
	cols := make([]core.Col, len(doctoCols))
	for i, dc := range doctoCols {
		cols[i] = col.New(dc.size).Add(text.New(dc.title, props.Text{Size: sizeTiny, Style: fontstyle.Bold, Align: dc.al, Color: colorWhite, Left: 0.8, Right: 0.8, Top: 1, Bottom: 1}))
	}
	return row.New().Add(cols...).WithStyle(&props.Cell{BackgroundColor: d.accent})
}

func (d *doc) doctoRow(i int, dr cfdi.DoctoRelacionado) core.Row {
	taxes := newStack(0.6)
	if im := dr.ImpuestosDR; im != nil {
		for _, tr := range im.TrasladosDR {
			taxes.add(subline(taxLine("Tras.", tr.ImpuestoDR, tr.TipoFactorDR, tr.TasaOCuotaDR)))
			taxes.add(subline(shortBaseLine(tr.BaseDR, tr.ImporteDR)))
		}
		for _, rt := range im.RetencionesDR {
			taxes.add(subline(taxLine("Ret.", rt.ImpuestoDR, rt.TipoFactorDR, rt.TasaOCuotaDR)))
			taxes.add(subline(shortBaseLine(rt.BaseDR, rt.ImporteDR)))
		}
	}
	cur := dr.MonedaDR
	if dr.EquivalenciaDR != "" {
		cur += " " + dr.EquivalenciaDR
	}
	vals := []core.Component{
		cell(dr.IdDocumento, doctoCols[0].al),
		cell(strings.TrimSpace(dr.Serie+" "+dr.Folio), doctoCols[1].al),
		cell(cur, doctoCols[2].al),
		cell(dr.NumParcialidad, doctoCols[3].al),
		cell(money(dr.ImpSaldoAnt), doctoCols[4].al),
		cell(money(dr.ImpPagado), doctoCols[5].al),
		cell(money(dr.ImpSaldoInsoluto), doctoCols[6].al),
		cell(dr.ObjetoImpDR, doctoCols[7].al),
		taxes,
	}
	return zebraRow(doctoCols[:], vals, i)
}
