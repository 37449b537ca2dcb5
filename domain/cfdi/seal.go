package cfdi

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// Signer signs a cadena original with a CSD. *csd.CSD implements it.
type Signer interface {
	// NoCertificado is the 20-digit certificate number.
	NoCertificado() string
	// CertificateBase64 is the DER certificate in base64 without line breaks.
	CertificateBase64() string
	// Sign returns the RSA PKCS#1 v1.5 signature of SHA-256(cadena).
	Sign(cadena []byte) ([]byte, error)
}

// Seal sets NoCertificado and Certificado from s, computes the cadena
// original, signs it, sets Sello and returns the sealed XML (Marshal of c).
// The returned bytes are the fiscal truth: store them verbatim. Errors of
// the signer are returned wrapped; the rest are domain.Errors.
func Seal(c *Comprobante, s Signer) ([]byte, error) {
	c.NoCertificado = s.NoCertificado()
	c.Certificado = s.CertificateBase64()
	cadena, err := CadenaOriginal(c)
	if err != nil {
		return nil, err
	}
	sig, err := s.Sign([]byte(cadena))
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	c.Sello = base64.StdEncoding.EncodeToString(sig)
	return Marshal(c)
}

// VerifySeal checks the Sello of c against its cadena original with the
// certificate inside the document (RSA-SHA256, PKCS#1 v1.5), and that
// NoCertificado equals the certificate serial read as ASCII digits. It
// returns nil when both hold, else the Invalid domain.Errors joined.
func VerifySeal(c *Comprobante) error {
	cert, err := DocumentCertificate(c)
	if err != nil {
		return err
	}
	return errors.Join(verifySello(c, cert), checkNoCertificado(c.NoCertificado, cert))
}

// DocumentCertificate decodes the Certificado attribute of c.
func DocumentCertificate(c *Comprobante) (*x509.Certificate, error) {
	const op = "cfdi.VerifySeal"
	if c.Certificado == "" {
		return nil, domain.E(domain.Invalid, op, "El comprobante no incluye el certificado del emisor (atributo Certificado).", errors.New("no Certificado"))
	}
	der, err := decodeBase64(c.Certificado)
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "El atributo Certificado no es base64 válido.", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "El atributo Certificado no contiene un certificado válido.", err)
	}
	return cert, nil
}

func verifySello(c *Comprobante, cert *x509.Certificate) error {
	const op = "cfdi.VerifySeal"
	cadena, err := CadenaOriginal(c)
	if err != nil {
		return err
	}
	return verifyRSA(op, cert, c.Sello, cadena,
		"El sello del comprobante no corresponde a su contenido: el XML fue alterado después de sellarse o el sello es de otro certificado.")
}

func verifyRSA(op string, cert *x509.Certificate, sello, cadena, msg string) error {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return domain.E(domain.Invalid, op, "El certificado no tiene una llave pública RSA.", fmt.Errorf("public key %T", cert.PublicKey))
	}
	sig, err := decodeBase64(sello)
	if err != nil || len(sig) == 0 {
		return domain.E(domain.Invalid, op, "El sello no es base64 válido.", err)
	}
	sum := sha256.Sum256([]byte(cadena))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return domain.E(domain.Invalid, op, msg, err)
	}
	return nil
}

// checkNoCertificado compares no with the serial of cert read as ASCII digits.
func checkNoCertificado(no string, cert *x509.Certificate) error {
	serial := CertificateNumber(cert)
	if serial == "" || serial != no {
		return domain.E(domain.Invalid, "cfdi.VerifySeal",
			fmt.Sprintf("El NoCertificado %q no coincide con el número del certificado incluido.", no),
			fmt.Errorf("NoCertificado %q, certificate serial %q", no, serial))
	}
	return nil
}

// CertificateNumber returns the SAT certificate number of cert: its serial
// number's bytes read as ASCII digits, or "" if they are not digits.
func CertificateNumber(cert *x509.Certificate) string {
	b := cert.SerialNumber.Bytes()
	for _, d := range b {
		if d < '0' || d > '9' {
			return ""
		}
	}
	return string(b)
}

// VerifyTFD checks the SelloSAT of the TimbreFiscalDigital of c with the
// SAT certificate sat (RSA-SHA256 over TFDCadena), that NoCertificadoSAT is
// that certificate's number and that SelloCFD is the Sello of c.
func VerifyTFD(c *Comprobante, sat *x509.Certificate) error {
	const op = "cfdi.VerifyTFD"
	if c.Complemento == nil || c.Complemento.TimbreFiscalDigital == nil {
		return domain.E(domain.Invalid, op, "El comprobante no está timbrado (no tiene TimbreFiscalDigital).", errors.New("no TFD"))
	}
	t := c.Complemento.TimbreFiscalDigital
	var errs []error
	if no := CertificateNumber(sat); no != t.NoCertificadoSAT {
		errs = append(errs, domain.E(domain.Invalid, op,
			"El timbre indica un certificado del SAT distinto al usado para verificarlo.",
			fmt.Errorf("NoCertificadoSAT %q, certificate %q", t.NoCertificadoSAT, no)))
	}
	errs = append(errs, verifyRSA(op, sat, t.SelloSAT, TFDCadena(t),
		"El sello del SAT del timbre no es válido: el timbre fue alterado o no lo emitió ese certificado."))
	if t.SelloCFD != c.Sello {
		errs = append(errs, domain.E(domain.Invalid, op,
			"El timbre no corresponde a este comprobante (SelloCFD distinto del Sello).", errors.New("SelloCFD != Sello")))
	}
	return errors.Join(errs...)
}

// decodeBase64 decodes standard base64, ignoring line breaks and spaces.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, s)
	}
	return base64.StdEncoding.DecodeString(s)
}
