package delivery

import (
	"fmt"
	"strings"
	"time"
)

// Statement names an account statement (estado de cuenta) to e-mail.
type Statement struct {
	IssuerName, IssuerRFC     string
	CustomerName, CustomerRFC string
	From, To                  time.Time // the period's first and last days (as dates)
	Moneda                    string
	PDF                       []byte
}

// StatementMessage is the e-mail of an account statement: a Spanish
// subject and body that name the company, the customer and the period,
// and the PDF attached as "estado-de-cuenta_RFC_AAAA-MM-DD_AAAA-MM-DD.pdf".
func StatementMessage(s Statement) Message {
	day := func(t time.Time) string { return t.Format("02/01/2006") }
	period := day(s.From) + " al " + day(s.To)
	issuer := s.IssuerName
	if issuer == "" {
		issuer = s.IssuerRFC
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Estimado cliente %s (%s):\n\n", s.CustomerName, s.CustomerRFC)
	fmt.Fprintf(&b, "Le enviamos su estado de cuenta con %s del %s, en %s: el saldo inicial, "+
		"cada factura, nota de crédito y pago del periodo con el saldo después de cada uno, el saldo final "+
		"y la antigüedad de lo que queda por pagar.\n\n", issuer, period, s.Moneda)
	b.WriteString("Si algún movimiento no coincide con sus registros, responda a este correo y lo revisaremos.\n\n")
	fmt.Fprintf(&b, "Atentamente,\n%s\n", issuer)
	name := fmt.Sprintf("estado-de-cuenta_%s_%s_%s.pdf", s.CustomerRFC, s.From.Format("2006-01-02"), s.To.Format("2006-01-02"))
	return Message{
		Subject:     fmt.Sprintf("Estado de cuenta de %s, %s, del %s", s.CustomerName, issuer, period),
		Body:        b.String(),
		Attachments: []Attachment{{Name: name, ContentType: "application/pdf", Data: s.PDF}},
	}
}
