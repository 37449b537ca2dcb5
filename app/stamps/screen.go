package stamps

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/stamping"
)

// StampsScreen is the "Timbres" screen: balance, movement history and the
// stamp queue of one issuer. Create it with NewStampsScreen; its methods run
// on the UI goroutine. Close stops its background polling.
type StampsScreen struct {
	widget.BaseWidget

	// OnOpen, when set, opens a document (PDF/XML viewer) by its id in the
	// stamp queue. It runs on the UI goroutine.
	OnOpen func(docID int64)

	deps   Deps
	issuer string

	// balance
	balance    *widget.Label
	asOf       *widget.Label
	lowWarning *widget.Label
	refresh    *widget.Button
	pacs       *widget.Label // each PAC account: balance and health
	failover   *widget.Label // new documents go to the secondary
	threshold  *widget.Entry
	saveLow    *widget.Button

	// queue
	filter    *widget.RadioGroup
	table     *widget.Table
	retry     *widget.Button
	showError *widget.Button
	open      *widget.Button
	redate    *widget.Button
	status    *widget.Label
	drainBar  *widget.ProgressBar
	drainText *widget.Label

	// movements
	period    *widget.Select
	from, to  *widget.Entry
	custom    *fyne.Container
	movTable  *widget.Table
	movStatus *widget.Label

	names    map[string]string   // account key → name, for the PAC column
	docs     []stamping.Document // rows of the current view
	rows     []queueRow
	selected int // row index, -1 for none
	movRows  []movementRow
	gen      uint64 // queue loads
	movGen   uint64

	drain      drainProgress
	lastCounts [2]int
	watching   bool
	stop       context.CancelFunc
	background atomic.Int64 // goroutines started by goAsync still running
}

// NewStampsScreen builds the screen of issuerRFC; it loads nothing until
// Reload.
func NewStampsScreen(deps Deps, issuerRFC string) *StampsScreen {
	if deps.Now == nil {
		deps.Now = domain.SystemClock
	}
	if deps.Poll <= 0 {
		deps.Poll = time.Second
	}
	s := &StampsScreen{deps: deps, issuer: issuerRFC, selected: -1, lastCounts: [2]int{-1, -1}}

	s.balance = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.asOf = widget.NewLabel("")
	s.lowWarning = widget.NewLabel("")
	s.lowWarning.Importance = widget.DangerImportance
	s.lowWarning.Wrapping = fyne.TextWrapWord
	s.lowWarning.Hide()
	s.pacs = widget.NewLabel("")
	s.pacs.Wrapping = fyne.TextWrapWord
	s.pacs.Hide()
	s.failover = widget.NewLabel("")
	s.failover.Importance = widget.WarningImportance
	s.failover.Wrapping = fyne.TextWrapWord
	s.failover.Hide()
	s.refresh = widget.NewButtonWithIcon(lang.L("Actualizar saldo"), theme.ViewRefreshIcon(), s.refreshBalance)
	s.threshold = widget.NewEntry()
	s.threshold.Validator = func(text string) error {
		_, err := parseThreshold(text)
		return err
	}
	s.saveLow = widget.NewButton(lang.L("Guardar aviso"), s.saveThreshold)

	s.filter = widget.NewRadioGroup(filterTitles(), func(string) { s.reloadQueue() })
	s.filter.Horizontal = true
	s.filter.Required = true
	s.filter.Selected = filterTitles()[filterQueued]
	s.table = newTable(queueColumns(), func() int { return len(s.rows) }, func(row, col int) string {
		r := s.rows[row]
		return [...]string{r.folio, r.fecha, r.estado, r.intentos, r.pac, r.lastError}[col]
	})
	s.table.OnSelected = func(id widget.TableCellID) { s.selectRow(id.Row) }
	s.table.OnUnselected = func(widget.TableCellID) { s.selectRow(-1) }
	s.retry = widget.NewButtonWithIcon(lang.L("Reintentar"), theme.MediaReplayIcon(), s.retrySelected)
	s.showError = widget.NewButtonWithIcon(lang.L("Ver error"), theme.ErrorIcon(), s.showSelectedError)
	s.open = widget.NewButtonWithIcon(lang.L("Abrir documento"), theme.DocumentIcon(), s.openSelected)
	s.redate = widget.NewButtonWithIcon(lang.L("Volver a fechar y sellar"), theme.HistoryIcon(), s.confirmRedate)
	if deps.Reseal == nil {
		s.redate.Hide()
	}
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.drainBar = widget.NewProgressBar()
	s.drainText = widget.NewLabel("")
	s.drainBar.Hide()
	s.drainText.Hide()

	s.period = widgets.NewSelect(periodTitles(), func(string) { s.reloadMovements() })
	s.period.Selected = periodTitles()[periodMonth]
	s.from, s.to = widget.NewEntry(), widget.NewEntry()
	s.from.SetPlaceHolder(lang.L("Desde (AAAA-MM-DD)"))
	s.to.SetPlaceHolder(lang.L("Hasta (AAAA-MM-DD)"))
	s.from.OnSubmitted = func(string) { s.reloadMovements() }
	s.to.OnSubmitted = func(string) { s.reloadMovements() }
	show := widget.NewButtonWithIcon(lang.L("Mostrar"), theme.SearchIcon(), s.reloadMovements)
	s.custom = container.NewGridWithColumns(3, s.from, s.to, show)
	s.custom.Hide()
	s.movTable = newTable(movementColumns(), func() int { return len(s.movRows) }, func(row, col int) string {
		r := s.movRows[row]
		return [...]string{r.fecha, r.kind, r.stamps, r.document, r.comment}[col]
	})
	s.movStatus = widget.NewLabel("")

	s.selectRow(-1)
	s.ExtendBaseWidget(s)
	return s
}

