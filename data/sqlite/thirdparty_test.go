package sqlite

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

func mustCreateThirdParty(tb testing.TB, s *Store, p sales.ThirdParty) sales.ThirdParty {
	tb.Helper()
	svc := &sales.ThirdParties{Store: s, Catalogs: testCatalogs(tb)}
	if err := svc.Create(context.Background(), &p); err != nil {
		tb.Fatalf("Create third party %s: %v", p.RFC, err)
	}
	return p
}

func TestThirdPartyRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	in := sales.ThirdParty{Issuer: testIssuer, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612",
		CodigoPostal: "36257", Contact: "Xóchitl", Email: "x@example.com", Phone: "55 1234 5678", Bank: "BANORTE",
		BankAccount: "072180001234567891", Notes: "Agente aduanal", Active: true}
	p := mustCreateThirdParty(t, s, in)
	got, err := s.FindThirdPartyByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.ID, want.CreatedAt, want.UpdatedAt = p.ID, salesClock, salesClock
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FindThirdPartyByID = %+v\nwant %+v", got, want)
	}

	// The same RFC is a Conflict in the same company, fine in another.
	if err := s.CreateThirdParty(ctx, &sales.ThirdParty{Issuer: testIssuer, RFC: in.RFC, Name: "OTRO",
		RegimenFiscal: "612", CodigoPostal: "36257", Active: true}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate RFC: %v, want Conflict", err)
	}
	other := in
	other.Issuer = "IIA040805DZ4"
	if err := s.CreateThirdParty(ctx, &other); err != nil {
		t.Errorf("same RFC in another company: %v", err)
	}

	got.Name = "XOCHILT CASAS CHÁVEZ"
	if err := s.UpdateThirdParty(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if err := s.SetThirdPartyActive(ctx, got.ID, false); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindThirdPartyByID(ctx, got.ID)
	if again.Name != got.Name || again.Active || again.Issuer != testIssuer {
		t.Errorf("after update = %+v", again)
	}
	if _, err := s.FindThirdPartyByID(ctx, 999); domain.KindOf(err) != domain.NotFound {
		t.Errorf("missing: %v, want NotFound", err)
	}
	if err := s.SetThirdPartyActive(ctx, 999, true); domain.KindOf(err) != domain.NotFound {
		t.Errorf("activate missing: %v, want NotFound", err)
	}
	missing := sales.ThirdParty{ID: 999}
	if err := s.UpdateThirdParty(ctx, &missing); domain.KindOf(err) != domain.NotFound {
		t.Errorf("update missing: %v, want NotFound", err)
	}
}

func TestFindThirdParties(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	for _, p := range []sales.ThirdParty{
		{RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHÁVEZ", RegimenFiscal: "612", CodigoPostal: "36257"},
		{RFC: "IIA040805DZ4", Name: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscal: "601", CodigoPostal: "62661"},
		{RFC: "URE180429TM6", Name: "UNIVERSIDAD ROBÓTICA ESPAÑOLA", RegimenFiscal: "601", CodigoPostal: "86991"},
	} {
		p.Issuer = testIssuer
		mustCreateThirdParty(t, s, p)
	}
	// Another company's third party never shows.
	mustCreateThirdParty(t, s, sales.ThirdParty{Issuer: "IIA040805DZ4", RFC: "URE180429TM6",
		Name: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscal: "601", CodigoPostal: "86991"})
	list, _ := s.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: testIssuer, Query: "URE"})
	if len(list) != 1 {
		t.Fatalf("URE → %d rows", len(list))
	}
	if err := s.SetThirdPartyActive(ctx, list[0].ID, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query    string
		inactive bool
		want     []string // RFCs in name order
	}{
		{"", false, []string{"IIA040805DZ4", "CACX7605101P8"}},
		{"", true, []string{"IIA040805DZ4", "URE180429TM6", "CACX7605101P8"}},
		{"chavez", false, []string{"CACX7605101P8"}},  // accent-insensitive
		{"ilum alm", false, []string{"IIA040805DZ4"}}, // word prefixes
		{"robotica", false, nil},                      // inactive
		{"robotica", true, []string{"URE180429TM6"}},  // … unless asked for
		{"cacx76", false, []string{"CACX7605101P8"}},  // RFC prefix
		{"zzz", true, nil},
	}
	for _, tt := range tests {
		list, err := s.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: testIssuer, Query: tt.query, IncludeInactive: tt.inactive})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range list {
			got = append(got, p.RFC)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FindThirdParties(%q, inactive %v) = %v, want %v", tt.query, tt.inactive, got, tt.want)
		}
	}
}

