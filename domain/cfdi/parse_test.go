package cfdi

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/testpack"
)

// TestParseRefuses: hostile, foreign and broken input is refused with an
// Invalid domain.Error and a Spanish message; nothing is expanded.
func TestParseRefuses(t *testing.T) {
	valid, err := Marshal(invoice(1))
	if err != nil {
		t.Fatal(err)
	}
	body := string(valid[bytes.IndexByte(valid, '\n')+1:])
	tests := []struct {
		name    string
		in      []byte
		wantMsg string
	}{
		// hostile
		{"doctype", []byte(`<?xml version="1.0"?><!DOCTYPE c [<!ELEMENT c ANY>]>` + body), "DOCTYPE"},
		{"billion laughs", []byte(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>`), "DOCTYPE"},
		{"external entity", []byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + strings.Replace(body, `Folio="1024"`, `Folio="&e;"`, 1)), "DOCTYPE"},
		{"entity only", []byte(`<!ENTITY e "x">`), "ENTITY"},
		{"undeclared entity", []byte(strings.Replace(body, `Folio="1024"`, `Folio="&nbsp;"`, 1)), "bien formado"},
		{"oversized", append(bytes.Repeat([]byte(" "), MaxSize), valid...), "20 MB"},
		// other versions and documents
		{"cfdi 3.3", []byte(`<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3" Version="3.3"/>`), "El archivo es un CFDI versión 3.3; Folio lee CFDI 4.0."},
		{"cfdi 3.2", []byte(`<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3" version="3.2"/>`), "El archivo es un CFDI versión 3.2; Folio lee CFDI 4.0."},
		{"version 4.1", []byte(strings.Replace(body, `Version="4.0"`, `Version="4.1"`, 1)), `Version="4.1"`},
		{"not a cfdi", []byte(`<factura/>`), "no es un CFDI 4.0"},
		{"retenciones", []byte(`<retenciones:Retenciones xmlns:retenciones="http://www.sat.gob.mx/esquemas/retencionpago/2" Version="2.0"/>`), "no es un CFDI 4.0"},
		// broken
		{"empty", nil, "no contiene un comprobante"},
		{"truncated", valid[:len(valid)/2], "bien formado"},
		{"two roots", append(append([]byte{}, valid...), []byte(body)...), "bien formado"},
		{"latin1 declared", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + body), "bien formado"},
		{"mismatched tags", []byte(strings.Replace(body, "</cfdi:Conceptos>", "</cfdi:Concepto>", 1)), "bien formado"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse = %+v, want error", c)
			}
			if k := domain.KindOf(err); k != domain.Invalid {
				t.Errorf("kind = %v, want invalid (%v)", k, err)
			}
			if msg := domain.UserMessage(err); !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", msg, tc.wantMsg)
			}
		})
	}
}

// TestParseVariants: the same document written in other legal ways reads
// into the same model.
func TestParseVariants(t *testing.T) {
	c := allNodes()
	c.Sello, c.NoCertificado, c.Certificado = "c2VsbG8=", "30001000000500003416", "Y2VydA=="
	canonical, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	s := string(canonical)
	tests := []struct {
		name string
		in   string
	}{
		{"canonical", s},
		{"bom", "\ufeff" + s},
		{"crlf", strings.ReplaceAll(s, "\n", "\r\n")},
		{"no declaration, no indentation", compact(s)},
		{"other prefix", strings.NewReplacer("cfdi:", "c4:", "xmlns:cfdi=", "xmlns:c4=").Replace(s)},
		{"default namespace", strings.NewReplacer("<cfdi:", "<", "</cfdi:", "</", "xmlns:cfdi=", "xmlns=").Replace(s)},
		{"character references", strings.Replace(s, `Rfc="EKU9003173C9"`, `Rfc="&#69;&#x4B;U9003173C9"`, 1)},
		{"single quotes", strings.Replace(s, `Moneda="MXN"`, `Moneda='MXN'`, 1)},
		{"comments and PIs", strings.Replace(s, "<cfdi:Emisor", "<!-- emisor --><?folio x?><cfdi:Emisor", 1)},
		{"unknown attribute", strings.Replace(s, `<cfdi:Emisor `, `<cfdi:Emisor Extra="1" `, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if tc.name == "crlf" {
				// CRLF inside the Addenda stays verbatim; attribute values are unaffected.
				got.Addenda = c.Addenda
			}
			if !reflect.DeepEqual(got, c) {
				t.Errorf("model differs\n got: %+v\nwant: %+v", got, c)
			}
		})
	}
}

func compact(s string) string {
	s = s[strings.IndexByte(s, '\n')+1:]
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimLeft(line, " "))
	}
	return b.String()
}

