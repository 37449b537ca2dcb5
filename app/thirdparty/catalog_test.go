package thirdparty

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain/event"
	"github.com/folio-mx/folio/domain/sales"
)

func TestCatalogCreateValidateDeactivate(t *testing.T) {
	f := newFixture(t)
	l := NewCatalogList(f.tps, testCatalogs(t), f.co.RFC)
	w := test.NewWindow(l)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1366, 768))
	l.Reload()
	f.q.RunUntil(t, "two third parties listed", func() bool { return len(l.List.Rows()) == 2 })

	// Searching by RFC prefix.
	test.Type(l.List.Search, "IIA")
	f.q.RunUntil(t, "search", func() bool { return len(l.List.Rows()) == 1 && l.List.Rows()[0].rfc == "IIA040805DZ4" })
	l.List.Search.SetText("")
	f.q.RunUntil(t, "all again", func() bool { return len(l.List.Rows()) == 2 })

	// A new third party with every SAT problem: each is said under its
	// field, in Spanish, and nothing is stored.
	test.Tap(l.List.New)
	fm := l.Form()
	if fm == nil || !fm.Dialog().Visible() {
		t.Fatal("Nuevo tercero did not open the form")
	}
	test.Type(fm.RFC, "XAXX010101000")
	test.Type(fm.CP, "00000")
	test.Type(fm.Email, "no es correo")
	fm.Dialog().Save()
	f.q.RunUntil(t, "problems shown", func() bool { return fm.Dialog().Field("RFC").Error() != "" })
	for key, want := range map[string]string{"RFC": "genéricos", "Name": "Escriba el nombre", "RegimenFiscal": "Elija un régimen",
		"CodigoPostal": "no existe", "Email": "no es válida"} {
		if got := fm.Dialog().Field(key).Error(); !strings.Contains(got, want) {
			t.Errorf("%s error = %q, want it to mention %q", key, got, want)
		}
	}
	// Fixed, it is stored and listed.
	fm.RFC.SetText("")
	test.Type(fm.RFC, "ekv9102057c6") // upper-cased on save
	test.Type(fm.Name, "EKV SERVICIOS ADUANALES")
	for i, k := range fm.Regimen.keys {
		if k == "601" {
			fm.Regimen.SetSelectedIndex(i)
		}
	}
	fm.CP.SetText("06300")
	fm.Email.SetText("pagos@ekv.mx")
	test.Type(fm.Bank, "BBVA")
	test.Type(fm.Account, "012180001234567897")
	fm.Dialog().Save()
	f.q.RunUntil(t, "saved and listed", func() bool { return !fm.Dialog().Visible() && len(l.List.Rows()) == 3 })
	got, err := f.tps.List(context.Background(), sales.ThirdPartyFilter{Issuer: f.co.RFC, Query: "EKV"})
	if err != nil || len(got) != 1 || got[0].RFC != "EKV9102057C6" || got[0].BankAccount != "012180001234567897" || !got[0].Active {
		t.Fatalf("stored = %+v, %v", got, err)
	}

	// Deactivated, it leaves the list (and the document form's choices).
	for i, r := range l.List.Rows() {
		if r.rfc == "EKV9102057C6" {
			l.List.Table.Select(widget.TableCellID{Row: i})
		}
	}
	test.Tap(l.List.Toggle)
	f.q.RunUntil(t, "deactivated", func() bool { return len(l.List.Rows()) == 2 })
	test.Tap(l.List.Inactive)
	f.q.RunUntil(t, "inactive shown", func() bool { return len(l.List.Rows()) == 3 })
	for _, r := range l.List.Rows() {
		if r.rfc == "EKV9102057C6" && r.estado != "Baja" {
			t.Errorf("estado = %q, want Baja", r.estado)
		}
	}
}

