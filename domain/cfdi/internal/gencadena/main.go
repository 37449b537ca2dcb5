// Command gencadena reads SAT's cadenaoriginal_4_0.xslt and the complement
// stylesheets it includes, from the SAT reference pack, and writes the
// templates as Go data for domain/cfdi (complementos_gen.go). Run it through
// `go generate ./domain/cfdi` after replacing the pack's xslt/ folder with a
// new SAT version. It fails, naming the file and the construct, on any XSLT
// it does not understand.
//
// With -fixtures DIR it also writes one synthetic instance per complement
// root element (every attribute and child path the templates read, repeated
// children, values that need escaping and white-space normalisation) for the
// byte-for-byte tests against the XSLT; existing files are left alone.
//
// Usage (from domain/cfdi):
//
//	go run ./internal/gencadena [-pack DIR] [-o FILE] [-fixtures DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/folio-mx/folio/domain/cfdi/internal/xsltgen"
)

func main() {
	pack := flag.String("pack", "", "SAT reference pack folder (default: $FOLIO_SAT_PACK, or shared/sat or ../shared/sat above the current folder)")
	out := flag.String("o", "complementos_gen.go", "output Go file")
	fixtures := flag.String("fixtures", "", "also write missing test fixtures into this folder")
	flag.Parse()
	if err := run(*pack, *out, *fixtures); err != nil {
		fmt.Fprintln(os.Stderr, "gencadena:", err)
		os.Exit(1)
	}
}

func run(pack, out, fixtures string) error {
	if pack == "" {
		pack = xsltgen.FindPack()
		if pack == "" {
			return fmt.Errorf("SAT reference pack not found; pass -pack or set FOLIO_SAT_PACK")
		}
	}
	p, err := xsltgen.Load(pack)
	if err != nil {
		return err
	}
	src, err := p.Go()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return err
	}
	if fixtures == "" {
		return nil
	}
	if err := os.MkdirAll(fixtures, 0o755); err != nil {
		return err
	}
	for _, f := range p.Fixtures() {
		path := filepath.Join(fixtures, f.Name)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		if err := os.WriteFile(path, f.XML, 0o644); err != nil {
			return err
		}
	}
	return nil
}
