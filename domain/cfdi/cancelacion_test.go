package cfdi

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/testpack"
)

func sampleCancelacion() Cancelacion {
	return Cancelacion{RfcEmisor: "EKU9003173C9", Fecha: time.Date(2026, 12, 7, 12, 30, 5, 0, domain.MexicoCity),
		Folios: []CancelFolio{{UUID: "5fb2822e-396d-4725-8521-cdc4bdd20ccf", Motivo: "01", FolioSustitucion: "E3BA5811-FD07-4B9C-84B4-B146D7560575"}}}
}

func TestSignCancelacionVerifies(t *testing.T) {
	s := mustSigner(t, "EKU9003173C9")
	for _, c := range []Cancelacion{sampleCancelacion(), {RfcEmisor: "EKU9003173C9", Fecha: time.Now(),
		Folios: []CancelFolio{{UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", Motivo: "02"}, {UUID: "29880559-5057-4871-9572-A222FD10BD97", Motivo: "03"}}}} {
		signed, err := SignCancelacion(c, s)
		if err != nil {
			t.Fatal(err)
		}
		got, cert, err := VerifyCancelacion(signed)
		if err != nil {
			t.Fatalf("verify: %v\n%s", err, signed)
		}
		if !cert.Equal(s.cert) || got.RfcEmisor != c.RfcEmisor || !got.Fecha.Equal(c.Fecha.Truncate(time.Second)) || len(got.Folios) != len(c.Folios) {
			t.Fatalf("verified request = %+v; want %+v", got, c)
		}
		for i, f := range got.Folios {
			w := c.Folios[i]
			if f.UUID != strings.ToUpper(w.UUID) || f.Motivo != w.Motivo || f.FolioSustitucion != strings.ToUpper(w.FolioSustitucion) {
				t.Errorf("folio %d = %+v; want %+v", i, f, w)
			}
		}
	}
}

func TestSignCancelacionRefusesBadRequests(t *testing.T) {
	s := mustSigner(t, "EKU9003173C9")
	ok := sampleCancelacion()
	for name, mut := range map[string]func(*Cancelacion){
		"no issuer":           func(c *Cancelacion) { c.RfcEmisor = " " },
		"no folios":           func(c *Cancelacion) { c.Folios = nil },
		"no date":             func(c *Cancelacion) { c.Fecha = time.Time{} },
		"bad uuid":            func(c *Cancelacion) { c.Folios[0].UUID = "5FB2822E" },
		"motivo 05":           func(c *Cancelacion) { c.Folios[0].Motivo = "05" },
		"01 without folio":    func(c *Cancelacion) { c.Folios[0].FolioSustitucion = "" },
		"02 with folio":       func(c *Cancelacion) { c.Folios[0].Motivo = "02" },
		"01 with a bad folio": func(c *Cancelacion) { c.Folios[0].FolioSustitucion = "x" },
	} {
		c := ok
		c.Folios = append([]CancelFolio(nil), ok.Folios...)
		mut(&c)
		if _, err := SignCancelacion(c, s); domain.KindOf(err) != domain.Invalid || domain.UserMessage(err) == "" {
			t.Errorf("%s: err = %v; want Invalid with a Spanish message", name, err)
		}
	}
}

// TestVerifyCancelacionRefusesTampering: every change after signing, and a
// signature by another CSD, is refused.
func TestVerifyCancelacionRefusesTampering(t *testing.T) {
	s := mustSigner(t, "EKU9003173C9")
	other := mustSigner(t, "CACX7605101P8")
	signed, err := SignCancelacion(sampleCancelacion(), s)
	if err != nil {
		t.Fatal(err)
	}
	sigRE := regexp.MustCompile(`<SignatureValue>[^<]*</SignatureValue>`)
	otherSig, err := SignCancelacion(sampleCancelacion(), other)
	if err != nil {
		t.Fatal(err)
	}
	certRE := regexp.MustCompile(`<X509Certificate>[^<]*</X509Certificate>`)
	for name, bad := range map[string]string{
		"other uuid":           strings.Replace(string(signed), "5FB2822E", "5FB2822F", 1),
		"other motivo":         strings.Replace(string(signed), `Motivo="01"`, `Motivo="02"`, 1),
		"other date":           strings.Replace(string(signed), "12:30:05", "12:30:06", 1),
		"namespace added":      strings.Replace(string(signed), `<Cancelacion `, `<Cancelacion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" `, 1),
		"signature of other":   sigRE.ReplaceAllString(string(signed), sigRE.FindString(string(otherSig))),
		"certificate of other": certRE.ReplaceAllString(string(signed), certRE.FindString(string(otherSig))),
		"digest sha256 label":  strings.Replace(string(signed), algSHA1+`"`, algSHA256+`"`, 1),
		"no signature":         regexp.MustCompile(`<Signature .*</Signature>`).ReplaceAllString(string(signed), ""),
		"two signatures":       strings.Replace(string(signed), "</Cancelacion>", regexp.MustCompile(`<Signature .*</Signature>`).FindString(string(signed))+"</Cancelacion>", 1),
		"doctype":              `<!DOCTYPE x [<!ENTITY e "x">]>` + string(signed),
		"other root":           strings.ReplaceAll(string(signed), "Cancelacion", "Cancelacio"),
		"not xml":              "<Cancelacion",
	} {
		if _, _, err := VerifyCancelacion([]byte(bad)); domain.KindOf(err) != domain.Invalid {
			t.Errorf("%s: verified (err %v); want Invalid", name, err)
		}
	}
	// Whitespace outside the signed content and an XML declaration change
	// nothing canonical.
	pretty := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + string(signed) + "\n"
	if _, _, err := VerifyCancelacion([]byte(pretty)); err != nil {
		t.Errorf("with declaration and trailing newline: %v", err)
	}
}

// TestCancelacionAgainstXmllintAndOpenSSL is the independent oracle of the
// signature: libxml2's Canonical XML (xmllint --c14n) of the document
// without its Signature (removed by xsltproc) and of SignedInfo, the SHA-1
// digest by openssl, and openssl's RSA-SHA1 verification with the
// certificate's public key. The Go canonicalizer must also equal libxml2's
// bytes, on this document and on one with prefixes, defaults and escapes.
func TestCancelacionAgainstXmllintAndOpenSSL(t *testing.T) {
	testpack.RequireTools(t, "xmllint", "xsltproc", "openssl")
	s := mustSigner(t, "EKU9003173C9")
	signed, err := SignCancelacion(sampleCancelacion(), s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(name string, args ...string) []byte {
		out, err := exec.Command(name, args...).Output()
		if err != nil {
			var stderr string
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("%s %v: %v %s", name, args, err, stderr)
		}
		return out
	}
	doc := write("cancelacion.xml", signed)
	strip := write("strip.xsl", []byte(`<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:ds="`+nsDSig+`">`+
		`<xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>`+
		`<xsl:template match="ds:Signature"/></xsl:stylesheet>`))
	signedInfo := write("signedinfo.xsl", []byte(`<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:ds="`+nsDSig+`" exclude-result-prefixes="ds">`+
		`<xsl:template match="/"><xsl:copy-of select="//ds:SignedInfo"/></xsl:template></xsl:stylesheet>`))

	docC14N := run("xmllint", "--c14n", write("stripped.xml", run("xsltproc", strip, doc)))
	siC14N := run("xmllint", "--c14n", write("si.xml", run("xsltproc", signedInfo, doc)))

	root, err := parseTree(signed)
	if err != nil {
		t.Fatal(err)
	}
	sig := root.child(nsDSig, "Signature")
	if got := canonical(root, func(n *cnode) bool { return n == sig }); !bytes.Equal(got, docC14N) {
		t.Errorf("document c14n:\n go      %s\n xmllint %s", got, docC14N)
	}
	if got := canonical(sig.child(nsDSig, "SignedInfo"), nil); !bytes.Equal(got, siC14N) {
		t.Errorf("SignedInfo c14n:\n go      %s\n xmllint %s", got, siC14N)
	}

	digest := run("openssl", "dgst", "-sha1", "-binary", write("doc.c14n", docC14N))
	if want := regexp.MustCompile(`<DigestValue>([^<]*)</DigestValue>`).FindStringSubmatch(string(signed))[1]; base64.StdEncoding.EncodeToString(digest) != want {
		t.Errorf("openssl digest %s; DigestValue %s", base64.StdEncoding.EncodeToString(digest), want)
	}
	sigB64 := regexp.MustCompile(`<SignatureValue>([^<]*)</SignatureValue>`).FindStringSubmatch(string(signed))[1]
	sigBytes, _ := base64.StdEncoding.DecodeString(sigB64)
	pub, err := x509.MarshalPKIXPublicKey(s.cert.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPath := write("pub.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
	if out := run("openssl", "dgst", "-sha1", "-verify", pubPath, "-signature", write("sig.bin", sigBytes), write("si.c14n", siC14N)); !strings.Contains(string(out), "Verified OK") {
		t.Errorf("openssl: %s", out)
	}

	// The canonicalizer on a harder document (no comments: xmllint --c14n
	// keeps them, the signature's canonicalization drops them).
	tricky := []byte(`<?xml version="1.0"?>` + "\n" + `<a:r xmlns:b="urn:b" xmlns:a="urn:a" z="1" b:y="2" a:x="3" xmlns="urn:d">` +
		`<c x="&quot;&amp;&lt;&#9;" xmlns:b="urn:b"><e xmlns="">t &amp; &lt; &gt;` + "\r\n" + `</e><b:f/></c> </a:r>`)
	tr, err := parseTree(tricky)
	if err != nil {
		t.Fatal(err)
	}
	want := run("xmllint", "--c14n", write("tricky.xml", tricky))
	if got := canonical(tr, nil); !bytes.Equal(got, want) {
		t.Errorf("c14n of a tricky document:\n go      %s\n xmllint %s", got, want)
	}
	inner := tr.child("urn:d", "c")
	wantInner := run("xmllint", "--c14n", write("inner.xml", run("xsltproc", write("inner.xsl", []byte(
		`<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:d="urn:d"><xsl:template match="/"><xsl:copy-of select="//d:c"/></xsl:template></xsl:stylesheet>`)),
		write("tricky2.xml", tricky))))
	if got := canonical(inner, nil); !bytes.Equal(got, wantInner) {
		t.Errorf("c14n of a subtree:\n go      %s\n xmllint %s", got, wantInner)
	}
}
