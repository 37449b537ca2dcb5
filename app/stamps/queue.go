package stamps

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// queueView is one load of the queue: the documents of a view with their
// rows, and how many documents each view holds.
type queueView struct {
	docs   []stamping.Document
	rows   []queueRow
	counts [filterCount]int
}

// loadQueue reads the issuer's unstamped documents and keeps those of view
// f; it is synchronous and UI-free.
func (s *StampsScreen) loadQueue(ctx context.Context, f filter) (queueView, error) {
	var v queueView
	states := []stamping.State{stamping.StateQueued, stamping.StateSending, stamping.StateRejected, stamping.StateExpired}
	if f == filterStamped { // only when asked: an issuer has many
		states = append(states, stamping.StateStamped)
	}
	docs, err := s.deps.Store.Documents(ctx, s.issuer, states...)
	if err != nil {
		return v, err
	}
	now := s.deps.Now()
	for i := range docs {
		d := &docs[i]
		for g := filter(0); g < filterCount; g++ {
			if g.in(d, now) {
				v.counts[g]++
			}
		}
		if f.in(d, now) {
			d.SealedXML, d.StampedXML = nil, nil // not needed by the table
			v.docs = append(v.docs, *d)
			v.rows = append(v.rows, rowOf(d, now))
		}
	}
	return v, nil
}

// currentFilter is the view chosen in the filter control.
func (s *StampsScreen) currentFilter() filter {
	for i, t := range filterTitles() {
		if t == s.filter.Selected {
			return filter(i)
		}
	}
	return filterQueued
}

// reloadQueue loads the current view off the UI goroutine; results of an
// older load are dropped.
func (s *StampsScreen) reloadQueue() {
	s.gen++
	gen, f := s.gen, s.currentFilter()
	s.goAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		v, err := s.loadQueue(ctx, f)
		fyne.Do(func() {
			if gen != s.gen {
				return
			}
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				return
			}
			s.applyQueue(v)
		})
	})
}

func (s *StampsScreen) applyQueue(v queueView) {
	var keep int64 = -1
	if s.selected >= 0 {
		keep = s.docs[s.selected].ID
	}
	s.docs, s.rows = v.docs, v.rows
	s.nameRows()
	s.table.UnselectAll()
	s.selectRow(-1)
	for i := range s.docs {
		if s.docs[i].ID == keep {
			s.table.Select(widget.TableCellID{Row: i, Col: 0})
		}
	}
	s.table.Refresh()
	c := v.counts
	s.status.SetText(lang.L("En cola: {{.Queued}} · Con error: {{.Failed}} · Rechazadas: {{.Rejected}} · Vencidas: {{.Expired}}",
		map[string]any{"Queued": c[filterQueued], "Failed": c[filterFailed], "Rejected": c[filterRejected], "Expired": c[filterExpired]}))
}

// current returns the selected document, nil for none.
func (s *StampsScreen) current() *stamping.Document {
	if s.selected < 0 || s.selected >= len(s.docs) {
		return nil
	}
	return &s.docs[s.selected]
}

// selectRow enables the actions that apply to row i (-1: none).
func (s *StampsScreen) selectRow(i int) {
	s.selected = -1
	if i >= 0 && i < len(s.docs) {
		s.selected = i
	}
	d, now := s.current(), s.deps.Now()
	enable := func(b *widget.Button, ok bool) {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	enable(s.retry, d != nil && retryable(d, now))
	enable(s.showError, d != nil && (hasError(d) || expired(d, now)))
	enable(s.open, d != nil && s.OnOpen != nil)
	enable(s.redate, d != nil && expired(d, now) && s.deps.Reseal != nil)
}

// retryable reports whether "Reintentar" applies to d: a queued document
// not in flight, or a rejected one, still inside the 72-hour window.
func retryable(d *stamping.Document, now time.Time) bool {
	if expired(d, now) {
		return false
	}
	return d.State == stamping.StateQueued || d.State == stamping.StateRejected
}

// retrySelected sends the selected document again now: a queued one skips
// its backoff; a rejected one is resubmitted with its stored bytes (after
// a correction outside the PAC, e.g. the RFC registered at SAT).
func (s *StampsScreen) retrySelected() {
	d := s.current()
	if d == nil {
		return
	}
	id, state, name := d.ID, d.State, folioText(d)
	s.retry.Disable()
	s.status.SetText(lang.L("Enviando {{.Folio}} de nuevo…", map[string]any{"Folio": name}))
	s.goAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		var err error
		if state == stamping.StateRejected {
			var full stamping.Document
			if full, err = s.deps.Store.Document(ctx, id); err == nil {
				err = s.deps.Worker.Resubmit(ctx, id, full.SealedXML, full.Fecha)
			}
		} else {
			err = s.deps.Store.RetryNow(ctx, id, s.deps.Now())
			if err == nil {
				s.deps.Worker.Kick()
			}
		}
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				s.selectRow(s.selected)
				return
			}
			s.reloadQueue()
		})
	})
}

