package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// StatusBar is the strip at the bottom of the main window: a free message on
// the left, and on the right the progress of long work (such as the first
// load of the SAT catalogs), the number of documents waiting to be stamped
// and the connection to the PAC.
//
// Its methods must be called on the UI goroutine (from event handlers or
// inside fyne.Do).
type StatusBar struct {
	widget.BaseWidget

	message    *widget.Label
	progress   *widget.ProgressBar
	pending    *widget.Label
	connection *widget.Label
	connIcon   *widget.Icon

	online     bool
	knownConn  bool
	pendingN   int
	progressOn bool
}

// NewStatusBar returns an empty status bar: no message, no progress, no
// pending count and no connection state until the matching setter is called.
func NewStatusBar() *StatusBar {
	s := &StatusBar{
		message:    widget.NewLabel(""),
		progress:   widget.NewProgressBar(),
		pending:    widget.NewLabel(""),
		connection: widget.NewLabel(""),
		connIcon:   widget.NewIcon(nil),
	}
	s.message.Truncation = fyne.TextTruncateEllipsis
	s.progress.Hide()
	s.pending.Hide()
	s.connection.Hide()
	s.connIcon.Hide()
	s.ExtendBaseWidget(s)
	return s
}

// SetMessage shows text on the left of the bar; "" clears it.
func (s *StatusBar) SetMessage(text string) {
	s.message.SetText(text)
}

// Message returns the text shown on the left of the bar.
func (s *StatusBar) Message() string { return s.message.Text }

// SetConnection shows whether Folio can reach the PAC.
func (s *StatusBar) SetConnection(online bool) {
	s.online, s.knownConn = online, true
	if online {
		s.connection.SetText(lang.L("En línea"))
		s.connection.Importance = widget.SuccessImportance
		s.connIcon.SetResource(theme.ConfirmIcon())
	} else {
		s.connection.SetText(lang.L("Sin conexión"))
		s.connection.Importance = widget.WarningImportance
		s.connIcon.SetResource(theme.WarningIcon())
	}
	s.connection.Show()
	s.connIcon.Show()
	s.connection.Refresh()
}

// Online reports the last state given to SetConnection and whether one was
// given at all.
func (s *StatusBar) Online() (online, known bool) { return s.online, s.knownConn }

// SetPending shows how many documents wait to be stamped; 0 hides the count.
func (s *StatusBar) SetPending(n int) {
	s.pendingN = n
	if n <= 0 {
		s.pending.Hide()
		return
	}
	s.pending.SetText(lang.L("Por timbrar: {{.Count}}", map[string]any{"Count": n}))
	s.pending.Show()
}

// Pending returns the count given to SetPending.
func (s *StatusBar) Pending() int { return s.pendingN }

// PendingText returns the text shown for the pending count ("" when hidden).
func (s *StatusBar) PendingText() string {
	if s.pending.Hidden {
		return ""
	}
	return s.pending.Text
}

// SetProgress shows a progress bar at done/total. A total of zero or less
// shows an empty bar (the size of the work is not known yet).
func (s *StatusBar) SetProgress(done, total int) {
	v := 0.0
	if total > 0 {
		v = float64(min(max(done, 0), total)) / float64(total)
	}
	s.progressOn = true
	s.progress.SetValue(v)
	s.progress.Show()
}

// HideProgress removes the progress bar once the long work is over.
func (s *StatusBar) HideProgress() {
	s.progressOn = false
	s.progress.Hide()
}

// Progress returns the fraction shown (0…1) and whether the bar is visible.
func (s *StatusBar) Progress() (value float64, visible bool) {
	return s.progress.Value, s.progressOn
}

// CreateRenderer lays the bar out: message | progress, pending, connection.
func (s *StatusBar) CreateRenderer() fyne.WidgetRenderer {
	bar := container.NewGridWrap(fyne.NewSize(180, s.progress.MinSize().Height), s.progress)
	right := container.NewHBox(bar, s.pending, s.connIcon, s.connection)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, right, s.message))
}
