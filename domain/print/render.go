package print

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	mimage "github.com/johnfercher/maroto/v2/pkg/components/image"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/johnfercher/maroto/v2/pkg/repository"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// Options tunes the printed document.
type Options struct {
	// Logo is the issuer's logo as NormalizeLogo returns it (PNG or JPEG);
	// nil prints none. Normalise logos when they are uploaded: one that is
	// not embeddable fails Render with domain.Invalid.
	Logo []byte
	// AccentColor is "#RRGGBB" for titles and the table header; "" is Folio blue.
	AccentColor string
	// FooterText is printed at the foot of every page (bank details, a
	// thank-you line…), after the SAT legend.
	FooterText string
	// Cancelled marks the document "CANCELADO" (SAT accepted its cancellation).
	Cancelled bool
	// Demo marks every page DemoMark: the document belongs to the demo
	// company (sales.Company.Demo), sealed with SAT's test CSD and stamped
	// by the local PAC, and must never pass for a real invoice.
	Demo bool
	// CreationDate is written in the PDF metadata; zero means now. Tests pin
	// it so that output is reproducible.
	CreationDate time.Time
	// Sections are non-fiscal data of the document printed after the
	// receptor (the sale's details, shipping and document management, as
	// sales.SaleSections gives them); empty ones are left out.
	Sections []Section
}

// Section is a titled block of labelled values printed on a document.
type Section struct {
	Title  string
	Fields []Field
}

// Field is one labelled value of a Section; an empty Value is not printed.
type Field struct{ Label, Value string }

// Legend is the sentence Anexo 20 asks printed CFDI to carry.
const Legend = "Este documento es una representación impresa de un CFDI"

// NotStampedMark is printed on documents that carry no TimbreFiscalDigital.
const NotStampedMark = "SIN VALIDEZ FISCAL — PENDIENTE DE TIMBRAR"

// CancelledMark is printed on documents rendered with Options.Cancelled.
const CancelledMark = "CANCELADO"

// DemoMark is printed across every page of documents rendered with
// Options.Demo.
const DemoMark = "DEMOSTRACIÓN — SIN VALIDEZ FISCAL"

// Page geometry: US Letter, millimetres.
const (
	letterWidth  = 215.9 // pagesize.Letter
	marginX      = 10.0
	marginTop    = 10.0
	marginBottom = 11.0
	gridSize     = 100
)

// RenderXML parses a stored CFDI and renders it; see Render.
func RenderXML(xml []byte, opt Options) ([]byte, error) {
	c, err := cfdi.Parse(xml)
	if err != nil {
		return nil, err
	}
	return Render(c, opt)
}

// Render draws the printed representation of c — Ingreso, Egreso, Pago or
// any other CFDI 4.0 — as a US Letter PDF: issuer, receiver, document data,
// concepts (the header repeats on every page), totals with every tax and the
// amount in words, related CFDI, the Pagos 2.0 detail, the stamp with its
// seals, cadena and the QR of SAT's verification service, the SAT legend and
// "Página X de Y". c should come from cfdi.Parse of the stored XML; values are
// printed as they read there. A document without TimbreFiscalDigital is
// marked NotStampedMark. A bad logo is a domain.Invalid error; any other
// failure is domain.Internal.
func Render(c *cfdi.Comprobante, opt Options) ([]byte, error) {
	const op = "print.Render"
	if c == nil {
		return nil, domain.E(domain.Internal, op, "", fmt.Errorf("nil comprobante"))
	}
	d, err := newDoc(c, opt)
	if err != nil {
		return nil, err
	}
	m, err := d.build()
	if err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el PDF del comprobante.", err)
	}
	out, err := m.Generate()
	if err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo generar el PDF del comprobante.", err)
	}
	return out.GetBytes(), nil
}

// doc is one rendering in progress.
type doc struct {
	c        *cfdi.Comprobante
	opt      Options
	tfd      *cfdi.TimbreFiscalDigital
	accent   *props.Color
	logoExt  extension.Type
	width    float64 // usable page width, mm
	verifURL string  // SAT verification URL, "" when not stamped
	qr       []byte  // its QR code (PNG)
}

