package sat_test

import (
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/sat"
)

// BenchmarkSearch is a keystroke in the product form's c_ClaveProdServ
// picker on a server (the window searches the embedded catalogs in
// memory there): a key prefix and words, after the first search built the
// words.
func BenchmarkSearch(b *testing.B) {
	c, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Search(sat.ClaveProdServ, "tornillo", 50); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"4321", "tornillo de ojo", "computadora"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if got, err := c.Search(sat.ClaveProdServ, q, 50); err != nil || len(got) == 0 {
					b.Fatalf("%q: %d entries, %v", q, len(got), err)
				}
			}
		})
	}
}
