package print

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/internal/testpack"
)

// pdfOut, when set, receives the PDFs of the generated documents (for the
// page images in docs/screenshots: pdftoppm -png -r 60).
var pdfOut = flag.String("pdf-out", "", "folder to write the generated test PDFs to")

func savePDF(t *testing.T, name string, pdf []byte) {
	t.Helper()
	if *pdfOut == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(*pdfOut, name), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pinned makes output reproducible.
var pinned = Options{CreationDate: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}

// pdfPages returns the text of each page (pdftotext -raw keeps the order in
// which text was drawn, so a wrapped value stays contiguous).
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	testpack.RequireTools(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// squash removes whitespace and thousands separators so that wrapped
// values and "$1,234.56" compare with the XML text "1234.56".
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\r', '\t', '\f', ',':
			return -1
		}
		return r
	}, s)
}

// printedValues lists every value of c that the printed document must show
// exactly as the XML holds it.
func printedValues(c *cfdi.Comprobante) map[string]string {
	v := map[string]string{}
	put := func(name, val string) {
		if val != "" {
			v[name] = val
		}
	}
	put("Serie", c.Serie)
	put("Folio", c.Folio)
	put("Fecha", c.Fecha)
	put("TipoDeComprobante", c.TipoDeComprobante)
	put("FormaPago", c.FormaPago)
	put("MetodoPago", c.MetodoPago)
	put("Moneda", c.Moneda)
	put("TipoCambio", c.TipoCambio)
	put("Exportacion", c.Exportacion)
	put("CondicionesDePago", c.CondicionesDePago)
	put("LugarExpedicion", c.LugarExpedicion)
	put("NoCertificado", c.NoCertificado)
	put("SubTotal", c.SubTotal)
	put("Descuento", c.Descuento)
	put("Total", c.Total)
	put("Sello", c.Sello)
	put("Emisor.Rfc", c.Emisor.Rfc)
	put("Emisor.Nombre", c.Emisor.Nombre)
	put("Emisor.RegimenFiscal", c.Emisor.RegimenFiscal)
	r := c.Receptor
	put("Receptor.Rfc", r.Rfc)
	put("Receptor.Nombre", r.Nombre)
	put("Receptor.DomicilioFiscalReceptor", r.DomicilioFiscalReceptor)
	put("Receptor.RegimenFiscalReceptor", r.RegimenFiscalReceptor)
	put("Receptor.UsoCFDI", r.UsoCFDI)
	put("Receptor.ResidenciaFiscal", r.ResidenciaFiscal)
	put("Receptor.NumRegIdTrib", r.NumRegIdTrib)
	if g := c.InformacionGlobal; g != nil {
		put("InformacionGlobal.Periodicidad", g.Periodicidad)
		put("InformacionGlobal.Meses", g.Meses)
		put("InformacionGlobal.Anio", g.Anio)
	}
	for i, g := range c.CfdiRelacionados {
		put(fmt.Sprintf("CfdiRelacionados[%d].TipoRelacion", i), g.TipoRelacion)
		for j, u := range g.CfdiRelacionado {
			put(fmt.Sprintf("CfdiRelacionados[%d][%d].UUID", i, j), u.UUID)
		}
	}
	tax := func(p, base, imp, factor, tasa, importe string) {
		put(p+".Base", base)
		put(p+".Impuesto", imp)
		put(p+".TipoFactor", factor)
		put(p+".TasaOCuota", tasa)
		put(p+".Importe", importe)
	}
	for i, k := range c.Conceptos {
		p := fmt.Sprintf("Concepto[%d]", i)
		put(p+".ClaveProdServ", k.ClaveProdServ)
		put(p+".NoIdentificacion", k.NoIdentificacion)
		put(p+".Cantidad", k.Cantidad)
		put(p+".ClaveUnidad", k.ClaveUnidad)
		put(p+".Unidad", k.Unidad)
		put(p+".Descripcion", k.Descripcion)
		put(p+".ValorUnitario", k.ValorUnitario)
		put(p+".Importe", k.Importe)
		put(p+".Descuento", k.Descuento)
		put(p+".ObjetoImp", k.ObjetoImp)
		if k.Impuestos != nil {
			for j, tr := range k.Impuestos.Traslados {
				tax(fmt.Sprintf("%s.Traslado[%d]", p, j), tr.Base, tr.Impuesto, tr.TipoFactor, tr.TasaOCuota, tr.Importe)
			}
			for j, rt := range k.Impuestos.Retenciones {
				tax(fmt.Sprintf("%s.Retencion[%d]", p, j), rt.Base, rt.Impuesto, rt.TipoFactor, rt.TasaOCuota, rt.Importe)
			}
		}
		if a := k.ACuentaTerceros; a != nil {
			put(p+".RfcACuentaTerceros", a.RfcACuentaTerceros)
			put(p+".NombreACuentaTerceros", a.NombreACuentaTerceros)
			put(p+".RegimenFiscalACuentaTerceros", a.RegimenFiscalACuentaTerceros)
			put(p+".DomicilioFiscalACuentaTerceros", a.DomicilioFiscalACuentaTerceros)
		}
		for j, a := range k.InformacionAduanera {
			put(fmt.Sprintf("%s.Pedimento[%d]", p, j), a.NumeroPedimento)
		}
		for j, cp := range k.CuentaPredial {
			put(fmt.Sprintf("%s.CuentaPredial[%d]", p, j), cp.Numero)
		}
		for j, pt := range k.Parte {
			q := fmt.Sprintf("%s.Parte[%d]", p, j)
			put(q+".ClaveProdServ", pt.ClaveProdServ)
			put(q+".Cantidad", pt.Cantidad)
			put(q+".Descripcion", pt.Descripcion)
			put(q+".Importe", pt.Importe)
		}
	}
	if im := c.Impuestos; im != nil {
		put("Impuestos.TotalImpuestosTrasladados", im.TotalImpuestosTrasladados)
		put("Impuestos.TotalImpuestosRetenidos", im.TotalImpuestosRetenidos)
		for j, tr := range im.Traslados {
			tax(fmt.Sprintf("Impuestos.Traslado[%d]", j), tr.Base, tr.Impuesto, tr.TipoFactor, tr.TasaOCuota, tr.Importe)
		}
		for j, rt := range im.Retenciones {
			tax(fmt.Sprintf("Impuestos.Retencion[%d]", j), "", rt.Impuesto, "", "", rt.Importe)
		}
	}
	if c.Complemento != nil {
		if tf := c.Complemento.TimbreFiscalDigital; tf != nil {
			put("TFD.UUID", tf.UUID)
			put("TFD.FechaTimbrado", tf.FechaTimbrado)
			put("TFD.RfcProvCertif", tf.RfcProvCertif)
			put("TFD.NoCertificadoSAT", tf.NoCertificadoSAT)
			put("TFD.SelloSAT", tf.SelloSAT)
			put("TFD.SelloCFD", tf.SelloCFD)
			put("TFD.Leyenda", tf.Leyenda)
			put("TFD.Cadena", cfdi.TFDCadena(tf))
		}
		if pg := c.Complemento.Pagos; pg != nil {
			if tt := pg.Totales; tt != nil {
				put("Pagos.MontoTotalPagos", tt.MontoTotalPagos)
				if paid, err := decimal.NewFromString(tt.MontoTotalPagos); err == nil {
					v["Pagos.MontoTotalPagos in words"] = AmountInWords(paid, "MXN")
				}
				put("Pagos.TotalTrasladosBaseIVA16", tt.TotalTrasladosBaseIVA16)
				put("Pagos.TotalTrasladosImpuestoIVA16", tt.TotalTrasladosImpuestoIVA16)
				put("Pagos.TotalRetencionesIVA", tt.TotalRetencionesIVA)
				put("Pagos.TotalRetencionesISR", tt.TotalRetencionesISR)
			}
			for i, p := range pg.Pago {
				q := fmt.Sprintf("Pago[%d]", i)
				put(q+".FechaPago", p.FechaPago)
				put(q+".FormaDePagoP", p.FormaDePagoP)
				put(q+".MonedaP", p.MonedaP)
				put(q+".TipoCambioP", p.TipoCambioP)
				put(q+".Monto", p.Monto)
				put(q+".NumOperacion", p.NumOperacion)
				for j, dr := range p.DoctoRelacionado {
					d := fmt.Sprintf("%s.Docto[%d]", q, j)
					put(d+".IdDocumento", dr.IdDocumento)
					put(d+".Serie", dr.Serie)
					put(d+".Folio", dr.Folio)
					put(d+".MonedaDR", dr.MonedaDR)
					put(d+".EquivalenciaDR", dr.EquivalenciaDR)
					put(d+".NumParcialidad", dr.NumParcialidad)
					put(d+".ImpSaldoAnt", dr.ImpSaldoAnt)
					put(d+".ImpPagado", dr.ImpPagado)
					put(d+".ImpSaldoInsoluto", dr.ImpSaldoInsoluto)
					put(d+".ObjetoImpDR", dr.ObjetoImpDR)
					if im := dr.ImpuestosDR; im != nil {
						for k, tr := range im.TrasladosDR {
							tax(fmt.Sprintf("%s.TrasladoDR[%d]", d, k), tr.BaseDR, tr.ImpuestoDR, tr.TipoFactorDR, tr.TasaOCuotaDR, tr.ImporteDR)
						}
						for k, rt := range im.RetencionesDR {
							tax(fmt.Sprintf("%s.RetencionDR[%d]", d, k), rt.BaseDR, rt.ImpuestoDR, rt.TipoFactorDR, rt.TasaOCuotaDR, rt.ImporteDR)
						}
					}
				}
				if ip := p.ImpuestosP; ip != nil {
					for k, tr := range ip.TrasladosP {
						tax(fmt.Sprintf("%s.TrasladoP[%d]", q, k), tr.BaseP, tr.ImpuestoP, tr.TipoFactorP, tr.TasaOCuotaP, tr.ImporteP)
					}
					for k, rt := range ip.RetencionesP {
						tax(fmt.Sprintf("%s.RetencionP[%d]", q, k), "", rt.ImpuestoP, "", "", rt.ImporteP)
					}
				}
			}
		}
	}
	if total, err := decimal.NewFromString(c.Total); err == nil {
		v["AmountInWords"] = AmountInWords(total, c.Moneda)
	}
	v["Legend"] = Legend
	return v
}