// newTable builds a table with a bold header row from cols; text returns
// the text of a cell of a valid row.
func newTable(cols []column, rows func() int, text func(row, col int) string) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(cols) },
		func() fyne.CanvasObject {
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			return lb
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			lb := o.(*widget.Label)
			if id.Row < 0 || id.Row >= rows() || id.Col < 0 || id.Col >= len(cols) {
				lb.SetText("")
				return
			}
			lb.SetText(text(id.Row, id.Col))
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

// CreateRenderer lays out the balance on top and the queue and movement
// history in tabs.
func (s *StampsScreen) CreateRenderer() fyne.WidgetRenderer {
	lowRow := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Avisar cuando queden")), s.saveLow, s.threshold)
	balance := container.NewVBox(
		container.NewBorder(nil, nil, nil, s.refresh, container.NewHBox(s.balance, s.asOf)),
		s.lowWarning, s.pacs, s.failover, lowRow)

	actions := container.NewHBox(s.retry, s.showError, s.open, s.redate)
	queueTop := container.NewVBox(s.filter, actions)
	drain := container.NewBorder(nil, nil, s.drainText, nil, s.drainBar)
	queue := container.NewBorder(queueTop, container.NewVBox(drain, s.status), nil, nil, s.table)

	movTop := container.NewVBox(s.period, s.custom)
	movements := container.NewBorder(movTop, s.movStatus, nil, nil, s.movTable)

	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Cola de timbrado"), theme.UploadIcon(), queue),
		container.NewTabItemWithIcon(lang.L("Movimientos"), theme.ListIcon(), movements))
	return widget.NewSimpleRenderer(container.NewBorder(container.NewVBox(balance, widget.NewSeparator()), nil, nil, nil, tabs))
}

// Reload loads balance, queue and movements off the UI goroutine and starts
// following the queue (drain progress, rows changing state) until Close.
func (s *StampsScreen) Reload() {
	s.reloadBalance()
	s.reloadQueue()
	s.reloadMovements()
	if !s.watching {
		s.watching = true
		ctx, cancel := context.WithCancel(context.Background())
		s.stop = cancel
		s.goAsync(func() { s.watch(ctx) })
	}
}

// Changed follows the data (app's changeListener): when a document of this
// issuer changed, or its stamp balance did, the balance, the queue and the
// movements are read again.
func (s *StampsScreen) Changed(events []event.Event) {
	for _, e := range events {
		if e.IssuerRFC == "" || e.IssuerRFC == s.issuer {
			s.reloadBalance()
			s.reloadQueue()
			s.reloadMovements()
			return
		}
	}
}

// Close stops following the queue.
func (s *StampsScreen) Close() {
	if s.stop != nil {
		s.stop()
	}
}

