package csd

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/folio-mx/folio/domain"
)

// CSD is a loaded Certificado de Sello Digital: the certificate and its
// decrypted private key, checked to belong together. It implements
// cfdi.Signer. A *CSD is immutable and safe for concurrent use.
type CSD struct {
	cert    *Certificate
	key     *rsa.PrivateKey
	certB64 string
}

// Load reads a CSD from the bytes of its .cer and .key files and the key's
// password, and checks it may seal a CFDI now. See LoadAt for the checks and
// the errors.
func Load(cer, key []byte, password string) (*CSD, error) {
	return LoadAt(cer, key, password, time.Now())
}

// LoadAt is Load with the instant at which the certificate must be valid.
// The checks run in this order and the first failure is returned, a
// *domain.Error of kind Invalid whose cause wraps:
//
//   - ErrNotCertificate / ErrNoCertificado: cer is not a SAT certificate;
//   - ErrFIEL / ErrNotCSD: it is an e.firma, or cannot sign (see IsFIEL);
//   - ErrExpired / ErrNotYetValid: now is outside its validity;
//   - ErrNotKey: key is not an encrypted PKCS#8 RSA key;
//   - ErrWrongPassword: the password does not decrypt it;
//   - ErrKeyMismatch: the key is not the certificate's.
//
// The password is used only to decrypt and is not kept.
func LoadAt(cer, key []byte, password string, now time.Time) (*CSD, error) {
	cert, err := ParseCertificate(cer)
	if err != nil {
		return nil, err
	}
	if err := cert.CheckCSD(); err != nil {
		return nil, err
	}
	if err := cert.CheckValidity(now); err != nil {
		return nil, err
	}
	priv, err := parseKey(key, password)
	if err != nil {
		return nil, err
	}
	if !priv.PublicKey.Equal(cert.X509.PublicKey) {
		return nil, domain.E(domain.Invalid, "csd.Load", "La llave privada no corresponde al certificado.", ErrKeyMismatch)
	}
	// Precompute mutates the key: do it once, before the CSD is shared, so
	// that Sign only reads it.
	priv.Precompute()
	return &CSD{
		cert:    cert,
		key:     priv,
		certB64: base64.StdEncoding.EncodeToString(cert.X509.Raw),
	}, nil
}

// Certificate returns the CSD's certificate data.
func (c *CSD) Certificate() *Certificate { return c.cert }

// NoCertificado returns the 20-digit certificate number (Comprobante
// @NoCertificado).
func (c *CSD) NoCertificado() string { return c.cert.NoCertificado }

// CertificateBase64 returns the certificate's DER bytes in standard base64
// without line breaks (Comprobante @Certificado).
func (c *CSD) CertificateBase64() string { return c.certB64 }

// Sign returns the RSA PKCS#1 v1.5 signature over the SHA-256 digest of
// cadena, the UTF-8 cadena original (Anexo 20: Sello = base64 of this). It is
// deterministic and safe for concurrent use; errors are kind Internal.
func (c *CSD) Sign(cadena []byte) ([]byte, error) {
	if c == nil || c.key == nil {
		return nil, domain.E(domain.Internal, "csd.Sign", "No hay un CSD cargado para sellar el comprobante.", errors.New("nil CSD"))
	}
	sum := sha256.Sum256(cadena)
	sig, err := rsa.SignPKCS1v15(nil, c.key, crypto.SHA256, sum[:])
	if err != nil {
		return nil, domain.E(domain.Internal, "csd.Sign", "No se pudo sellar el comprobante con el CSD.", err)
	}
	return sig, nil
}

// SignSHA1 returns the RSA PKCS#1 v1.5 signature over the SHA-1 digest of
// data: the signature method (rsa-sha1) of the XML-DSig that SAT's
// cancellation request carries (cfdi.SignCancelacion). It is deterministic
// and safe for concurrent use; errors are kind Internal.
func (c *CSD) SignSHA1(data []byte) ([]byte, error) {
	if c == nil || c.key == nil {
		return nil, domain.E(domain.Internal, "csd.SignSHA1", "No hay un CSD cargado para firmar la solicitud.", errors.New("nil CSD"))
	}
	sum := sha1.Sum(data)
	sig, err := rsa.SignPKCS1v15(nil, c.key, crypto.SHA1, sum[:])
	if err != nil {
		return nil, domain.E(domain.Internal, "csd.SignSHA1", "No se pudo firmar la solicitud con el CSD.", err)
	}
	return sig, nil
}