// checkValues fails for every value of c missing from the printed text.
func checkValues(t *testing.T, c *cfdi.Comprobante, text string) {
	t.Helper()
	flat := squash(text)
	for name, want := range printedValues(c) {
		if !strings.Contains(flat, squash(want)) {
			t.Errorf("printed text lacks %s = %q", name, want)
		}
	}
}

func TestRenderSamples(t *testing.T) {
	for _, file := range testpack.Samples(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".xml")
		t.Run(name, func(t *testing.T) {
			xml, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := cfdi.Parse(xml)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			pdf, err := RenderXML(xml, pinned)
			if err != nil {
				t.Fatalf("RenderXML: %v", err)
			}
			savePDF(t, name+".pdf", pdf)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("output does not start with %%PDF-")
			}
			pages := pdfPages(t, pdf)
			text := strings.Join(pages, "\n")
			checkValues(t, c, text)
			for i := range pages {
				if want := fmt.Sprintf("Página %d de %d", i+1, len(pages)); !strings.Contains(pages[i], want) {
					t.Errorf("page %d lacks %q", i+1, want)
				}
			}
			stamped := c.Complemento != nil && c.Complemento.TimbreFiscalDigital != nil
			if got := strings.Contains(text, NotStampedMark); got == stamped {
				t.Errorf("not-stamped mark printed = %v, document stamped = %v", got, stamped)
			}
			if stamped {
				// The TFD cadena printed is the one SAT's XSLT gives.
				golden := testpack.Read(t, "samples", "cadenas", name+".tfd.txt")
				if !strings.Contains(squash(text), squash(string(golden))) {
					t.Errorf("printed cadena del TFD differs from %s.tfd.txt", name)
				}
			}
		})
	}
}

