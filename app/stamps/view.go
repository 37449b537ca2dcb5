package stamps

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// filter is one view of the stamp queue.
type filter int

// The queue views, in the order of the filter control.
const (
	filterQueued   filter = iota // waiting for the worker, still inside the 72-hour window
	filterFailed                 // waiting, and the last attempt failed
	filterRejected               // the PAC/SAT rejected it: the user must act
	filterExpired                // past SAT's 72-hour window: it must be re-dated
	filterStamped                // stamped, with the PAC account that stamped it
	filterCount
)

// filterTitles returns the Spanish titles of the queue views.
func filterTitles() []string {
	return []string{lang.L("En cola"), lang.L("Con error"), lang.L("Rechazadas"), lang.L("Vencidas (72 h)"), lang.L("Timbradas")}
}

// expired reports whether d can no longer be stamped with its Fecha.
func expired(d *stamping.Document, now time.Time) bool {
	return d.State == stamping.StateExpired || d.State.Pending() && d.Window(now) == stamping.WindowExpired
}

// hasError reports whether an attempt of d failed and left a message.
func hasError(d *stamping.Document) bool { return d.ErrorCode != "" || d.ErrorMessage != "" }

// in reports whether d belongs to the view f at now.
func (f filter) in(d *stamping.Document, now time.Time) bool {
	switch f {
	case filterQueued:
		return d.State.Pending() && !expired(d, now)
	case filterFailed:
		return d.State.Pending() && hasError(d) && !expired(d, now)
	case filterRejected:
		return d.State == stamping.StateRejected
	case filterExpired:
		return expired(d, now)
	case filterStamped:
		return d.State == stamping.StateStamped
	}
	return false
}

// queueRow is one line of the queue table, already formatted.
type queueRow struct {
	folio, fecha, estado, intentos, pac, lastError string
}

// columns of the queue table: title (Spanish source text) and width.
func queueColumns() []column {
	return []column{{lang.L("Serie-Folio"), 110}, {lang.L("Fecha"), 140}, {lang.L("Estado"), 190}, {lang.L("Intentos"), 80}, {lang.L("PAC"), 220}, {lang.L("Último error"), 360}}
}

// column is the title and width of a table column.
type column struct {
	title string
	width float32
}

// folioText is "Serie-Folio", or the folio alone without a serie.
func folioText(d *stamping.Document) string {
	if d.Serie == "" {
		return d.Folio
	}
	return d.Serie + "-" + d.Folio
}

// dateText shows an instant in Mexico City time.
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.MexicoCity).Format("2006-01-02 15:04")
}

// stateText is the Spanish state of d shown in the table.
func stateText(d *stamping.Document, now time.Time) string {
	switch {
	case expired(d, now):
		return lang.L("Vencida: requiere nueva fecha")
	case d.State == stamping.StateSending:
		return lang.L("Enviando")
	case d.State == stamping.StateRejected:
		return lang.L("Rechazada")
	case d.State == stamping.StateStamped:
		return lang.L("Timbrada")
	case d.State.Pending() && d.Window(now) == stamping.WindowWarning:
		return lang.L("En cola: vence el {{.Deadline}}", map[string]any{"Deadline": dateText(stamping.Deadline(d.Fecha))})
	case hasError(d):
		return lang.L("En cola: reintento a las {{.At}}", map[string]any{"At": d.NextAttemptAt.In(domain.MexicoCity).Format("15:04:05")})
	}
	return lang.L("En cola")
}

// errorText is the last problem of d in one line: "code: message".
func errorText(d *stamping.Document) string {
	switch {
	case d.ErrorCode != "" && d.ErrorMessage != "":
		return d.ErrorCode + ": " + d.ErrorMessage
	case d.ErrorCode != "":
		return d.ErrorCode
	}
	return d.ErrorMessage
}

// rowOf formats d; its PAC column is filled on the UI goroutine
// (nameRows), where the accounts' names are known.
func rowOf(d *stamping.Document, now time.Time) queueRow {
	return queueRow{folio: folioText(d), fecha: dateText(d.Fecha), estado: stateText(d, now),
		intentos: fmt.Sprint(d.Attempts), lastError: errorText(d)}
}