// TestParseAddendaNamespaces: prefixes declared on the root and used in the
// Addenda travel with it (sample 08).
func TestParseAddendaNamespaces(t *testing.T) {
	c, err := Parse(testpack.Read(t, "samples", "08-ingreso-con-addenda.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want := "\n    <dvz:diverza xmlns:dvz=\"http://www.diverza.com/ns/addenda/diverza/1\" version=\"1.1\">\n      <dvz:generales tipoDocumento=\"Factura\"/>\n    </dvz:diverza>\n  "
	if string(c.Addenda) != want {
		t.Errorf("Addenda = %q, want %q", c.Addenda, want)
	}
}

// TestCheckRequired: missing attributes and nodes are all reported.
func TestCheckRequired(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Comprobante)
		want   []string
	}{
		{"complete", func(*Comprobante) {}, nil},
		{"exportacion", func(c *Comprobante) { c.Exportacion = "" }, []string{"Exportacion en cfdi:Comprobante"}},
		{"several", func(c *Comprobante) {
			c.Emisor.Rfc = ""
			c.Receptor.UsoCFDI = ""
			c.Conceptos[0].ObjetoImp = ""
		}, []string{"Rfc en cfdi:Emisor", "UsoCFDI en cfdi:Receptor", "ObjetoImp en cfdi:Concepto[1]"}},
		{"no conceptos", func(c *Comprobante) { c.Conceptos = nil }, []string{"nodo requerido cfdi:Concepto"}},
		{"traslado", func(c *Comprobante) { c.Conceptos[0].Impuestos.Traslados[0].TipoFactor = "" }, []string{"TipoFactor en cfdi:Concepto[1]/cfdi:Traslado"}},
		{"sello", func(c *Comprobante) { c.Sello = "" }, []string{"Sello en cfdi:Comprobante"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := invoice(2)
			c.Sello, c.NoCertificado, c.Certificado = "x", "1", "y"
			tc.change(c)
			err := CheckRequired(c)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("CheckRequired = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("CheckRequired = nil, want errors")
			}
			msg := domain.UserMessage(err)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if got := len(strings.Split(msg, "\n")); got != len(tc.want) {
				t.Errorf("%d problems reported, want %d: %q", got, len(tc.want), msg)
			}
		})
	}
}

// TestVerifySamples: Verify gives every sample the verdict of the oracle
// verify-seal.sh, and names the reason for the two negative ones.
func TestVerifySamples(t *testing.T) {
	sat := satCerts(t)
	for _, file := range testpack.Samples(t) {
		t.Run(file[strings.LastIndexByte(file, '/')+1:], func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			v := Verify(data, sat...)
			oracleOK, line := testpack.VerifySeal(t, file)
			if v.OK() != oracleOK {
				t.Errorf("Verify: %s\noracle: %s", v, line)
			}
			if strings.Contains(line, "TFD SelloSAT verified") && v.TFD != TFDVerified {
				t.Errorf("TFD = %v, oracle verified it: %s", v.TFD, v)
			}
			if strings.Contains(line, "SelloSAT not checked") && v.TFD != TFDNotChecked {
				t.Errorf("TFD = %v, oracle did not check it", v.TFD)
			}
			switch {
			case strings.Contains(file, "09-NEGATIVO"):
				if v.Seal == nil || v.Structure != nil || v.NoCertificado != nil {
					t.Errorf("09: want only the seal to fail: %s", v)
				}
			case strings.Contains(file, "15-NEGATIVO"):
				if v.Structure == nil || !strings.Contains(domain.UserMessage(v.Structure), "Exportacion") || v.Seal != nil {
					t.Errorf("15: want structure (Exportacion) to fail and the seal to pass: %s", v)
				}
			}
		})
	}
}

// TestVerifyUnreadable: Verify never panics and reports the parse failure.
func TestVerifyUnreadable(t *testing.T) {
	v := Verify([]byte("<no"))
	if v.OK() || v.Structure == nil || v.Seal == nil {
		t.Fatalf("Verify = %s", v)
	}
	if !strings.HasPrefix(v.String(), "FALLA: ") {
		t.Errorf("String = %q", v.String())
	}
}

// TestVerifySealTampered: any change to a cadena field breaks the seal; a
// wrong NoCertificado is reported separately.
func TestVerifySealTampered(t *testing.T) {
	c := invoice(3)
	if _, err := Seal(c, mustSigner(t, "EKU9003173C9")); err != nil {
		t.Fatal(err)
	}
	if err := VerifySeal(c); err != nil {
		t.Fatalf("VerifySeal(sealed) = %v", err)
	}
	tampered := *c
	tampered.Total = "0.01"
	if err := VerifySeal(&tampered); err == nil || !strings.Contains(domain.UserMessage(err), "sello") {
		t.Errorf("tampered Total: VerifySeal = %v", err)
	}
	wrongNo := *c
	wrongNo.NoCertificado = "30001000000500003417"
	err := VerifySeal(&wrongNo)
	if err == nil || !strings.Contains(domain.UserMessage(err), "NoCertificado") {
		t.Errorf("wrong NoCertificado: VerifySeal = %v", err)
	}
	var de *domain.Error
	if !errors.As(err, &de) || de.Kind != domain.Invalid {
		t.Errorf("kind: %v", err)
	}
}
