package stamps

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/domain"
)

// movementLimit bounds one load of the movement history.
const movementLimit = 500

// loadMovements reads the issuer's movements of [from, to); it is
// synchronous and UI-free.
func (s *StampsScreen) loadMovements(ctx context.Context, from, to time.Time) ([]movementRow, error) {
	ms, err := s.deps.Store.MovementsBetween(ctx, s.issuer, from, to, movementLimit)
	if err != nil {
		return nil, err
	}
	rows := make([]movementRow, len(ms))
	for i := range ms {
		rows[i] = movementRowOf(&ms[i])
	}
	return rows, nil
}

// currentPeriod is the period chosen in the date filter.
func (s *StampsScreen) currentPeriod() period {
	for i, t := range periodTitles() {
		if t == s.period.Selected {
			return period(i)
		}
	}
	return periodMonth
}

// reloadMovements loads the chosen period off the UI goroutine; the custom
// period shows its two date entries and waits until both are valid.
func (s *StampsScreen) reloadMovements() {
	p := s.currentPeriod()
	if p == periodCustom {
		s.custom.Show()
	} else {
		s.custom.Hide()
	}
	from, to, err := periodRange(p, s.deps.Now(), s.from.Text, s.to.Text)
	if err != nil {
		if p == periodCustom && s.from.Text == "" && s.to.Text == "" {
			err = domain.E(domain.Invalid, "stamps.reloadMovements", lang.L("Escriba las dos fechas del periodo."), nil)
		}
		s.movStatus.SetText(domain.UserMessage(err))
		return
	}
	s.movGen++
	gen := s.movGen
	s.movStatus.SetText(lang.L("Buscando…"))
	s.goAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		rows, err := s.loadMovements(ctx, from, to)
		fyne.Do(func() {
			if gen != s.movGen {
				return
			}
			if err != nil {
				s.movStatus.SetText(domain.UserMessage(err))
				return
			}
			s.movRows = rows
			s.movTable.Refresh()
			s.movStatus.SetText(lang.L("Movimientos: {{.Count}}", map[string]any{"Count": len(rows)}))
		})
	})
}