// generated builds an Ingreso with n concepts (IVA 16 %), every seventh with
// a long description, stamped with a made-up TFD when stamped is true.
func generated(n int, stamped bool) *cfdi.Comprobante {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	b64 := func(size int) string {
		buf := make([]byte, size)
		for i := range buf {
			buf[i] = byte(rng.UintN(256))
		}
		return base64.StdEncoding.EncodeToString(buf)
	}
	c := &cfdi.Comprobante{
		Version: "4.0", Serie: "F", Folio: "1024", Fecha: "2026-03-14T10:20:30", FormaPago: "03",
		NoCertificado: "30001000000500003416", Moneda: "MXN", TipoDeComprobante: "I", Exportacion: "01",
		MetodoPago: "PUE", LugarExpedicion: "06300", CondicionesDePago: "Contado, 30 días",
		Emisor:   cfdi.Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: cfdi.Receptor{Rfc: "MASO451221PM4", Nombre: "MARÍA OLIVIA MARTÍNEZ SAGAZ", DomicilioFiscalReceptor: "80290", RegimenFiscalReceptor: "612", UsoCFDI: "G03"},
	}
	sub, iva := decimal.Zero, decimal.Zero
	rate := decimal.RequireFromString("0.16")
	for i := range n {
		qty := decimal.NewFromInt(int64(1 + i%9))
		price := decimal.New(int64(1000+rng.IntN(900000)), -2)
		imp := qty.Mul(price).Round(2)
		tax := imp.Mul(rate).Round(2)
		sub, iva = sub.Add(imp), iva.Add(tax)
		desc := fmt.Sprintf("Artículo %04d: tornillo hexagonal de acero inoxidable, caja con 100 piezas", i+1)
		if i%11 == 5 {
			// an unbroken run wider than the column must not be cut
			desc += " serie " + strings.Repeat("X9", 60)
		}
		if i%7 == 3 {
			desc += " — pedido especial con acabado pavonado, cuerda fina métrica y tuerca de seguridad de nailon; entrega en almacén del cliente en Querétaro, Qro., año de fabricación 2026"
		}
		c.Conceptos = append(c.Conceptos, cfdi.Concepto{
			ClaveProdServ: "31161500", NoIdentificacion: fmt.Sprintf("TOR-%04d", i+1), Cantidad: qty.String(),
			ClaveUnidad: "H87", Unidad: "Pieza", Descripcion: desc, ValorUnitario: price.StringFixed(2),
			Importe: imp.StringFixed(2), ObjetoImp: "02",
			Impuestos: &cfdi.ImpuestosConcepto{Traslados: []cfdi.Traslado{{Base: imp.StringFixed(2), Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: tax.StringFixed(2)}}},
		})
	}
	c.SubTotal = sub.StringFixed(2)
	c.Total = sub.Add(iva).StringFixed(2)
	c.Impuestos = &cfdi.Impuestos{TotalImpuestosTrasladados: iva.StringFixed(2),
		Traslados: []cfdi.Traslado{{Base: sub.StringFixed(2), Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: iva.StringFixed(2)}}}
	c.Sello = b64(256)
	if stamped {
		c.Complemento = &cfdi.Complemento{TimbreFiscalDigital: &cfdi.TimbreFiscalDigital{
			Version: "1.1", UUID: "9FB6ED1A-5F37-4FEF-980A-7F8C83B51894", FechaTimbrado: "2026-03-14T10:21:02",
			RfcProvCertif: "SPR190613I52", SelloCFD: c.Sello, NoCertificadoSAT: "30001000000500003456", SelloSAT: b64(256),
		}}
	}
	return c
}