// goAsync runs fn on a new goroutine and counts it until it returns, so
// tests can wait for the screen's background work before the app goes away.
func (s *StampsScreen) goAsync(fn func()) {
	s.background.Add(1)
	go func() {
		defer s.background.Add(-1)
		fn()
	}()
}

// window is where dialogs are shown.
func (s *StampsScreen) window() fyne.Window {
	if s.deps.Window != nil {
		return s.deps.Window
	}
	return widgets.WindowOf(s)
}

// ---- balance ----

// balanceView is the balance section, already formatted.
type balanceView struct {
	known              bool
	amount, when, warn string
	threshold          int64
}

// loadBalance reads the last known balance (live from the PAC when live is
// true) and the low-balance threshold; it is synchronous and UI-free.
func (s *StampsScreen) loadBalance(ctx context.Context, live bool) (balanceView, error) {
	var v balanceView
	n, err := s.deps.Store.LowThreshold(ctx, s.issuer)
	if err != nil {
		return v, err
	}
	v.threshold = n
	var b stamping.Balance
	if live {
		b, err = s.deps.Ledger.Balance(ctx, s.issuer)
		v.known = err == nil
	} else {
		b, v.known, err = s.deps.Store.LastBalance(ctx, s.issuer)
	}
	if err != nil {
		return v, err
	}
	if !v.known {
		v.amount = lang.L("Saldo de timbres sin consultar")
		return v, nil
	}
	if b.Unlimited {
		v.amount = lang.L("Saldo: timbres ilimitados")
	} else {
		v.amount = lang.L("Saldo: {{.Stamps}} timbres", map[string]any{"Stamps": b.Stamps})
	}
	if b.Live {
		v.when = lang.L("consultado el {{.When}}", map[string]any{"When": dateText(b.AsOf)})
	} else {
		v.when = lang.L("último saldo conocido, del {{.When}}", map[string]any{"When": dateText(b.AsOf)})
	}
	low, err := s.deps.Ledger.Low(ctx, b)
	if err != nil {
		return v, err
	}
	if low {
		v.warn = lang.L("Saldo bajo: quedan {{.Stamps}} timbres y el aviso está en {{.Threshold}}. Compre timbres a su PAC para no detener la facturación.",
			map[string]any{"Stamps": b.Stamps, "Threshold": n})
	}
	return v, nil
}

func (s *StampsScreen) reloadBalance() { s.runBalance(false); s.runPACs(false) }

// refreshBalance asks the PAC accounts for their balances.
func (s *StampsScreen) refreshBalance() { s.runBalance(true); s.runPACs(true) }

func (s *StampsScreen) runBalance(live bool) {
	s.refresh.Disable()
	if live {
		s.asOf.SetText(lang.L("Consultando al PAC…"))
	}
	s.goAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		v, err := s.loadBalance(ctx, live)
		fyne.Do(func() {
			s.refresh.Enable()
			if err != nil {
				s.asOf.SetText(domain.UserMessage(err))
				return
			}
			s.applyBalance(v)
		})
	})
}

func (s *StampsScreen) applyBalance(v balanceView) {
	s.balance.SetText(v.amount)
	s.asOf.SetText(v.when)
	if v.warn == "" {
		s.lowWarning.Hide()
	} else {
		s.lowWarning.SetText(v.warn)
		s.lowWarning.Show()
	}
	s.threshold.SetText(strconv.FormatInt(v.threshold, 10))
}

// parseThreshold reads the low-balance threshold typed by the user.
func parseThreshold(text string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || n < 0 {
		return 0, domain.E(domain.Invalid, "stamps.parseThreshold", lang.L("Escriba un número entero de timbres, cero o mayor."), err)
	}
	return n, nil
}

// saveThreshold stores the low-balance threshold and shows the balance
// again with it.
func (s *StampsScreen) saveThreshold() {
	n, err := parseThreshold(s.threshold.Text)
	if err != nil {
		s.asOf.SetText(domain.UserMessage(err))
		return
	}
	s.saveLow.Disable()
	s.goAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := s.deps.Store.SetLowThreshold(ctx, s.issuer, n)
		var v balanceView
		if err == nil {
			v, err = s.loadBalance(ctx, false)
		}
		fyne.Do(func() {
			s.saveLow.Enable()
			if err != nil {
				s.asOf.SetText(domain.UserMessage(err))
				return
			}
			s.applyBalance(v)
		})
	})
}
