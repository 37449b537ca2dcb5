package delivery

import (
	"fmt"
	"strings"
	"time"
)

// Quote names a quote (cotización) to e-mail.
type Quote struct {
	IssuerName, IssuerRFC     string
	CustomerName, CustomerRFC string
	Number                    int64
	ValidUntil                time.Time // the last day the offer holds (a date)
	Total                     string    // formatted, with its currency
	PDF                       []byte
}

// QuoteMessage is the e-mail of a quote: a Spanish subject and body that
// name the company, the customer, the number, the total and the validity,
// and the PDF attached as "cotizacion-N_RFC.pdf".
func QuoteMessage(q Quote) Message {
	issuer := q.IssuerName
	if issuer == "" {
		issuer = q.IssuerRFC
	}
	until := q.ValidUntil.Format("02/01/2006")
	var b strings.Builder
	fmt.Fprintf(&b, "Estimado cliente %s (%s):\n\n", q.CustomerName, q.CustomerRFC)
	fmt.Fprintf(&b, "Le enviamos la cotización %d de %s por un total de %s, vigente hasta el %s.\n\n", q.Number, issuer, q.Total, until)
	b.WriteString("Si está de acuerdo, responda a este correo para confirmarla y le enviaremos su factura.\n\n")
	fmt.Fprintf(&b, "Atentamente,\n%s\n", issuer)
	return Message{
		Subject:     fmt.Sprintf("Cotización %d de %s para %s", q.Number, issuer, q.CustomerName),
		Body:        b.String(),
		Attachments: []Attachment{{Name: fmt.Sprintf("cotizacion-%d_%s.pdf", q.Number, q.CustomerRFC), ContentType: "application/pdf", Data: q.PDF}},
	}
}
