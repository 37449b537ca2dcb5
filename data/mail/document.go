package mail

import (
	"fmt"
	"strings"

	"github.com/folio-mx/folio/domain/cfdi"
)

// Document names a CFDI in the message that carries it. Fields hold the text
// of the document's XML attributes.
type Document struct {
	TipoDeComprobante string // I, E, P, T or N
	Serie, Folio      string
	UUID              string // folio fiscal; empty if not stamped
	Emisor, Receptor  string // names
	Total, Moneda     string
}

// DocumentOf names c as its message does: kind, serie and folio, UUID when
// stamped, both parties and the total (as printed, "$1,234.56").
func DocumentOf(c *cfdi.Comprobante) Document {
	d := Document{
		TipoDeComprobante: c.TipoDeComprobante,
		Serie:             c.Serie,
		Folio:             c.Folio,
		Emisor:            c.Emisor.Nombre,
		Receptor:          c.Receptor.Nombre,
		Total:             groupThousands(c.Total),
		Moneda:            c.Moneda,
	}
	if c.Complemento != nil && c.Complemento.TimbreFiscalDigital != nil {
		d.UUID = c.Complemento.TimbreFiscalDigital.UUID
	}
	return d
}

// groupThousands writes an XML amount as "$1,234.56"; other text is kept.
func groupThousands(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if intPart == "" || strings.Trim(intPart, "0123456789") != "" {
		return s
	}
	var b strings.Builder
	b.WriteByte('$')
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// kindNames are the Spanish names of c_TipoDeComprobante (Anexo 20).
var kindNames = map[string]string{
	"I": "factura",
	"E": "nota de crédito",
	"P": "complemento de pago",
	"T": "comprobante de traslado",
	"N": "recibo de nómina",
}

// Name is how the document is called in the message: "factura A-123".
func (d Document) Name() string {
	kind, ok := kindNames[d.TipoDeComprobante]
	if !ok {
		kind = "comprobante"
	}
	if n := d.number(); n != "" {
		return kind + " " + n
	}
	return kind
}

func (d Document) number() string {
	switch {
	case d.Serie != "" && d.Folio != "":
		return d.Serie + "-" + d.Folio
	case d.Folio != "":
		return d.Folio
	}
	return d.Serie
}

// fileBase is the attachments' file name without extension.
func (d Document) fileBase() string {
	if d.UUID != "" {
		return d.UUID
	}
	if n := d.number(); n != "" {
		return n
	}
	return "CFDI"
}

// DocumentMessage builds the message that sends a CFDI to its customer: a
// Spanish subject and body naming the document, the XML (the fiscal
// document) and its PDF, attached byte for byte.
func DocumentMessage(to []string, d Document, xml, pdf []byte) Message {
	name := d.Name()
	subject := strings.ToUpper(name[:1]) + name[1:]
	if d.Emisor != "" {
		subject += " de " + d.Emisor
	}
	var b strings.Builder
	if d.Receptor != "" {
		fmt.Fprintf(&b, "Estimado cliente %s:\n\n", d.Receptor)
	} else {
		b.WriteString("Estimado cliente:\n\n")
	}
	article := "el"
	if d.TipoDeComprobante == "I" || d.TipoDeComprobante == "E" {
		article = "la"
	}
	fmt.Fprintf(&b, "Le enviamos %s %s", article, name)
	if d.UUID != "" {
		fmt.Fprintf(&b, " (folio fiscal %s)", d.UUID)
	}
	if d.Emisor != "" {
		issued := "emitido" // complemento, comprobante, recibo
		if d.TipoDeComprobante == "I" || d.TipoDeComprobante == "E" {
			issued = "emitida" // factura, nota de crédito
		}
		fmt.Fprintf(&b, ", %s por %s", issued, d.Emisor)
	}
	if d.Total != "" && d.TipoDeComprobante != "P" {
		fmt.Fprintf(&b, ", por un total de %s %s", d.Total, d.Moneda)
	}
	b.WriteString(".\n\nSe adjuntan el archivo XML, que es el comprobante fiscal digital, y su representación impresa en PDF.\n")
	if d.Emisor != "" {
		fmt.Fprintf(&b, "\nAtentamente,\n%s\n", d.Emisor)
	}
	base := d.fileBase()
	return Message{
		To:      to,
		Subject: subject,
		Body:    b.String(),
		Attachments: []Attachment{
			{Name: base + ".xml", ContentType: "application/xml", Data: xml},
			{Name: base + ".pdf", ContentType: "application/pdf", Data: pdf},
		},
	}
}