// showSelectedError shows SAT's code, the explanation and what to do.
func (s *StampsScreen) showSelectedError() {
	d := s.current()
	w := s.window()
	if d == nil || w == nil {
		return
	}
	code, explanation, hint := errorDetails(d, s.deps.Now())
	label := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	content := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Documento {{.Folio}}", map[string]any{"Folio": folioText(d)}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		label(lang.L("Código del SAT: {{.Code}}", map[string]any{"Code": code})),
		label(explanation),
		widget.NewLabelWithStyle(lang.L("Qué hacer"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		label(hint))
	dlg := dialog.NewCustom(lang.L("Error de timbrado"), lang.L("Cerrar"), content, w)
	dlg.Resize(fyne.NewSize(520, 320))
	dlg.Show()
}

// openSelected hands the selected document to OnOpen.
func (s *StampsScreen) openSelected() {
	if d := s.current(); d != nil && s.OnOpen != nil {
		s.OnOpen(d.ID)
	}
}

// confirmRedate explains SAT's 72-hour rule and, when the user confirms,
// re-dates, re-seals and queues the selected document again.
func (s *StampsScreen) confirmRedate() {
	d := s.current()
	w := s.window()
	if d == nil || w == nil || s.deps.Reseal == nil {
		return
	}
	id, name := d.ID, folioText(d)
	msg := widget.NewLabel(lang.L("El SAT solo timbra un comprobante dentro de las 72 horas siguientes a su fecha. {{.Folio}} tiene fecha {{.Fecha}} y ese plazo ya pasó. Folio le pondrá la fecha y hora actuales, lo sellará de nuevo con el mismo folio y lo enviará otra vez. ¿Desea continuar?",
		map[string]any{"Folio": name, "Fecha": dateText(d.Fecha)}))
	msg.Wrapping = fyne.TextWrapWord
	dlg := dialog.NewCustomConfirm(lang.L("Volver a fechar y sellar"), lang.L("Volver a fechar y sellar"), lang.L("Cancelar"), msg, func(ok bool) {
		if ok {
			s.redateDocument(id, name)
		}
	}, w)
	dlg.Resize(fyne.NewSize(520, 260))
	dlg.Show()
}

// redateDocument runs Worker.Redate off the UI goroutine.
func (s *StampsScreen) redateDocument(id int64, name string) {
	s.redate.Disable()
	s.status.SetText(lang.L("Volviendo a fechar y sellar {{.Folio}}…", map[string]any{"Folio": name}))
	s.goAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := s.deps.Worker.Redate(ctx, id, s.deps.Reseal)
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				s.selectRow(s.selected)
				return
			}
			s.reloadQueue()
		})
	})
}

// watch reads the worker's status and the queue counts every Poll until ctx
// ends: it shows the drain progress and reloads the queue when documents
// change state.
func (s *StampsScreen) watch(ctx context.Context) {
	tick := time.NewTicker(s.deps.Poll)
	defer tick.Stop()
	for {
		st := s.deps.Worker.Status()
		waiting, attention, err := s.deps.Store.QueueCounts(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			fyne.Do(func() { s.applyActivity(st, waiting, attention) })
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// applyActivity shows a reading of the queue.
func (s *StampsScreen) applyActivity(st stamping.Status, waiting, attention int) {
	if s.drain.observe(waiting, st.InFlight) {
		p := s.drain
		s.drainBar.Max = float64(max(p.total, 1))
		s.drainBar.SetValue(float64(p.done))
		if st.Online {
			s.drainText.SetText(lang.L("Enviados al PAC: {{.Done}} de {{.Total}}", map[string]any{"Done": p.done, "Total": p.total}))
		} else {
			s.drainText.SetText(lang.L("Sin conexión con el PAC: {{.Waiting}} en espera", map[string]any{"Waiting": waiting}))
		}
		s.drainBar.Show()
		s.drainText.Show()
	} else {
		s.drainBar.Hide()
		s.drainText.Hide()
	}
	counts := [2]int{waiting, attention}
	if counts != s.lastCounts {
		changed := s.lastCounts[0] >= 0
		s.lastCounts = counts
		if changed {
			s.reloadQueue()
			s.reloadBalance()
		}
	}
}