func newDoc(c *cfdi.Comprobante, opt Options) (*doc, error) {
	d := &doc{c: c, opt: opt, width: letterWidth - 2*marginX}
	if c.Complemento != nil {
		d.tfd = c.Complemento.TimbreFiscalDigital
	}
	d.accent = parseColor(opt.AccentColor)
	if len(opt.Logo) > 0 {
		ext, ok := embeddable(opt.Logo)
		if !ok {
			return nil, domain.E(domain.Invalid, "print.Render", "El logotipo no es una imagen PNG o JPEG que se pueda imprimir; cárguelo de nuevo en la configuración de la empresa.", errors.New("logo not normalized"))
		}
		d.logoExt = ext
	}
	if d.tfd != nil {
		d.verifURL = cfdi.VerificationURL(c)
		qr, err := qrPNG(d.verifURL)
		if err != nil {
			return nil, domain.E(domain.Internal, "print.Render", "No se pudo generar el código QR del comprobante.", err)
		}
		d.qr = qr
	}
	return d, nil
}

// colWidth is the width in millimetres of a column of size grid units.
func (d *doc) colWidth(size int) float64 { return d.width * float64(size) / gridSize }

// parseColor reads "#RRGGBB"; anything else is Folio's accent blue.
func parseColor(s string) *props.Color {
	def := &props.Color{Red: 23, Green: 78, Blue: 140}
	s = strings.TrimPrefix(s, "#")
	if len(s) != 6 {
		return def
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return def
	}
	return &props.Color{Red: int(v >> 16 & 0xff), Green: int(v >> 8 & 0xff), Blue: int(v & 0xff)}
}

// familyStyles maps each style of the embedded family to its font.
var familyStyles = map[fontstyle.Type][]byte{
	fontstyle.Normal:     assets.FontRegular,
	fontstyle.Bold:       assets.FontBold,
	fontstyle.Italic:     assets.FontItalic,
	fontstyle.BoldItalic: assets.FontBoldItalic,
}

// layoutStyles are the styles of the family that the printed CFDI uses;
// only they are registered in the PDF. Every registered style costs gofpdf a
// fixed 3–5 ms per document, used or not (it JSON-encodes a 65,536-entry
// width table to name the font and compresses a 128 KB CID map), which the
// per-invoice budget cannot spare for styles never drawn. Normal is the
// default font. TestLayoutStyles fails when the layout starts using a style
// missing here; add it and the family in assets has it ready.
var layoutStyles = []fontstyle.Type{fontstyle.Normal, fontstyle.Bold}

// fonts registers the given styles of the embedded family. Each render
// gets its own copy of the font bytes: gofpdf v1.4.3 pads font tables by
// appending to sub-slices of them (utf8fontfile.go, generateChecksum), so
// sharing the embedded bytes makes two renders at once a data race.
func fonts(styles []fontstyle.Type) ([]*entity.CustomFont, error) {
	r := repository.New()
	for _, st := range styles {
		r.AddUTF8FontFromBytes(assets.FontFamily, st, bytes.Clone(familyStyles[st]))
	}
	return r.Load()
}