func TestAreaTabs(t *testing.T) {
	f := newFixture(t)
	deps := AreaDeps{Form: f.deps, List: f.store, Catalog: f.tps, Rules: testCatalogs(t)}
	a := NewArea(deps, f.co)
	var titles []string
	for _, it := range a.Tabs.Items {
		titles = append(titles, it.Text)
	}
	if got := strings.Join(titles, "|"); got != "Listado|Documento|Terceros" {
		t.Errorf("tabs without the optional screens = %s", got)
	}
	deps.Balances = func() fyne.CanvasObject { return widget.NewLabel("saldos") }
	deps.Commissions = func() fyne.CanvasObject { return container.NewStack() }
	a = NewArea(deps, f.co)
	titles = nil
	for _, it := range a.Tabs.Items {
		titles = append(titles, it.Text)
	}
	if got := strings.Join(titles, "|"); got != "Listado|Documento|Terceros|Saldos|Comisiones" {
		t.Errorf("tabs with balances and commissions = %s", got)
	}

	// A saved document is listed; opening it shows it in "Documento".
	w := test.NewWindow(a)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1366, 900))
	a.Reload()
	f.q.RunUntil(t, "form loaded", func() bool { return a.Form.Serie.Selected == "A" && len(a.Form.tps) == 2 })
	a.Tabs.SelectIndex(1)
	draftWithItems(t, f, a.Form, w, "xoch", "CACX7605101P8")
	a.Save() // Ctrl+S reaches the form through the area
	f.q.RunUntil(t, "saved", func() bool { return a.Form.inv.ID != 0 && !a.Form.busy })
	id := a.Form.inv.ID
	a.Form.Reset()
	if a.Form.Number.Text != "PDF-nuevo" {
		t.Errorf("after Nuevo the number is %q", a.Form.Number.Text)
	}
	a.Tabs.SelectIndex(0)
	a.List.OnOpen(id)
	f.q.RunUntil(t, "opened in Documento", func() bool { return a.Form.inv.ID == id })
	if a.Tabs.Selected().Text != "Documento" || len(a.Form.Third.rows) != 1 {
		t.Errorf("tab %q, third rows %d", a.Tabs.Selected().Text, len(a.Form.Third.rows))
	}
}

// reloadCounter is a report tab that counts its reloads.
type reloadCounter struct {
	widget.Label
	n int
}

func (r *reloadCounter) Reload() { r.n++ }

// TestAreaFollowsChanges: the report tabs reload when one of the
// company's documents is posted, stamped or cancelled, not when a draft
// changes, an e-mail goes out or another company's document moves; and
// when one of its payouts is recorded or cancelled (on another
// workstation).
func TestAreaFollowsChanges(t *testing.T) {
	f := newFixture(t)
	tab := &reloadCounter{}
	tab.ExtendBaseWidget(tab)
	deps := AreaDeps{Form: f.deps, List: f.store, Catalog: f.tps, Rules: testCatalogs(t),
		Balances: func() fyne.CanvasObject { return tab }}
	a := NewArea(deps, f.co)
	for _, c := range []struct {
		ev   event.Event
		want int
	}{
		{event.Event{Kind: event.DocumentDraftSaved, IssuerRFC: f.co.RFC}, 0},
		{event.Event{Kind: event.DeliverySent, IssuerRFC: f.co.RFC}, 0},
		{event.Event{Kind: event.DocumentPosted, IssuerRFC: "AAA010101AAA"}, 0},
		{event.Event{Kind: event.DocumentPosted, IssuerRFC: f.co.RFC}, 1},
		{event.Event{Kind: event.DocumentStamped, IssuerRFC: f.co.RFC}, 2},
		{event.Event{Kind: event.CancellationAnswered, IssuerRFC: f.co.RFC}, 3},
		{event.Event{Kind: event.Resync}, 4},
		{event.Event{Kind: event.ThirdPartyPayout, IssuerRFC: f.co.RFC}, 5}, // another workstation paid a third party
		{event.Event{Kind: event.ThirdPartyPayout, IssuerRFC: "AAA010101AAA"}, 5},
	} {
		a.Changed([]event.Event{c.ev})
		if tab.n != c.want {
			t.Errorf("after %s of %q: %d reloads, want %d", c.ev.Kind, c.ev.IssuerRFC, tab.n, c.want)
		}
	}
	f.q.Drain(time.Second)
}
