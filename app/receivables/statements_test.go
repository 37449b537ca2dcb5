package receivables

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	recv "github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/uitest"
)

// emptySource is a Cobranza without customers.
type emptySource struct{}

func (emptySource) Aging(context.Context, string, time.Time) (recv.Aging, error) {
	return recv.Aging{}, nil
}
func (emptySource) Statement(context.Context, string, int64, time.Time) (recv.Statement, error) {
	return recv.Statement{}, nil
}

// TestStatementByMail: the statement dialog proposes the customer's
// addresses; the user changes them and "Enviar por correo" queues the
// statement of the period for those addresses and says so.
func TestStatementByMail(t *testing.T) {
	_, q := uitest.NewApp(t)
	var mu sync.Mutex
	var got []string
	var from, to time.Time
	area := NewArea(AreaDeps{Source: emptySource{}, Clock: func() time.Time { return now },
		StatementPDF: func(context.Context, int64, time.Time, time.Time) ([]byte, error) { return nil, nil },
		CustomerEmails: func(_ context.Context, id int64) ([]string, error) {
			return []string{"compras@example.com", "pagos@example.com"}, nil
		},
		MailStatement: func(_ context.Context, id int64, d1, d2 time.Time, rcpts []string) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			got, from, to = rcpts, d1, d2
			return "Estado de cuenta en cola de correo para " + strings.Join(rcpts, ", ") + ".", nil
		}}, sales.DemoCompany())
	w := test.NewWindow(area)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 700))

	area.askStatement(2, "UNIVERSIDAD ROBOTICA ESPAÑOLA")
	sd := area.stmt
	q.RunUntil(t, "the customer's addresses", func() bool { return sd.para.Text == "compras@example.com, pagos@example.com" })
	sd.from.SetText("01/10/2026")
	sd.para.SetText("pagos@example.com, tesoreria@example.com")
	test.Tap(sd.send)
	q.RunUntil(t, "queued", func() bool { return strings.Contains(area.Screen().status.Text, "en cola de correo") })
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, ";") != "pagos@example.com, tesoreria@example.com" {
		t.Errorf("recipients %q, want what the user wrote", got)
	}
	if want := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC); !recv.Day(from).Equal(want) || !recv.Day(to).Equal(recv.Day(now)) {
		t.Errorf("period %s to %s, want 2026-10-01 to %s", from, to, recv.Day(now))
	}
}

// TestAllStatementsCancel: "Estados de cuenta de todos…" asks for the
// period and whether to e-mail them; while they are written a progress
// dialog shows how far it went, Cancelar stops between two statements,
// and the summary says what was written and queued and who has no e-mail.
func TestAllStatementsCancel(t *testing.T) {
	_, q := uitest.NewApp(t)
	started := make(chan struct{})
	area := NewArea(AreaDeps{Source: emptySource{}, Clock: func() time.Time { return now },
		MailStatement: func(context.Context, int64, time.Time, time.Time, []string) (string, error) { return "", nil },
		AllStatements: func(ctx context.Context, dir string, from, to time.Time, send bool, progress func(done, total int)) (AllResult, error) {
			if !send {
				t.Error("asked not to send")
			}
			progress(1, 3)
			close(started)
			<-ctx.Done() // the user cancels after the first
			return AllResult{Dir: dir, Written: 1, Queued: 0, NoMail: []string{"XAXX010101000 PUBLICO EN GENERAL"}}, ctx.Err()
		}}, sales.DemoCompany())
	w := test.NewWindow(area)
	defer w.Close()
	w.Resize(fyne.NewSize(1000, 700))

	test.Tap(area.allBtn)
	ad := area.all
	if ad == nil || ad.from.Text != "01/11/2026" {
		t.Fatalf("the dialog did not open on this month: %+v", ad)
	}
	test.Tap(ad.mail)
	// The folder comes from the system's dialog; the test gives it.
	area.WriteAllStatements(t.TempDir(), now, now, ad.mail.Checked)
	<-started
	q.RunUntil(t, "progress", func() bool { return ad.label.Text == "1 de 3 estados de cuenta" })
	test.Tap(ad.cancel)
	q.RunUntil(t, "the summary", func() bool { return ad.result != "" })
	for _, want := range []string{"Se escribieron 1 estados de cuenta", "0 quedaron en la cola de correo", "Sin correo (agréguelo en Clientes): XAXX010101000 PUBLICO EN GENERAL"} {
		if !strings.Contains(ad.result, want) {
			t.Errorf("summary %q lacks %q", ad.result, want)
		}
	}
}