func (d *doc) build() (core.Maroto, error) {
	ff, err := fonts(layoutStyles)
	if err != nil {
		return nil, err
	}
	created := d.opt.CreationDate
	if created.IsZero() {
		created = time.Now()
	}
	cfg := config.NewBuilder().
		WithPageSize(pagesize.Letter).
		WithLeftMargin(marginX).WithRightMargin(marginX).
		WithTopMargin(marginTop).WithBottomMargin(marginBottom).
		WithMaxGridSize(gridSize).
		WithCustomFonts(ff).
		WithDefaultFont(&props.Font{Family: assets.FontFamily, Style: fontstyle.Normal, Size: sizeBody, Color: colorText}).
		WithPageNumber(props.PageNumber{Pattern: "Página {current} de {total}", Place: props.RightBottom, Size: sizeSmall, Color: colorMuted}).
		WithCreationDate(created).
		WithTitle(d.title(), true).
		WithAuthor(d.c.Emisor.Nombre, true).
		WithCreator("Folio", true).
		Build()
	m := maroto.New(cfg)
	if err := m.RegisterFooter(d.footer()...); err != nil {
		return nil, err
	}
	m.AddRows(d.header()...)
	m.AddRows(d.marks()...)
	m.AddRows(d.parties()...)
	m.AddRows(d.sections()...)
	m.AddRows(d.related()...)
	// The concepts header is registered as the page header only while the
	// concept rows are added, so that maroto repeats it on every page the
	// table runs over, and cleared afterwards. FitlnCurrentPage is not used:
	// it counts a registered header twice on maroto v2.4.0. Concepts billed
	// on behalf of third parties (ACuentaTerceros) get a table of their own
	// after the company's.
	own, third := d.split()
	tables := []struct {
		title string
		idx   []int
	}{{"Conceptos", own}}
	if len(third) > 0 {
		tables = []struct {
			title string
			idx   []int
		}{{"Conceptos a cuenta propia", own}, {"Conceptos por cuenta de terceros", third}}
	}
	for _, tb := range tables {
		if len(tb.idx) == 0 {
			continue
		}
		if err := m.RegisterHeader(d.tableTitle(tb.title), d.conceptsHeader()); err != nil {
			return nil, err
		}
		m.AddRows(d.concepts(tb.idx)...)
		if err := m.RegisterHeader(); err != nil {
			return nil, err
		}
		if len(tables) > 1 {
			m.AddRows(spacer(2))
		}
	}
	m.AddRows(d.totals()...)
	m.AddRows(d.thirdParties()...)
	if err := d.pagos(m); err != nil {
		return nil, err
	}
	m.AddRows(d.stamp()...)
	return m, nil
}

// kindTitles are the printed titles per c_TipoDeComprobante.
var kindTitles = map[string]string{
	"I": "FACTURA",
	"E": "NOTA DE CRÉDITO",
	"P": "COMPLEMENTO DE PAGO",
	"T": "CARTA PORTE / TRASLADO",
	"N": "RECIBO DE NÓMINA",
}

func (d *doc) title() string {
	k, ok := kindTitles[d.c.TipoDeComprobante]
	if !ok {
		k = "CFDI"
	}
	if n := strings.TrimSpace(d.c.Serie + " " + d.c.Folio); n != "" {
		return k + " " + n
	}
	return k
}

// withName is "key — description" when the catalog knows the key.
func withName(key string, names map[string]string) string {
	if key == "" {
		return ""
	}
	if n, ok := names[key]; ok {
		return key + " — " + n
	}
	return key
}

// header: logo, issuer and the document's identity.
func (d *doc) header() []core.Row {
	c := d.c
	issuer := newStack(0.5).
		add(t(c.Emisor.Nombre, 11, fontstyle.Bold, align.Left, colorText)).
		add(labelled("RFC", c.Emisor.Rfc)).
		add(labelled("Régimen fiscal", withName(c.Emisor.RegimenFiscal, regimenNames))).
		add(labelled("Lugar de expedición (C.P.)", c.LugarExpedicion))
	if c.Emisor.FacAtrAdquirente != "" {
		issuer.add(labelled("Facultad atribuida al adquirente", c.Emisor.FacAtrAdquirente))
	}
	ident := newStack(1).
		add(t(d.titleKind(), 12, fontstyle.Bold, align.Right, d.accent))
	if c.Serie != "" || c.Folio != "" {
		ident.add(pair("Serie y folio", strings.TrimSpace(c.Serie+" "+c.Folio), sizeBody, fontstyle.Bold)...)
	}
	ident.add(pair("Fecha de emisión", c.Fecha, sizeBody, fontstyle.Normal)...)
	ident.add(pair("Tipo de comprobante", withName(c.TipoDeComprobante, tipoComprobanteNames), sizeBody, fontstyle.Normal)...)
	if d.tfd != nil {
		ident.add(muted("Folio fiscal (UUID)"))
		ident.add(t(d.tfd.UUID, sizeBody, fontstyle.Bold, align.Right, colorText))
	}
	ident.add(pair("No. de certificado del emisor", c.NoCertificado, sizeSmall, fontstyle.Normal)...)

	var cols []core.Col
	issuerSize := 62
	if len(d.opt.Logo) > 0 {
		cols = append(cols, col.New(14).Add(mimage.NewFromBytes(d.opt.Logo, d.logoExt, props.Rect{Center: true, Percent: 92})))
		issuerSize = 48
	}
	cols = append(cols,
		col.New(issuerSize).Add(issuer),
		col.New(gridSize-issuerSize-len(cols)*14).Add(ident).WithStyle(&props.Cell{BackgroundColor: colorZebra}),
	)
	return []core.Row{row.New().Add(cols...), spacer(2)}
}

