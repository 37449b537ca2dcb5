package cfdi

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
)

// SAT's cancellation request (CFDI 4.0 scheme, in force since 2022): the
// issuer signs a Cancelacion document with its CSD and a PAC hands it to
// SAT (Finkok's cancel_signature), so the private key never leaves the
// workstation.
//
// The signature is an enveloped XML-DSig as SAT's cancellation service and
// the PACs' own libraries make it: Reference URI="" with the
// enveloped-signature transform, inclusive Canonical XML 1.0 without
// comments (REC-xml-c14n-20010315) for the document and for SignedInfo,
// SHA-1 digest and RSA-SHA1 signature (the algorithms of SAT's examples;
// VerifyCancelacion also accepts SHA-256 and RSA-SHA256), and KeyInfo with
// X509IssuerSerial and the certificate.
const (
	NSCancelacion = "http://cancelacfd.sat.gob.mx"
	nsDSig        = "http://www.w3.org/2000/09/xmldsig#"

	algC14N      = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	algEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	algSHA1      = "http://www.w3.org/2000/09/xmldsig#sha1"
	algSHA256    = "http://www.w3.org/2001/04/xmlenc#sha256"
	algRSASHA1   = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	algRSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
)

// Cancelacion is a cancellation request of one or more CFDI of RfcEmisor.
type Cancelacion struct {
	RfcEmisor string
	Fecha     time.Time // written as Mexico City local time, whole seconds
	Folios    []CancelFolio
}

// CancelFolio is one CFDI to cancel: its UUID, SAT's c_MotivoCancelacion
// (01–04) and, for motivo 01 only, the UUID of the CFDI that replaces it.
type CancelFolio struct {
	UUID, Motivo, FolioSustitucion string
}

// CancelSigner signs the cancellation request with the issuer's CSD.
// *csd.CSD implements it.
type CancelSigner interface {
	// CertificateBase64 is the DER certificate in base64 without line breaks.
	CertificateBase64() string
	// SignSHA1 returns the RSA PKCS#1 v1.5 signature of SHA-1(data).
	SignSHA1(data []byte) ([]byte, error)
}

var uuidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// Validate checks what SAT checks before anything else: the issuer, at
// least one UUID, motivos 01–04 and the folio de sustitución only with 01.
func (c Cancelacion) Validate() error {
	const op = "cfdi.Cancelacion"
	var errs []error
	if strings.TrimSpace(c.RfcEmisor) == "" {
		errs = append(errs, domain.E(domain.Invalid, op, "Indique el RFC emisor de la solicitud de cancelación.", nil))
	}
	if len(c.Folios) == 0 {
		errs = append(errs, domain.E(domain.Invalid, op, "Indique el folio fiscal (UUID) a cancelar.", nil))
	}
	if c.Fecha.IsZero() {
		errs = append(errs, domain.E(domain.Invalid, op, "La solicitud de cancelación necesita su fecha.", nil))
	}
	for _, f := range c.Folios {
		if !uuidPattern.MatchString(f.UUID) {
			errs = append(errs, domain.E(domain.Invalid, op, "El folio fiscal «"+f.UUID+"» no es un UUID válido.", nil))
		}
		switch {
		case f.Motivo != "01" && f.Motivo != "02" && f.Motivo != "03" && f.Motivo != "04":
			errs = append(errs, domain.E(domain.Invalid, op, "El motivo de cancelación debe ser 01, 02, 03 o 04.", nil))
		case f.Motivo == "01" && !uuidPattern.MatchString(f.FolioSustitucion):
			errs = append(errs, domain.E(domain.Invalid, op, "El motivo 01 requiere el folio fiscal (UUID) del comprobante que lo sustituye.", nil))
		case f.Motivo != "01" && f.FolioSustitucion != "":
			errs = append(errs, domain.E(domain.Invalid, op, "El folio de sustitución solo se indica con el motivo 01.", nil))
		}
	}
	return errors.Join(errs...)
}

