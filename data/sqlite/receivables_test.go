package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/receivables"
	"github.com/shopspring/decimal"
)

// TestOpenGroupsBucketAsTheDomain: the store's one-pass sums put every open
// balance in the bucket receivables.BucketOf gives its due date, with the
// same counts and exact sums, for due dates on every day from 170 days
// late to 30 days ahead, whatever the hour of the day asked for.
func TestOpenGroupsBucketAsTheDomain(t *testing.T) {
	ctx := context.Background()
	for _, asOf := range []time.Time{
		time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 8, 5, 59, 0, 0, time.UTC), // still 7 December in Mexico City
		time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC),  // a day as such
	} {
		s := seedReceivables(t, 6000, 40, 2, asOf)
		type key struct {
			customer int64
			moneda   string
			bucket   receivables.Bucket
		}
		type sum struct {
			n    int
			open decimal.Decimal
		}
		want := map[key]sum{}
		rows, err := s.ReadDB().Query(`SELECT customer_id, moneda, due_date, open_micro FROM invoices WHERE open_micro <> 0`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k key
			var due string
			var open int64
			if err := rows.Scan(&k.customer, &k.moneda, &due, &open); err != nil {
				t.Fatal(err)
			}
			d, err := time.Parse(receivables.DateLayout, due)
			if err != nil {
				t.Fatal(err)
			}
			k.bucket = receivables.BucketOf(d, asOf)
			w := want[k]
			w.n, w.open = w.n+1, w.open.Add(fromMicro(open))
			want[k] = w
		}
		rows.Close()
		groups, err := s.OpenGroups(ctx, testIssuer, 0, asOf)
		if err != nil {
			t.Fatal(err)
		}
		got := map[key]sum{}
		for _, g := range groups {
			k := key{g.CustomerID, g.Moneda, g.Bucket}
			w := got[k]
			w.n, w.open = w.n+g.Invoices, w.open.Add(g.Open)
			got[k] = w
		}
		buckets := map[receivables.Bucket]bool{}
		for k, w := range want {
			buckets[k.bucket] = true
			if g := got[k]; g.n != w.n || !g.open.Equal(w.open) {
				t.Errorf("asOf %s, %+v: store %d %s, domain %d %s", asOf, k, g.n, g.open, w.n, w.open)
			}
		}
		if len(got) != len(want) || len(buckets) != int(receivables.NumBuckets) {
			t.Errorf("asOf %s: %d groups from the store, %d by the domain, %d buckets", asOf, len(got), len(want), len(buckets))
		}
	}
}