func (d *doc) titleKind() string {
	if k, ok := kindTitles[d.c.TipoDeComprobante]; ok {
		return k
	}
	return "CFDI"
}

// spacer is an empty row of h millimetres.
func spacer(h float64) core.Row { return row.New(h).Add(col.New(gridSize)) }

// banner is a full-width alert line (demo, not stamped, cancelled).
func banner(s string) core.Row {
	return row.New().Add(col.New(gridSize).
		Add(text.New(s, props.Text{Size: 11, Style: fontstyle.Bold, Align: align.Center, Color: colorAlert, Top: 1.5, Bottom: 1.5})).
		WithStyle(&props.Cell{BorderType: border.Full, BorderColor: colorAlert, BorderThickness: 0.5}))
}

// marks are the banners under the header.
func (d *doc) marks() []core.Row {
	var rows []core.Row
	if d.opt.Demo {
		rows = append(rows, banner(DemoMark), spacer(1.5))
	}
	if d.opt.Cancelled {
		rows = append(rows, banner(CancelledMark+" — este CFDI fue cancelado ante el SAT"), spacer(1.5))
	}
	if d.tfd == nil {
		rows = append(rows, banner(NotStampedMark), spacer(1.5))
	}
	return rows
}

// parties: receiver and payment data side by side.
func (d *doc) parties() []core.Row {
	c := d.c
	r := c.Receptor
	rec := newStack(1).
		add(heading("Receptor", d.accent)).
		add(bold(r.Nombre)).
		add(labelled("RFC", r.Rfc)).
		add(labelled("Domicilio fiscal (C.P.)", r.DomicilioFiscalReceptor)).
		add(labelled("Régimen fiscal", withName(r.RegimenFiscalReceptor, regimenNames))).
		add(labelled("Uso del CFDI", withName(r.UsoCFDI, usoCFDINames)))
	if r.ResidenciaFiscal != "" {
		rec.add(labelled("Residencia fiscal", r.ResidenciaFiscal))
	}
	if r.NumRegIdTrib != "" {
		rec.add(labelled("Núm. de registro de identidad fiscal", r.NumRegIdTrib))
	}

	data := newStack(1).add(heading("Datos del comprobante", d.accent))
	add := func(label, v string) {
		if v != "" {
			data.add(pair(label, v, sizeBody, fontstyle.Normal)...)
		}
	}
	add("Forma de pago", withName(c.FormaPago, formaPagoNames))
	add("Método de pago", withName(c.MetodoPago, metodoPagoNames))
	add("Moneda", c.Moneda)
	add("Tipo de cambio", c.TipoCambio)
	add("Exportación", withName(c.Exportacion, exportacionNames))
	add("Condiciones de pago", c.CondicionesDePago)
	add("Confirmación", c.Confirmacion)
	add("Versión", c.Version)
	if g := c.InformacionGlobal; g != nil {
		add("Información global", fmt.Sprintf("Periodicidad %s, meses %s, año %s", withName(g.Periodicidad, periodicidadNames), g.Meses, g.Anio))
	}
	return []core.Row{
		row.New().Add(
			col.New(52).Add(rec).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4}),
			col.New(2),
			col.New(46).Add(data).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4}),
		),
		spacer(2),
	}
}

// related: the CfdiRelacionados groups.
func (d *doc) related() []core.Row {
	if len(d.c.CfdiRelacionados) == 0 {
		return nil
	}
	s := newStack(1).add(heading("CFDI relacionados", d.accent))
	for _, g := range d.c.CfdiRelacionados {
		s.add(labelled("Tipo de relación", withName(g.TipoRelacion, tipoRelacionNames)))
		uuids := make([]string, len(g.CfdiRelacionado))
		for i, r := range g.CfdiRelacionado {
			uuids[i] = r.UUID
		}
		s.add(body(strings.Join(uuids, "   ")))
	}
	return []core.Row{row.New().Add(col.New(gridSize).Add(s).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4})), spacer(2)}
}