// SignCancelacion validates c and returns the signed request. The
// document is written directly in its canonical form (no XML declaration,
// no whitespace, attributes in canonical order), so the bytes digested are
// the bytes sent. UUIDs are written in upper case, as SAT returns them.
func SignCancelacion(c Cancelacion, s CancelSigner) ([]byte, error) {
	const op = "cfdi.SignCancelacion"
	if err := c.Validate(); err != nil {
		return nil, err
	}
	certB64 := s.CertificateBase64()
	der, err := base64.StdEncoding.DecodeString(certB64)
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "El certificado del CSD no es válido.", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "El certificado del CSD no es válido.", err)
	}

	var doc bytes.Buffer
	doc.WriteString(`<Cancelacion xmlns="` + NSCancelacion + `" Fecha="` + c.Fecha.In(domain.MexicoCity).Format("2006-01-02T15:04:05") + `" RfcEmisor="`)
	escapeAttr(&doc, strings.TrimSpace(c.RfcEmisor))
	doc.WriteString(`">`)
	for _, f := range c.Folios {
		// Attributes in canonical order: FolioSustitucion, Motivo, UUID.
		doc.WriteString(`<Folios><Folio`)
		if f.FolioSustitucion != "" {
			doc.WriteString(` FolioSustitucion="` + strings.ToUpper(f.FolioSustitucion) + `"`)
		}
		doc.WriteString(` Motivo="` + f.Motivo + `" UUID="` + strings.ToUpper(f.UUID) + `"></Folio></Folios>`)
	}
	head := doc.Len()
	doc.WriteString(`</Cancelacion>`)
	digest := sha1.Sum(doc.Bytes())

	// SignedInfo as Canonical XML renders it: the default namespace of
	// Signature is the only one in scope.
	signedInfo := `<SignedInfo xmlns="` + nsDSig + `"><CanonicalizationMethod Algorithm="` + algC14N + `"></CanonicalizationMethod>` +
		`<SignatureMethod Algorithm="` + algRSASHA1 + `"></SignatureMethod><Reference URI=""><Transforms><Transform Algorithm="` + algEnveloped + `"></Transform></Transforms>` +
		`<DigestMethod Algorithm="` + algSHA1 + `"></DigestMethod><DigestValue>` + base64.StdEncoding.EncodeToString(digest[:]) + `</DigestValue></Reference></SignedInfo>`
	sig, err := s.SignSHA1([]byte(signedInfo))
	if err != nil {
		return nil, fmt.Errorf("sign cancelacion: %w", err)
	}

	var out bytes.Buffer
	out.Write(doc.Bytes()[:head])
	out.WriteString(`<Signature xmlns="` + nsDSig + `">`)
	out.WriteString(strings.Replace(signedInfo, ` xmlns="`+nsDSig+`"`, "", 1)) // inherited from Signature
	out.WriteString(`<SignatureValue>` + base64.StdEncoding.EncodeToString(sig) + `</SignatureValue>`)
	out.WriteString(`<KeyInfo><X509Data><X509IssuerSerial><X509IssuerName>`)
	escapeText(&out, cert.Issuer.String())
	out.WriteString(`</X509IssuerName><X509SerialNumber>` + cert.SerialNumber.String() + `</X509SerialNumber></X509IssuerSerial>`)
	out.WriteString(`<X509Certificate>` + certB64 + `</X509Certificate></X509Data></KeyInfo></Signature></Cancelacion>`)
	return out.Bytes(), nil
}

