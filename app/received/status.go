package received

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
)

// checkStatus consults SAT for the selected document, or for every one
// never consulted when none is selected, with a cancelable progress dialog.
func (s *Screen) checkStatus() {
	var ids []int64
	if d := s.List.Selected(); d != nil {
		ids = []int64{d.ID}
	}
	if !s.statusRunning.CompareAndSwap(false, true) {
		s.Note.SetText(lang.L("Ya hay una consulta al SAT en curso."))
		return
	}
	win := widgets.WindowOf(s)
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	var prog dialog.Dialog
	if win != nil {
		stop := widget.NewButton(lang.L("Cancelar"), cancel)
		prog = dialog.NewCustomWithoutButtons(lang.L("Consultando estatus en el SAT"), container.NewVBox(bar, container.NewCenter(stop)), win)
		prog.Resize(fyne.NewSize(420, 140))
		prog.Show()
	}
	go func() {
		defer s.statusRunning.Store(false)
		defer cancel()
		res, err := s.deps.CheckStatus(ctx, s.issuer, ids, func(p received.Progress) {
			fyne.Do(func() { bar.SetValue(float64(p.Done) / float64(max(p.Total, 1))) })
		})
		fyne.Do(func() {
			if prog != nil {
				prog.Hide()
			}
			s.List.Reload()
			s.Note.SetText(StatusSummary(res, err))
		})
	}()
}

// checkPendingQuietly consults, in the background and without a dialog,
// the documents never consulted: those left pending by an earlier run
// without connection are picked up when the area opens or after an import.
func (s *Screen) checkPendingQuietly() {
	if s.deps.CheckStatus == nil || !s.statusRunning.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer s.statusRunning.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		res, err := s.deps.CheckStatus(ctx, s.issuer, nil, nil)
		if res.Checked == 0 && err == nil {
			return
		}
		fyne.Do(func() {
			s.List.Reload()
			s.Note.SetText(StatusSummary(res, err))
		})
	}()
}

// StatusSummary is the one-line Spanish result of a consultation.
func StatusSummary(res received.StatusResult, err error) string {
	text := lang.L("Estatus SAT: {{.V}} vigentes, {{.C}} cancelados, {{.N}} no encontrados; {{.P}} pendientes.", map[string]any{
		"V": res.Counts[received.SATVigente], "C": res.Counts[received.SATCancelado], "N": res.Counts[received.SATNoEncontrado], "P": res.Pending})
	if res.Total == 0 && err == nil {
		return lang.L("No hay comprobantes por consultar en el SAT.")
	}
	switch {
	case errors.Is(err, context.Canceled):
		return lang.L("Consulta cancelada.") + " " + text
	case err != nil:
		return domain.UserMessage(err) + " " + text
	}
	return text
}
