package widgets

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/folio-mx/folio/app/translation"
)

func TestStatusBar(t *testing.T) {
	test.NewTempApp(t)
	translation.Load()
	s := NewStatusBar()
	test.NewWindow(s)

	if _, known := s.Online(); known || s.connection.Visible() {
		t.Error("connection shown before SetConnection")
	}
	if _, visible := s.Progress(); visible {
		t.Error("progress shown before SetProgress")
	}

	s.SetMessage("Catálogos del SAT listos.")
	if got := s.Message(); got != "Catálogos del SAT listos." {
		t.Errorf("Message() = %q", got)
	}

	s.SetConnection(false)
	if online, known := s.Online(); online || !known || !slices.Contains([]string{"Sin conexión", "Offline"}, s.connection.Text) {
		t.Errorf("offline: online=%v known=%v text=%q", online, known, s.connection.Text)
	}
	s.SetConnection(true)
	if online, _ := s.Online(); !online || !slices.Contains([]string{"En línea", "Online"}, s.connection.Text) {
		t.Errorf("online: text=%q", s.connection.Text)
	}

	tests := []struct {
		n    int
		want string
	}{
		{3, "Por timbrar: 3|To stamp: 3"},
		{0, ""},
		{-1, ""},
	}
	for _, tt := range tests {
		s.SetPending(tt.n)
		if got := s.PendingText(); got != tt.want && !slices.Contains(strings.Split(tt.want, "|"), got) {
			t.Errorf("SetPending(%d): text %q, want %q", tt.n, got, tt.want)
		}
	}

	progress := []struct {
		done, total int
		want        float64
	}{
		{0, 0, 0},
		{5, 20, 0.25},
		{30, 20, 1}, // clamped
		{-3, 20, 0},
	}
	for _, tt := range progress {
		s.SetProgress(tt.done, tt.total)
		if got, visible := s.Progress(); got != tt.want || !visible {
			t.Errorf("SetProgress(%d, %d) = %v visible %v, want %v", tt.done, tt.total, got, visible, tt.want)
		}
	}
	s.HideProgress()
	if _, visible := s.Progress(); visible || s.progress.Visible() {
		t.Error("progress still visible after HideProgress")
	}
}