// VerifyCancelacion checks a signed cancellation request as SAT does: the
// root is SAT's Cancelacion, its one enveloped Signature uses the
// algorithms named above, the digest of the canonical document without the
// Signature matches, and the signature over the canonical SignedInfo
// verifies with the certificate of KeyInfo. It returns the request and the
// certificate (whose holder the caller compares with RfcEmisor). Every
// failure is an Invalid domain error.
func VerifyCancelacion(b []byte) (Cancelacion, *x509.Certificate, error) {
	const op = "cfdi.VerifyCancelacion"
	bad := func(msg string, cause error) (Cancelacion, *x509.Certificate, error) {
		return Cancelacion{}, nil, domain.E(domain.Invalid, op, msg, cause)
	}
	root, err := parseTree(b)
	if err != nil {
		return bad("La solicitud de cancelación no es un XML válido.", err)
	}
	if root.space != NSCancelacion || root.local != "Cancelacion" {
		return bad("La solicitud no es una Cancelacion del SAT.", fmt.Errorf("root {%s}%s", root.space, root.local))
	}
	sigs := root.children(nsDSig, "Signature")
	if len(sigs) != 1 {
		return bad("La solicitud de cancelación debe llevar una firma.", fmt.Errorf("%d signatures", len(sigs)))
	}
	sigEl := sigs[0]
	si := sigEl.child(nsDSig, "SignedInfo")
	if si == nil {
		return bad("La firma de la solicitud no tiene SignedInfo.", nil)
	}
	if cm := si.child(nsDSig, "CanonicalizationMethod"); cm == nil || cm.attr("Algorithm") != algC14N {
		return bad("La firma de la solicitud no usa la canonicalización que pide el SAT.", nil)
	}
	sm := si.child(nsDSig, "SignatureMethod")
	var hash crypto.Hash
	switch {
	case sm != nil && sm.attr("Algorithm") == algRSASHA1:
		hash = crypto.SHA1
	case sm != nil && sm.attr("Algorithm") == algRSASHA256:
		hash = crypto.SHA256
	default:
		return bad("El método de firma de la solicitud no es RSA-SHA1 ni RSA-SHA256.", nil)
	}
	refs := si.children(nsDSig, "Reference")
	if len(refs) != 1 || refs[0].attr("URI") != "" {
		return bad("La firma debe referirse a la solicitud completa.", nil)
	}
	ref := refs[0]
	if tr := ref.child(nsDSig, "Transforms"); tr != nil {
		for _, t := range tr.children(nsDSig, "Transform") {
			if a := t.attr("Algorithm"); a != algEnveloped && a != algC14N {
				return bad("La firma usa una transformación que el SAT no admite.", errors.New(a))
			}
		}
	}
	dm := ref.child(nsDSig, "DigestMethod")
	dv := ref.child(nsDSig, "DigestValue")
	if dm == nil || dv == nil {
		return bad("La firma de la solicitud no tiene su digestión.", nil)
	}
	docC14N := canonical(root, func(n *cnode) bool { return n == sigEl })
	var sum []byte
	switch dm.attr("Algorithm") {
	case algSHA1:
		s := sha1.Sum(docC14N)
		sum = s[:]
	case algSHA256:
		s := sha256.Sum256(docC14N)
		sum = s[:]
	default:
		return bad("El método de digestión de la firma no es SHA-1 ni SHA-256.", nil)
	}
	want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(dv.text()))
	if err != nil || !bytes.Equal(want, sum) {
		return bad("La solicitud de cancelación fue alterada después de firmarse (la digestión no coincide).", err)
	}
	var certEl *cnode
	if ki := sigEl.child(nsDSig, "KeyInfo"); ki != nil {
		if xd := ki.child(nsDSig, "X509Data"); xd != nil {
			certEl = xd.child(nsDSig, "X509Certificate")
		}
	}
	if certEl == nil {
		return bad("La firma de la solicitud no incluye el certificado.", nil)
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(certEl.text()), ""))
	if err != nil {
		return bad("El certificado de la firma no es válido.", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return bad("El certificado de la firma no es válido.", err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return bad("El certificado de la firma no tiene una llave RSA.", nil)
	}
	sv := sigEl.child(nsDSig, "SignatureValue")
	if sv == nil {
		return bad("La firma de la solicitud no tiene su valor.", nil)
	}
	sigBytes, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(sv.text()), ""))
	if err != nil {
		return bad("El valor de la firma no es base64.", err)
	}
	siC14N := canonical(si, nil)
	h := hash.New()
	h.Write(siC14N)
	if err := rsa.VerifyPKCS1v15(pub, hash, h.Sum(nil), sigBytes); err != nil {
		return bad("La firma de la solicitud de cancelación no es válida.", err)
	}

	c := Cancelacion{RfcEmisor: root.attr("RfcEmisor")}
	if c.Fecha, err = time.ParseInLocation("2006-01-02T15:04:05", root.attr("Fecha"), domain.MexicoCity); err != nil {
		return bad("La fecha de la solicitud de cancelación no es válida.", err)
	}
	for _, fs := range root.children(NSCancelacion, "Folios") {
		for _, f := range fs.children(NSCancelacion, "Folio") {
			c.Folios = append(c.Folios, CancelFolio{UUID: f.attr("UUID"), Motivo: f.attr("Motivo"), FolioSustitucion: f.attr("FolioSustitucion")})
		}
	}
	return c, cert, nil
}
