package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/dealer"
)

func TestDealerActions(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	// Given actions of two dealers and two clients.
	for i, a := range []dealer.Action{
		{Dealer: "d1", At: t0, Kind: dealer.ActionCreate, ClientID: "c1", ClientName: "Uno", In: 10, Balance: 10},
		{Dealer: "d1", At: t0.Add(time.Hour), Kind: dealer.ActionAdd, ClientID: "c1", In: 5, Balance: 15, Folio: 3, Comment: "recarga"},
		{Dealer: "d1", At: t0.Add(2 * time.Hour), Kind: dealer.ActionRemove, ClientID: "c2", Out: 2, Balance: 0},
		{Dealer: "d2", At: t0.Add(time.Hour), Kind: dealer.ActionAdd, ClientID: "c1", In: 1},
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
		{"all of a dealer, oldest first", dealer.ActionFilter{Dealer: "d1"}, []int64{10, 5, 0}},
		{"one client", dealer.ActionFilter{Dealer: "d1", ClientID: "c1"}, []int64{10, 5}},
		{"a period", dealer.ActionFilter{Dealer: "d1", From: t0.Add(time.Minute), To: t0.Add(2 * time.Hour)}, []int64{5}},
		{"another dealer", dealer.ActionFilter{Dealer: "d2"}, []int64{1}},
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
	if a := got[1]; a.Kind != dealer.ActionAdd || a.Comment != "recarga" || a.Folio != 3 || a.Balance != 15 || !a.At.Equal(t0.Add(time.Hour)) {
		t.Errorf("round trip = %+v", a)
	}
}

func TestDealerEnabled(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	co := saveCompany(t, s, "EKU9003173C9", "ESCUELA KEMPER URGATE", "601").ID
	if on, err := s.DealerEnabled(ctx, co); err != nil || on {
		t.Fatalf("default = %v, %v", on, err)
	}
	for _, want := range []bool{true, false, true} {
		if err := s.SetDealerEnabled(ctx, co, want); err != nil {
			t.Fatal(err)
		}
		if on, _ := s.DealerEnabled(ctx, co); on != want {
			t.Errorf("enabled = %v, want %v", on, want)
		}
	}
}