// testLogo draws a small company logo: a blue disc with a white ring.
func testLogo(t *testing.T) []byte {
	t.Helper()
	const n = 160
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			dx, dy := x-n/2, y-n/2
			switch d := dx*dx + dy*dy; {
			case d < 30*30:
				img.Set(x, y, color.NRGBA{23, 78, 140, 255})
			case d < 42*42:
				img.Set(x, y, color.NRGBA{255, 255, 255, 255})
			case d < 70*70:
				img.Set(x, y, color.NRGBA{23, 78, 140, 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	logo, err := NormalizeLogo(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return logo
}

func TestRenderGeneratedOnePage(t *testing.T) {
	c := generated(15, true)
	opt := pinned
	opt.Logo = testLogo(t)
	opt.FooterText = "Banco del Bajío · CLABE 030180900012345678 · ventas@kemper.example"
	pdf, err := Render(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	savePDF(t, "one-page.pdf", pdf)
	pages := pdfPages(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("15 concepts take %d pages, want 1", len(pages))
	}
	checkValues(t, c, pages[0])
	if !strings.Contains(pages[0], "Página 1 de 1") {
		t.Error("no page number")
	}
	if strings.Contains(pages[0], NotStampedMark) || strings.Contains(pages[0], CancelledMark) {
		t.Error("a stamped, valid document carries a mark")
	}
}

func TestRenderMultiPage(t *testing.T) {
	for _, n := range []int{60, 300} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := generated(n, true)
			pdf, err := Render(c, pinned)
			if err != nil {
				t.Fatal(err)
			}
			savePDF(t, fmt.Sprintf("multi-page-%d.pdf", n), pdf)
			pages := pdfPages(t, pdf)
			if len(pages) < 2 {
				t.Fatalf("%d concepts fit in %d page", n, len(pages))
			}
			checkValues(t, c, strings.Join(pages, "\n"))
			seen := 0 // concepts found so far, in order
			for i, p := range pages {
				if want := fmt.Sprintf("Página %d de %d", i+1, len(pages)); !strings.Contains(p, want) {
					t.Errorf("page %d lacks %q", i+1, want)
				}
				if !strings.Contains(p, Legend) {
					t.Errorf("page %d lacks the legend", i+1)
				}
				onPage := 0
				for seen < n && strings.Contains(squash(p), squash(c.Conceptos[seen].Descripcion)) {
					seen++
					onPage++
				}
				// Every page that holds concepts starts them under the table header.
				if onPage > 0 {
					h := strings.Index(p, "Descripción")
					first := strings.Index(p, fmt.Sprintf("Artículo %04d", seen-onPage+1))
					if h < 0 || h > first {
						t.Errorf("page %d: concepts without the table header above them", i+1)
					}
				}
			}
			if seen != n {
				t.Errorf("found %d of %d concepts in page order", seen, n)
			}
			if !strings.Contains(pages[len(pages)-1], "Cadena original del complemento") {
				t.Error("stamp block not on the last page")
			}
		})
	}
}

func TestRenderMarks(t *testing.T) {
	tests := []struct {
		name          string
		stamped       bool
		cancelled     bool
		wantNoStamp   bool
		wantCancelled bool
	}{
		{"stamped", true, false, false, false},
		{"not stamped", false, false, true, false},
		{"cancelled", true, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := pinned
			opt.Cancelled = tt.cancelled
			opt.FooterText = "Gracias por su compra — Banco Ñ, CLABE 012180001234567891"
			pdf, err := Render(generated(3, tt.stamped), opt)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(pdfPages(t, pdf), "\n")
			if got := strings.Contains(text, NotStampedMark); got != tt.wantNoStamp {
				t.Errorf("%q printed = %v, want %v", NotStampedMark, got, tt.wantNoStamp)
			}
			if got := strings.Contains(text, CancelledMark); got != tt.wantCancelled {
				t.Errorf("%q printed = %v, want %v", CancelledMark, got, tt.wantCancelled)
			}
			if !strings.Contains(text, opt.FooterText) {
				t.Error("footer text missing")
			}
		})
	}
}

// TestRenderQRDecodes extracts the QR image embedded in the PDF and decodes
// it: it must read the exact SAT verification URL of the document.
func TestRenderQRDecodes(t *testing.T) {
	testpack.RequireTools(t, "pdfimages")
	xml := testpack.Read(t, "samples", "01-ingreso-iva16-timbrado.xml")
	c, err := cfdi.Parse(xml)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := Render(c, pinned)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdfimages", "-png", f, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v\n%s", err, out)
	}
	imgs, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if len(imgs) != 1 {
		t.Fatalf("PDF holds %d images, want 1 (the QR)", len(imgs))
	}
	raw, err := os.ReadFile(imgs[0])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// A quiet zone around the code helps the detector.
	b := img.Bounds()
	framed := image.NewGray(image.Rect(0, 0, b.Dx()+80, b.Dy()+80))
	for i := range framed.Pix {
		framed.Pix[i] = 0xff
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			framed.Set(x-b.Min.X+40, y-b.Min.Y+40, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(framed)
	if err != nil {
		t.Fatal(err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		t.Fatalf("QR does not decode: %v", err)
	}
	want := cfdi.VerificationURL(c)
	if res.GetText() != want {
		t.Errorf("QR = %q, want %q", res.GetText(), want)
	}
	if !strings.HasPrefix(want, "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=6F35D3B5-3651-5370-BC2C-14CDBE384CD7&") {
		t.Errorf("unexpected verification URL %q", want)
	}
}

func TestRenderLogo(t *testing.T) {
	// A 16-bit PNG, which the PDF writer cannot embed as it is.
	img := image.NewRGBA64(image.Rect(0, 0, 120, 60))
	for y := range 60 {
		for x := range 120 {
			img.Set(x, y, color.RGBA64{R: uint16(x * 500), G: 0x2000, B: uint16(y * 1000), A: 0xffff})
		}
	}
	var raw bytes.Buffer
	if err := png.Encode(&raw, img); err != nil {
		t.Fatal(err)
	}
	c := generated(2, true)

	opt := pinned
	opt.Logo = raw.Bytes()
	if _, err := Render(c, opt); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("Render with a 16-bit PNG: err = %v, want invalid", err)
	}
	logo, err := NormalizeLogo(raw.Bytes())
	if err != nil {
		t.Fatalf("NormalizeLogo: %v", err)
	}
	opt.Logo = logo
	pdf, err := Render(c, opt)
	if err != nil {
		t.Fatalf("Render with normalized logo: %v", err)
	}
	text := strings.Join(pdfPages(t, pdf), "\n")
	if strings.Contains(text, "could not") {
		t.Errorf("maroto printed an image error: %q", text)
	}
	checkValues(t, c, text)

	for _, bad := range [][]byte{[]byte("not an image"), []byte("GIF89a....")} {
		if _, err := NormalizeLogo(bad); domain.KindOf(err) != domain.Invalid {
			t.Errorf("NormalizeLogo(%q) err = %v, want invalid", bad, err)
		}
		opt.Logo = bad
		if _, err := Render(c, opt); domain.KindOf(err) != domain.Invalid {
			t.Errorf("Render with logo %q: err = %v, want invalid", bad, err)
		}
	}
}

func TestRenderXMLInvalid(t *testing.T) {
	_, err := RenderXML([]byte("<no es un cfdi"), pinned)
	var de *domain.Error
	if !errors.As(err, &de) || de.Kind != domain.Invalid {
		t.Fatalf("err = %v, want a domain.Invalid error", err)
	}
}

func TestMoney(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"0", "$0"},
		{"1234.56", "$1,234.56"},
		{"999", "$999"},
		{"1000000.000001", "$1,000,000.000001"},
		{"123456.5", "$123,456.5"},
		{"-1234", "-$1,234"},
		{"12a", "12a"},
	}
	for _, tt := range tests {
		if got := money(tt.in); got != tt.want {
			t.Errorf("money(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// benchRender renders c b.N times and reports, beside the wall time, the
// CPU time per document (cpu-ms/op), which stays meaningful on a busy machine.
func benchRender(b *testing.B, c *cfdi.Comprobante) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := Render(c, pinned); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkRenderOnePage: a one-page invoice, 15 concepts (target < 15 ms).
func BenchmarkRenderOnePage(b *testing.B) { benchRender(b, generated(15, true)) }

// BenchmarkRender300: 300 concepts (target < 60 ms).
func BenchmarkRender300(b *testing.B) { benchRender(b, generated(300, true)) }

// TestRenderConcurrently renders from several goroutines at once: under
// -race it fails if renders share mutable state (gofpdf writes into the
// font bytes it is given).
func TestRenderConcurrently(t *testing.T) {
	c := generated(5, true)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := Render(c, pinned); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestRenderDemoMark: a document of the demo company carries DemoMark on
// every page, one of any other company nowhere.
func TestRenderDemoMark(t *testing.T) {
	c := generated(60, true)
	for _, demo := range []bool{true, false} {
		opt := pinned
		opt.Demo = demo
		pdf, err := Render(c, opt)
		if err != nil {
			t.Fatal(err)
		}
		pages := pdfPages(t, pdf)
		if len(pages) < 2 {
			t.Fatalf("demo=%v: %d pages, want a multi-page document", demo, len(pages))
		}
		for i, p := range pages {
			if got := strings.Contains(p, DemoMark); got != demo {
				t.Errorf("demo=%v: page %d has %q = %v", demo, i+1, DemoMark, got)
			}
		}
	}
}
