package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
)

// DealerStore is what the Administrador de timbres needs from a store:
// Folio's record of its actions through a dealer account and which
// companies' PAC accounts are dealer accounts.
type DealerStore interface {
	dealer.Store
	dealer.Settings
	SaveCompany(ctx context.Context, c *sales.Company) error
}

// RunDealer runs the contract of the Administrador de timbres against the
// stores open returns (new, empty, fully migrated, closed when t ends).
func RunDealer(t *testing.T, open func(t *testing.T) DealerStore) {
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, s DealerStore)
	}{
		{"DealerActions", testDealerActions},
		{"DealerEnabled", testDealerEnabled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// testDealerActions: actions are listed per dealer, per client and per
// period, oldest first (ties by id), up to a limit, each read back as
// written to the microsecond.
func testDealerActions(t *testing.T, s DealerStore) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, a := range []dealer.Action{
		{Dealer: "d1", At: t0, Kind: dealer.ActionCreate, ClientID: "c1", ClientName: "Uno", In: 10, Balance: 10},
		{Dealer: "d1", At: t0.Add(time.Hour + 1500*time.Microsecond), Kind: dealer.ActionAdd, ClientID: "c1", In: 5, Balance: 15, Folio: 3, Comment: "recarga ñ"},
		{Dealer: "d1", At: t0.Add(2 * time.Hour), Kind: dealer.ActionRemove, ClientID: "c2", Out: 2, Balance: 0},
		{Dealer: "d2", At: t0.Add(time.Hour), Kind: dealer.ActionAdd, ClientID: "c1", In: 1},
		{Dealer: "d1", At: t0.Add(2 * time.Hour).In(time.FixedZone("CST", -6*3600)), Kind: dealer.ActionUseAsPAC, ClientID: "c2", In: 7},
	} {
		if err := s.RecordDealerAction(ctx, &a); err != nil || a.ID == 0 {
			t.Fatalf("record %d: id %d, %v", i, a.ID, err)
		}
	}
	tests := []struct {
		name string
		f    dealer.ActionFilter
		want []int64 // stamps in of each, in order
	}{
		{"all of a dealer, oldest first", dealer.ActionFilter{Dealer: "d1"}, []int64{10, 5, 0, 7}},
		{"one client", dealer.ActionFilter{Dealer: "d1", ClientID: "c1"}, []int64{10, 5}},
		{"a period", dealer.ActionFilter{Dealer: "d1", From: t0.Add(time.Minute), To: t0.Add(2 * time.Hour)}, []int64{5}},
		{"a period from an instant", dealer.ActionFilter{Dealer: "d1", From: t0.Add(2 * time.Hour)}, []int64{0, 7}},
		{"a limit", dealer.ActionFilter{Dealer: "d1", Limit: 2}, []int64{10, 5}},
		{"another dealer", dealer.ActionFilter{Dealer: "d2"}, []int64{1}},
		{"no such dealer", dealer.ActionFilter{Dealer: "d3"}, nil},
	}
	for _, tc := range tests {
		got, err := s.DealerActions(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d actions, want %d", tc.name, len(got), len(tc.want))
		}
		for i := range got {
			if got[i].In != tc.want[i] {
				t.Errorf("%s: action %d in = %d, want %d", tc.name, i, got[i].In, tc.want[i])
			}
		}
	}
	got, _ := s.DealerActions(ctx, dealer.ActionFilter{Dealer: "d1", ClientID: "c1"})
	if a := got[1]; a.Kind != dealer.ActionAdd || a.Comment != "recarga ñ" || a.Folio != 3 || a.Balance != 15 || a.ClientID != "c1" ||
		a.Dealer != "d1" || !a.At.Equal(t0.Add(time.Hour+1500*time.Microsecond)) || a.At.Location() != time.UTC {
		t.Errorf("round trip = %+v", a)
	}
}

// testDealerEnabled: a company's account is not a dealer account until
// flagged, and the flag follows each change, per company.
func testDealerEnabled(t *testing.T, s DealerStore) {
	ctx := context.Background()
	co := sales.DemoCompany()
	if err := s.SaveCompany(ctx, co); err != nil {
		t.Fatal(err)
	}
	other := &sales.Company{RFC: "AAA010101AAA", Nombre: "OTRA EMPRESA", RegimenFiscal: "601", LugarExpedicion: "06300"}
	if err := s.SaveCompany(ctx, other); err != nil {
		t.Fatal(err)
	}
	if on, err := s.DealerEnabled(ctx, co.ID); err != nil || on {
		t.Fatalf("default = %v, %v", on, err)
	}
	for _, want := range []bool{true, false, true} {
		if err := s.SetDealerEnabled(ctx, co.ID, want); err != nil {
			t.Fatal(err)
		}
		if on, err := s.DealerEnabled(ctx, co.ID); err != nil || on != want {
			t.Errorf("enabled = %v, %v; want %v", on, err, want)
		}
	}
	if on, err := s.DealerEnabled(ctx, other.ID); err != nil || on {
		t.Errorf("another company = %v, %v; want not flagged", on, err)
	}
}