// Concept table columns (grid of 100).
var conceptCols = [...]tableCol{
	{8, "Clave prod./serv.", align.Left},
	{6, "Cantidad", align.Right},
	{8, "Clave unidad / Unidad", align.Left},
	{29, "Descripción", align.Left},
	{10, "Valor unitario", align.Right},
	{8, "Descuento", align.Right},
	{10, "Importe", align.Right},
	{3, "Obj. imp.", align.Center},
	{18, "Impuestos", align.Left},
}

// tableTitle names a table and the document it belongs to; it repeats with
// the table header, so a continuation page says whose rows it carries.
func (d *doc) tableTitle(name string) core.Row {
	who := d.title()
	if d.tfd != nil {
		who += " · Folio fiscal " + d.tfd.UUID
	}
	return row.New().Add(
		col.New(40).Add(heading(name, d.accent)),
		col.New(60).Add(t(who, sizeTiny, fontstyle.Normal, align.Right, colorMuted)),
	)
}

func (d *doc) conceptsHeader() core.Row {
	cols := make([]core.Col, len(conceptCols))
	for i, cc := range conceptCols {
		cols[i] = col.New(cc.size).Add(text.New(cc.title, props.Text{Size: sizeTiny, Style: fontstyle.Bold, Align: cc.al, Color: colorWhite, Left: 0.8, Right: 0.8, Top: 1, Bottom: 1}))
	}
	return row.New().Add(cols...).WithStyle(&props.Cell{BackgroundColor: d.accent})
}

// cell is the text of a table cell; an empty value gives no component at
// all (nil), which spares maroto measuring and drawing nothing.
func cell(s string, al align.Type) core.Component {
	if s == "" {
		return nil
	}
	return text.New(s, props.Text{Size: sizeSmall, Align: al, Color: colorText, Left: 0.8, Right: 0.8, Top: 0.7, Bottom: 0.3})
}

func subline(s string) core.Component {
	return text.New(s, props.Text{Size: sizeTiny, Color: colorMuted, Left: 0.8, Right: 0.8, Top: 0.2})
}

// concepts are the table rows of the concepts at positions idx.
func (d *doc) concepts(idx []int) []core.Row {
	rows := make([]core.Row, 0, len(idx))
	for i, n := range idx {
		k := &d.c.Conceptos[n]
		clave := newStack(0.25).add(cell(k.ClaveProdServ, conceptCols[0].al))
		if k.NoIdentificacion != "" {
			clave.add(subline(k.NoIdentificacion))
		}
		// maroto breaks lines only at spaces: an unbroken run longer than the
		// column (a serial number, a URL) is cut into pieces that fit.
		desc := newStack(0.25).add(cell(breakable(k.Descripcion, d.colWidth(conceptCols[3].size)-1.6, sizeSmall), align.Left))
		for _, a := range k.InformacionAduanera {
			desc.add(subline("Pedimento: " + a.NumeroPedimento))
		}
		for _, p := range k.CuentaPredial {
			desc.add(subline("Cuenta predial: " + p.Numero))
		}
		if a := k.ACuentaTerceros; a != nil {
			desc.add(subline(fmt.Sprintf("A cuenta de terceros: %s, RFC %s, régimen %s, C.P. %s",
				a.NombreACuentaTerceros, a.RfcACuentaTerceros, withName(a.RegimenFiscalACuentaTerceros, regimenNames), a.DomicilioFiscalACuentaTerceros)))
		}
		for _, p := range k.Parte {
			desc.add(subline(fmt.Sprintf("Parte: %s %s %s %s, %s x %s = %s", p.ClaveProdServ, p.NoIdentificacion, p.Descripcion, p.Unidad,
				p.Cantidad, money(p.ValorUnitario), money(p.Importe))))
		}
		taxes := newStack(0.6)
		if k.Impuestos != nil {
			for _, tr := range k.Impuestos.Traslados {
				taxes.add(subline(taxLine("Tras.", tr.Impuesto, tr.TipoFactor, tr.TasaOCuota)))
				taxes.add(subline(shortBaseLine(tr.Base, tr.Importe)))
			}
			for _, rt := range k.Impuestos.Retenciones {
				taxes.add(subline(taxLine("Ret.", rt.Impuesto, rt.TipoFactor, rt.TasaOCuota)))
				taxes.add(subline(shortBaseLine(rt.Base, rt.Importe)))
			}
		}
		unit := k.ClaveUnidad
		if k.Unidad != "" {
			unit += " " + k.Unidad
		}
		vals := []core.Component{
			clave,
			cell(k.Cantidad, conceptCols[1].al),
			cell(unit, conceptCols[2].al),
			desc,
			cell(money(k.ValorUnitario), conceptCols[4].al),
			cell(money(k.Descuento), conceptCols[5].al),
			cell(money(k.Importe), conceptCols[6].al),
			cell(k.ObjetoImp, conceptCols[7].al),
			taxes,
		}
		rows = append(rows, zebraRow(conceptCols[:], vals, i))
	}
	return append(rows, row.New(0.3).Add(col.New(gridSize).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: colorRule, BorderThickness: 0.3})))
}

