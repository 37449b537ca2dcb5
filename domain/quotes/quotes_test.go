package quotes

import (
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// TestActionsOn: what each status allows, the verdict the screens show.
func TestActionsOn(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, domain.MexicoCity)
	valid, past := now.AddDate(0, 0, 5), now.AddDate(0, 0, -1)
	tests := []struct {
		name   string
		status Status
		until  time.Time
		invID  int64
		want   Actions
	}{
		{"abierta", Open, valid, 0, Actions{Edit: true, Send: true, Accept: true}},
		{"enviada", Sent, valid, 0, Actions{Edit: true, Send: true, Accept: true}},
		// Past its validity it can still be edited, to extend it.
		{"vencida abierta", Open, past, 0, Actions{Edit: true}},
		{"vencida enviada", Sent, past, 0, Actions{Edit: true}},
		{"aceptada", Accepted, valid, 0, Actions{Invoice: true}},
		{"aceptada vencida", Accepted, past, 0, Actions{Invoice: true}},
		{"facturada", Invoiced, valid, 9, Actions{OpenInvoice: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := Quote{Status: tc.status, ValidUntil: tc.until, InvoiceID: tc.invID}
			if got := q.ActionsOn(now); got != tc.want {
				t.Errorf("ActionsOn = %+v, want %+v", got, tc.want)
			}
			if q.Status != tc.status {
				t.Errorf("ActionsOn changed the status to %s", q.Status)
			}
		})
	}
}

// TestValidateValidityDay: the validity is compared by days in Mexico
// City, so a quote made in the evening (already the next day in UTC) may
// hold until that same day.
func TestValidateValidityDay(t *testing.T) {
	evening := time.Date(2026, 12, 7, 20, 30, 0, 0, domain.MexicoCity)
	doc := sales.Invoice{CustomerID: 1, Moneda: "MXN", Lines: []sales.Line{{}}}
	tests := []struct {
		name    string
		until   time.Time
		wantErr bool
	}{
		{"same day", Day(evening), false},
		{"default", DefaultValidUntil(evening), false},
		{"day before", Day(evening).AddDate(0, 0, -1), true},
		{"none", time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := Quote{Fecha: evening, ValidUntil: tc.until, Doc: doc}
			err := q.Validate()
			isValidity := err != nil && domain.UserMessage(err) == "La vigencia debe ser igual o posterior a la fecha de la cotización."
			if isValidity != tc.wantErr {
				t.Errorf("Validate() = %v, want a validity error %v", err, tc.wantErr)
			}
		})
	}
	if got, want := DefaultValidUntil(evening), time.Date(2026, 12, 22, 0, 0, 0, 0, domain.MexicoCity); !got.Equal(want) {
		t.Errorf("DefaultValidUntil = %s, want %s", got, want)
	}
}