// errorDetails explains the last problem of d for the "Ver error" dialog:
// SAT's code, what the PAC said and what the user can do.
func errorDetails(d *stamping.Document, now time.Time) (code, explanation, hint string) {
	code, explanation, hint = d.ErrorCode, strings.TrimSpace(d.ErrorMessage), strings.TrimSpace(d.ErrorHint)
	if explanation == "" {
		explanation = lang.L("El PAC no dio una explicación.")
	}
	defer func() {
		if code == "" {
			code = lang.L("Sin código")
		}
	}()
	switch {
	case expired(d, now):
		if code == "" {
			code = "401" // the PAC's code for a Fecha outside the 72-hour window
		}
		explanation = lang.L("El SAT solo timbra un comprobante dentro de las 72 horas siguientes a su fecha ({{.Fecha}}); ese plazo terminó el {{.Deadline}}.",
			map[string]any{"Fecha": dateText(d.Fecha), "Deadline": dateText(stamping.Deadline(d.Fecha))})
		hint = lang.L("Use «Volver a fechar y sellar»: Folio le pone la fecha actual, lo sella de nuevo con el mismo folio y lo envía otra vez.")
	case hint != "":
	case d.State.Pending():
		hint = lang.L("Folio lo reenviará automáticamente con los mismos datos; use «Reintentar» para enviarlo ahora.")
	case d.State == stamping.StateRejected:
		hint = lang.L("Corrija la factura y séllela de nuevo; después use «Reintentar».")
	}
	return code, explanation, hint
}

// movementRow is one line of the movement history, already formatted.
type movementRow struct {
	fecha, kind, stamps, document, comment string
}

func movementColumns() []column {
	return []column{{lang.L("Fecha"), 140}, {lang.L("Movimiento"), 160}, {lang.L("Timbres"), 80}, {lang.L("Folio fiscal"), 300}, {lang.L("Comentario"), 260}}
}

func movementRowOf(m *stamping.Movement) movementRow {
	kind := string(m.Kind)
	switch m.Kind {
	case stamping.MovementStamp:
		kind = lang.L("Timbrado")
	case stamping.MovementTopUp:
		kind = lang.L("Compra de timbres")
	case stamping.MovementCancel:
		kind = lang.L("Cancelación")
	}
	n := fmt.Sprint(m.Stamps)
	if m.Stamps > 0 {
		n = "+" + n
	}
	return movementRow{fecha: dateText(m.At), kind: kind, stamps: n, document: m.UUID, comment: m.Comment}
}

// period is a choice of the movement date filter.
type period int

// The periods, in the order of the date filter.
const (
	periodToday  period = iota // today, from 00:00 Mexico City time
	periodWeek                 // this week, from Monday
	periodMonth                // this calendar month
	periodCustom               // two dates typed by the user, both included
)

func periodTitles() []string {
	return []string{lang.L("Hoy"), lang.L("Semana"), lang.L("Mes"), lang.L("Especial")}
}

// dateLayout is how dates are typed in the custom period.
const dateLayout = "2006-01-02"

// periodRange returns [from, to) of the period at now, in Mexico City
// time. For periodCustom, fromText and toText are dates (AAAA-MM-DD), both
// days included; an Invalid error says which one is wrong.
func periodRange(p period, now time.Time, fromText, toText string) (from, to time.Time, err error) {
	const op = "stamps.periodRange"
	now = now.In(domain.MexicoCity)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.MexicoCity)
	switch p {
	case periodToday:
		return day, day.AddDate(0, 0, 1), nil
	case periodWeek:
		back := (int(day.Weekday()) + 6) % 7 // days since Monday
		start := day.AddDate(0, 0, -back)
		return start, start.AddDate(0, 0, 7), nil
	case periodMonth:
		start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.MexicoCity)
		return start, start.AddDate(0, 1, 0), nil
	}
	from, err = time.ParseInLocation(dateLayout, strings.TrimSpace(fromText), domain.MexicoCity)
	if err != nil {
		return from, to, domain.E(domain.Invalid, op, lang.L("Escriba la fecha inicial como AAAA-MM-DD."), err)
	}
	to, err = time.ParseInLocation(dateLayout, strings.TrimSpace(toText), domain.MexicoCity)
	if err != nil {
		return from, to, domain.E(domain.Invalid, op, lang.L("Escriba la fecha final como AAAA-MM-DD."), err)
	}
	if to.Before(from) {
		return from, to, domain.E(domain.Invalid, op, lang.L("La fecha final es anterior a la inicial."), nil)
	}
	return from, to.AddDate(0, 0, 1), nil
}

// drainProgress follows one drain of the queue: how many documents were
// sent of those waiting since it started. New documents posted meanwhile
// raise the total.
type drainProgress struct {
	active            bool
	total, done, prev int
}

// observe takes a reading of documents waiting and attempts in flight and
// reports whether a drain is under way.
func (p *drainProgress) observe(waiting, inFlight int) bool {
	if waiting == 0 && inFlight == 0 {
		*p = drainProgress{}
		return false
	}
	if !p.active {
		*p = drainProgress{active: true, total: waiting, prev: waiting}
		return true
	}
	if waiting < p.prev {
		p.done += p.prev - waiting
	} else {
		p.total += waiting - p.prev
	}
	p.prev = waiting
	return true
}