// TestInvoiceThirdPartyRoundTrip: a draft's third-party lines, sale
// details and collect-from customer survive saving, re-saving and posting.
func TestInvoiceThirdPartyRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	mustCreateSeries(t, s, "A", "I")
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	payer := mustCreateCustomer(t, s, sales.DemoCustomers()[1])
	// Not the customer's RFC: SAT refuses a third party that is the
	// receptor (CFDI40188).
	tp := mustCreateThirdParty(t, s, sales.ThirdParty{Issuer: testIssuer, RFC: "IIA040805DZ4",
		Name: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscal: "601", CodigoPostal: "62661"})

	d := draftFor(c, "A")
	onBehalf := d.Lines[0]
	onBehalf.ThirdParty = tp.Ref()
	d.Lines = append(d.Lines, onBehalf)
	ship := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	d.Details = &sales.SaleDetails{Branch: "MATRIZ", Seller: "ANA", Responsible: "LUIS", CollectFromID: payer.ID,
		ShipTo: "Bodega 4, Manzanillo",
		Shipping: sales.Shipping{Vessel: "MSC ANNA", Voyage: "V123", Container: "MSCU1234567", Seal: "S-99",
			ExitPort: "Manzanillo", DestinationPort: "Long Beach", Terms: "Prepagado", ContactName: "Pedro",
			ContactReach: "pedro@example.com", Incoterm: "FOB", ShipDate: ship, DispatchDate: ship.AddDate(0, 0, 2)},
		Management: sales.Management{GeneratedBy: "ANA", GeneratedByID: "INE 123", VehiclePlate: "ABC-123",
			ReceivedBy: "JUAN", ReceivedByID: "INE 456", Observations: "Frágil\nNo apilar"},
		Sellers: []sales.SellerShare{{Name: "ANA", Percent: dec("60")}, {Name: "LUIS", Percent: dec("12.5")}}}
	d = mustSaveDraft(t, s, d)

	check := func(when string, got sales.Invoice, want *sales.ThirdPartyRef) {
		t.Helper()
		if len(got.Lines) != 2 || got.Lines[0].ThirdParty != nil || got.Lines[1].ThirdParty == nil ||
			*got.Lines[1].ThirdParty != *want {
			t.Fatalf("%s: lines' third parties = %+v, %+v; want nil, %+v", when, got.Lines[0].ThirdParty, got.Lines[1].ThirdParty, *want)
		}
		if !reflect.DeepEqual(got.Details, d.Details) {
			t.Errorf("%s: Details = %+v\nwant %+v", when, got.Details, d.Details)
		}
		if got.ReceivableCustomerID() != payer.ID {
			t.Errorf("%s: ReceivableCustomerID = %d, want %d", when, got.ReceivableCustomerID(), payer.ID)
		}
	}
	got, err := s.FindInvoiceByID(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("saved", got, tp.Ref())
	if err := s.SaveDraft(ctx, &got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindInvoiceByID(ctx, d.ID)
	check("saved again", again, tp.Ref())

	// A change of the catalog before posting is what the post seals: the
	// snapshot is taken again inside the posting transaction.
	tp2 := tp
	tp2.Name = "INDISTRIA ILUMINADORA DE ALMACENES SA"
	if err := s.UpdateThirdParty(ctx, &tp2); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSalesSettings(ctx, testIssuer, sales.SalesSettings{ThirdParties: true, MultipleSellers: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := postDraft(t, s, d.ID, sales.PostOptions{}, salesClock); err != nil {
		t.Fatal(err)
	}
	posted, _ := s.FindInvoiceByID(ctx, d.ID)
	check("posted", posted, tp2.Ref())
	// A later change of the catalog does not change the posted snapshot.
	tp3 := tp2
	tp3.Name = "OTRO NOMBRE"
	if err := s.UpdateThirdParty(ctx, &tp3); err != nil {
		t.Fatal(err)
	}
	posted, _ = s.FindInvoiceByID(ctx, d.ID)
	check("after a later catalog change", posted, tp2.Ref())

	// An ordinary invoice has no details and its lines no third party.
	plain := mustSaveDraft(t, s, draftFor(c, "A"))
	p, _ := s.FindInvoiceByID(ctx, plain.ID)
	if p.Details != nil || p.Lines[0].ThirdParty != nil || p.ReceivableCustomerID() != c.ID {
		t.Errorf("ordinary invoice: Details %+v, line third party %+v", p.Details, p.Lines[0].ThirdParty)
	}
	// Details with only a collect-from customer come back as such.
	only := draftFor(c, "A")
	only.Details = &sales.SaleDetails{CollectFromID: payer.ID}
	only = mustSaveDraft(t, s, only)
	o, _ := s.FindInvoiceByID(ctx, only.ID)
	if !reflect.DeepEqual(o.Details, only.Details) {
		t.Errorf("collect-from only: %+v, want %+v", o.Details, only.Details)
	}
}

func TestSalesSettings(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	if got, err := s.SalesSettings(ctx, testIssuer); err != nil || got != (sales.SalesSettings{}) {
		t.Fatalf("unset = %+v, %v; want zero", got, err)
	}
	for _, st := range []sales.SalesSettings{{ThirdParties: true}, {ThirdParties: true, MultipleSellers: true}, {MultipleSellers: true}, {}} {
		if err := s.SetSalesSettings(ctx, testIssuer, st); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SalesSettings(ctx, testIssuer); err != nil || got != st {
			t.Errorf("after Set(%+v) = %+v, %v", st, got, err)
		}
	}
	// Per company.
	if err := s.SetSalesSettings(ctx, "IIA040805DZ4", sales.SalesSettings{ThirdParties: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SalesSettings(ctx, testIssuer); got != (sales.SalesSettings{}) {
		t.Errorf("another company's settings leaked: %+v", got)
	}
	if err := s.SetSalesSettings(ctx, " ", sales.SalesSettings{}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("no issuer: %v, want Invalid", err)
	}
}