// taxLine names a tax: "Traslado 002 IVA Tasa 0.160000".
func taxLine(kind, impuesto, factor, tasa string) string {
	s := kind + " " + impuesto
	if n, ok := impuestoNames[impuesto]; ok {
		s += " " + n
	}
	if factor != "" {
		s += " " + factor
	}
	if tasa != "" {
		s += " " + tasa
	}
	return s
}

func baseLine(base, importe string) string {
	s := "Base " + money(base)
	if importe != "" {
		s += " · Importe " + money(importe)
	}
	return s
}

// shortBaseLine is baseLine for the narrow tax column of the tables.
func shortBaseLine(base, importe string) string {
	s := "Base " + strings.TrimPrefix(money(base), "$")
	if importe != "" {
		s += " Imp. " + strings.TrimPrefix(money(importe), "$")
	}
	return s
}

// totals: amount in words on the left, the sums on the right.
func (d *doc) totals() []core.Row {
	c := d.c
	left := newStack(1).add(heading("Importe con letra", d.accent))
	if total, err := parseAmount(c.Total); err == nil {
		left.add(bold(AmountInWords(total, c.Moneda)))
	} else {
		left.add(bold(c.Total))
	}
	// A payment's Total is 0 (Moneda XXX); what it pays is in its complement,
	// whose MontoTotalPagos is in pesos (Pagos 2.0, Totales).
	if c.Complemento != nil && c.Complemento.Pagos != nil && c.Complemento.Pagos.Totales != nil {
		if paid, err := parseAmount(c.Complemento.Pagos.Totales.MontoTotalPagos); err == nil {
			left.add(heading("Monto total de los pagos con letra", d.accent))
			left.add(bold(AmountInWords(paid, "MXN")))
		}
	}
	left.add(labelled("Moneda", c.Moneda))
	if c.TipoCambio != "" {
		left.add(labelled("Tipo de cambio", c.TipoCambio))
	}

	right := newStack(1)
	right.add(pair("Subtotal", money(c.SubTotal), sizeBody, fontstyle.Normal)...)
	if c.Descuento != "" {
		right.add(pair("Descuento", money(c.Descuento), sizeBody, fontstyle.Normal)...)
	}
	if im := c.Impuestos; im != nil {
		for _, tr := range im.Traslados {
			label := taxLine("Traslado", tr.Impuesto, tr.TipoFactor, tr.TasaOCuota) + ", base " + money(tr.Base)
			v := money(tr.Importe)
			if v == "" {
				v = "—"
			}
			right.add(pair(label, v, sizeSmall, fontstyle.Normal)...)
		}
		for _, rt := range im.Retenciones {
			right.add(pair(taxLine("Retención", rt.Impuesto, rt.TipoFactor, rt.TasaOCuota), money(rt.Importe), sizeSmall, fontstyle.Normal)...)
		}
		if im.TotalImpuestosTrasladados != "" {
			right.add(pair("Total impuestos trasladados", money(im.TotalImpuestosTrasladados), sizeBody, fontstyle.Normal)...)
		}
		if im.TotalImpuestosRetenidos != "" {
			right.add(pair("Total impuestos retenidos", money(im.TotalImpuestosRetenidos), sizeBody, fontstyle.Normal)...)
		}
	}
	right.add(pair("Total", money(c.Total)+" "+c.Moneda, 9, fontstyle.Bold)...)
	if _, third := d.split(); len(third) > 0 {
		ownTotal, thirdTotal, ok := d.partTotals()
		if ok {
			right.add(pair("Total por cuenta propia", money(ownTotal), sizeBody, fontstyle.Normal)...)
			right.add(pair("Total por cuenta ajena (terceros)", money(thirdTotal), sizeBody, fontstyle.Bold)...)
		}
	}
	return []core.Row{
		row.New().Add(
			col.New(52).Add(left),
			col.New(6),
			col.New(42).Add(right).WithStyle(&props.Cell{BackgroundColor: colorZebra}),
		),
		spacer(2),
	}
}

// stamp: the seals, the TFD and the QR.
func (d *doc) stamp() []core.Row {
	textWidth := d.width*0.82 - 2*padX
	seal := func(label string) core.Component { return t(label, sizeSmall, fontstyle.Bold, align.Left, colorMuted) }
	long := func(v string) core.Component {
		return text.New(breakable(v, textWidth, sizeTiny), props.Text{Size: sizeTiny, Color: colorText, Left: padX, Right: padX})
	}
	s := newStack(1).add(heading("Timbre fiscal digital", d.accent))
	if d.tfd == nil {
		s.add(t(NotStampedMark, 9, fontstyle.Bold, align.Left, colorAlert))
		s.add(body("Este comprobante aún no ha sido timbrado por un PAC; no es un CFDI válido hasta que lo sea."))
		if d.c.Sello != "" {
			s.add(seal("Sello digital del CFDI"))
			s.add(long(d.c.Sello))
		}
		return []core.Row{row.New().Add(col.New(gridSize).Add(s).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4}))}
	}
	tf := d.tfd
	s.add(pair("Folio fiscal (UUID)", tf.UUID, sizeSmall, fontstyle.Bold)...)
	s.add(pair("Fecha y hora de certificación", tf.FechaTimbrado, sizeSmall, fontstyle.Normal)...)
	s.add(pair("No. de certificado del emisor", d.c.NoCertificado, sizeSmall, fontstyle.Normal)...)
	s.add(pair("No. de certificado del SAT", tf.NoCertificadoSAT, sizeSmall, fontstyle.Normal)...)
	s.add(pair("RFC del proveedor de certificación", tf.RfcProvCertif, sizeSmall, fontstyle.Normal)...)
	if tf.Leyenda != "" {
		s.add(labelled("Leyenda", tf.Leyenda))
	}
	s.add(seal("Sello digital del CFDI"))
	s.add(long(d.c.Sello))
	s.add(seal("Sello digital del SAT"))
	s.add(long(tf.SelloSAT))
	s.add(seal("Cadena original del complemento de certificación digital del SAT"))
	s.add(long(cfdi.TFDCadena(tf)))

	qr := newStack(1).add(mimage.NewFromBytes(d.qr, extension.Png, props.Rect{Percent: 88, Center: true}))
	return []core.Row{row.New().Add(
		col.New(18).Add(qr),
		col.New(82).Add(s),
	).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: d.accent, BorderThickness: 0.4})}
}

// footer: the demo mark, the SAT legend, the marks and the user's text, on
// every page.
func (d *doc) footer() []core.Row {
	s := newStack(0.8)
	first := Legend
	if d.tfd == nil {
		first += " · " + NotStampedMark
	}
	if d.opt.Cancelled {
		first += " · " + CancelledMark
	}
	if d.opt.Demo {
		s.add(t(DemoMark, sizeBody, fontstyle.Bold, align.Center, colorAlert))
	}
	s.add(t(first, sizeSmall, fontstyle.Bold, align.Center, colorMuted))
	if d.opt.FooterText != "" {
		s.add(t(d.opt.FooterText, sizeSmall, fontstyle.Normal, align.Center, colorMuted))
	}
	return []core.Row{row.New().Add(col.New(gridSize).Add(s).WithStyle(&props.Cell{BorderType: border.Top, BorderColor: colorRule, BorderThickness: 0.3}))}
}
