package csd_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/youmark/pkcs8"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/internal/testpack"
)

// profile describes a generated certificate.
type profile struct {
	serial string // ASCII digits put in the serial, as SAT does
	ou     string
	ku     x509.KeyUsage
	eku    []x509.ExtKeyUsage
	rfc    string // x500UniqueIdentifier
}

var (
	// csdProfile mirrors SAT's CSD: digitalSignature+nonRepudiation, OU = sucursal.
	csdProfile = profile{serial: "30001000000500009901", ou: "Matriz",
		ku: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment, rfc: "AAA010101AAA / HEGT7610034S2"}
	// fielProfile mirrors SAT's e.firma (AAA010101AAA test FIEL of 2017):
	// key usage 0xD8, extended key usage emailProtection+clientAuth, no OU.
	fielProfile = profile{serial: "30001000000500009902",
		ku: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment |
			x509.KeyUsageDataEncipherment | x509.KeyUsageKeyAgreement,
		eku: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth},
		rfc: "AAA010101AAA / HEGT7610034S2"}
)

var (
	genOnce sync.Once
	genKey  *rsa.PrivateKey
)

// testKey is one RSA key for every generated certificate (generation is slow).
func testKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	genOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		genKey = k
	})
	return genKey
}

// makeCert returns a self-signed DER certificate for key following p.
func makeCert(tb testing.TB, key *rsa.PrivateKey, p profile) []byte {
	tb.Helper()
	subject := pkix.Name{CommonName: "ACCEM SERVICIOS EMPRESARIALES SC", Organization: []string{"ACCEM SERVICIOS EMPRESARIALES SC"}}
	if p.ou != "" {
		subject.OrganizationalUnit = []string{p.ou}
	}
	if p.rfc != "" {
		subject.ExtraNames = []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{2, 5, 4, 45}, Value: p.rfc}}
	}
	tpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes([]byte(p.serial)),
		Subject:      subject,
		NotBefore:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     p.ku,
		ExtKeyUsage:  p.eku,
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

// encryptKey protects key as SAT does (PBES2, PBKDF2-SHA1 2048, DES-EDE3-CBC).
func encryptKey(tb testing.TB, key any, password string) []byte {
	tb.Helper()
	der, err := pkcs8.MarshalPrivateKey(key, []byte(password), &pkcs8.Opts{
		Cipher:  pkcs8.TripleDESCBC,
		KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 8, IterationCount: 2048, HMACHash: crypto.SHA1},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

// craftedKey builds an EncryptedPrivateKeyInfo with chosen parameters and
// random "ciphertext", to test hostile or damaged .key files.
func craftedKey(tb testing.TB, iterations, ivLen, dataLen int, cipherOID asn1.ObjectIdentifier) []byte {
	tb.Helper()
	type pbkdf2Params struct {
		Salt       []byte
		Iterations int
	}
	type scheme struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue
	}
	kdfParams, _ := asn1.Marshal(pbkdf2Params{Salt: []byte("saltsalt"), Iterations: iterations})
	ivDER, _ := asn1.Marshal(make([]byte, ivLen))
	pbes2, _ := asn1.Marshal(struct{ KDF, Scheme scheme }{
		scheme{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}, asn1.RawValue{FullBytes: kdfParams}},
		scheme{cipherOID, asn1.RawValue{FullBytes: ivDER}},
	})
	data := make([]byte, dataLen)
	_, _ = rand.Read(data)
	der, err := asn1.Marshal(struct {
		Alg  scheme
		Data []byte
	}{scheme{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}, asn1.RawValue{FullBytes: pbes2}}, data})
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

var des3OID = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	ekuCer, ekuKey := testpack.Read(t, "csd", "EKU9003173C9.cer"), testpack.Read(t, "csd", "EKU9003173C9.key")
	cacxKey := testpack.Read(t, "csd", "CACX7605101P8.key")
	k := testKey(t)
	fielCer, fielKey := makeCert(t, k, fielProfile), encryptKey(t, k, testPassword)
	foreignSerial := csdProfile
	foreignSerial.serial = "\x01\x02\x03"

	tests := []struct {
		name     string
		cer, key []byte
		password string
		now      time.Time
		want     error
		wantMsg  string // exact user message, when the brief fixes it
	}{
		// The key.
		{name: "wrong password", cer: ekuCer, key: ekuKey, password: "12345678b", now: inValidity,
			want: csd.ErrWrongPassword, wantMsg: "La contraseña de la llave privada no es correcta."},
		{name: "empty password", cer: ekuCer, key: ekuKey, password: "", now: inValidity,
			want: csd.ErrWrongPassword, wantMsg: "La contraseña de la llave privada no es correcta."},
		{name: "key of another CSD", cer: ekuCer, key: cacxKey, password: testPassword, now: inValidity,
			want: csd.ErrKeyMismatch, wantMsg: "La llave privada no corresponde al certificado."},
		{name: "certificate offered as key", cer: ekuCer, key: ekuCer, password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "empty key", cer: ekuCer, key: nil, password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "truncated key", cer: ekuCer, key: ekuKey[:len(ekuKey)-9], password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "unencrypted PKCS#8 key", cer: ekuCer, key: mustPKCS8(t, k), password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "huge iteration count", cer: ekuCer, key: craftedKey(t, 1<<30, 8, 1216, des3OID), password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "IV of wrong length", cer: ekuCer, key: craftedKey(t, 2048, 5, 1216, des3OID), password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "ciphertext not whole blocks", cer: ekuCer, key: craftedKey(t, 2048, 8, 1215, des3OID), password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "unsupported cipher", cer: ekuCer, key: craftedKey(t, 2048, 12, 1216, asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 46}), password: testPassword, now: inValidity, want: csd.ErrNotKey},
		{name: "garbage ciphertext", cer: ekuCer, key: craftedKey(t, 2048, 8, 1216, des3OID), password: testPassword, now: inValidity, want: csd.ErrWrongPassword},

		// Validity, at both edges (NotAfter 2027-05-18 11:43:51 UTC).
		{name: "expired", cer: ekuCer, key: ekuKey, password: testPassword, now: time.Date(2027, 5, 18, 11, 43, 52, 0, time.UTC),
			want: csd.ErrExpired, wantMsg: "El certificado venció el 18/05/2027."},
		{name: "not yet valid", cer: ekuCer, key: ekuKey, password: testPassword, now: time.Date(2023, 5, 18, 11, 43, 50, 0, time.UTC),
			want: csd.ErrNotYetValid, wantMsg: "El certificado aún no es válido; su vigencia inicia el 18/05/2023."},

		// The certificate.
		{name: "e.firma offered as CSD", cer: fielCer, key: fielKey, password: testPassword, now: inValidity, want: csd.ErrFIEL},
		{name: "key offered as certificate", cer: ekuKey, key: ekuKey, password: testPassword, now: inValidity, want: csd.ErrNotCertificate},
		{name: "empty certificate", cer: []byte{}, key: ekuKey, password: testPassword, now: inValidity, want: csd.ErrNotCertificate},
		{name: "serial is not a SAT number", cer: makeCert(t, k, foreignSerial), key: fielKey, password: testPassword, now: inValidity, want: csd.ErrNoCertificado},
		{name: "cannot sign", cer: makeCert(t, k, profile{serial: "30001000000500009903", ou: "Matriz", ku: x509.KeyUsageCertSign}),
			key: fielKey, password: testPassword, now: inValidity, want: csd.ErrNotCSD},
	}
	sentinels := []error{csd.ErrNotCertificate, csd.ErrNoCertificado, csd.ErrFIEL, csd.ErrNotCSD, csd.ErrExpired,
		csd.ErrNotYetValid, csd.ErrNotKey, csd.ErrWrongPassword, csd.ErrKeyMismatch}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			c, err := csd.LoadAt(tt.cer, tt.key, tt.password, tt.now)
			if c != nil || !errors.Is(err, tt.want) {
				t.Fatalf("LoadAt = %v, %v; want error %v", c, err, tt.want)
			}
			for _, s := range sentinels {
				if s != tt.want && errors.Is(err, s) {
					t.Errorf("error %v also matches %v", err, s)
				}
			}
			if k := domain.KindOf(err); k != domain.Invalid {
				t.Errorf("KindOf = %v, want invalid", k)
			}
			msg := domain.UserMessage(err)
			if tt.wantMsg != "" && msg != tt.wantMsg {
				t.Errorf("UserMessage = %q, want %q", msg, tt.wantMsg)
			}
			if msg == "" || msg == domain.UserMessage(errors.New("x")) {
				t.Errorf("UserMessage = %q, want a specific Spanish message", msg)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("LoadAt took %v", d)
			}
		})
	}
}

func mustPKCS8(tb testing.TB, key any) []byte {
	tb.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

func TestLoadGeneratedCSD(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	cer := makeCert(t, k, csdProfile)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	aes, err := pkcs8.MarshalPrivateKey(k, []byte("otra clave"), nil) // AES-256-CBC, PBKDF2-SHA256
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		cer, key []byte
		password string
	}{
		{"DER, 3DES as SAT issues", cer, encryptKey(t, k, "contraseña ñ"), "contraseña ñ"},
		{"DER, AES-256 re-protected", cer, aes, "otra clave"},
		{"PEM files", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cer}),
			pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: aes}), "otra clave"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := csd.LoadAt(tt.cer, tt.key, tt.password, now)
			if err != nil {
				t.Fatalf("LoadAt = %v", err)
			}
			if got, want := c.NoCertificado(), "30001000000500009901"; got != want {
				t.Errorf("NoCertificado = %q, want %q", got, want)
			}
			if got, want := c.Certificate().RFC, "AAA010101AAA"; got != want {
				t.Errorf("RFC = %q, want %q", got, want)
			}
			if got, want := c.Certificate().RFCRepresentante, "HEGT7610034S2"; got != want {
				t.Errorf("RFCRepresentante = %q, want %q", got, want)
			}
		})
	}
}

func TestIsFIEL(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	const csdKU = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	tests := []struct {
		name string
		p    profile
		want bool
	}{
		{"CSD profile", csdProfile, false},
		{"CSD key usage, no OU", profile{serial: csdProfile.serial, ku: csdKU}, false},
		{"e.firma profile", fielProfile, true},
		{"e.firma key usage with an OU", profile{serial: csdProfile.serial, ou: "X", ku: fielProfile.ku}, true},
		{"key agreement only added", profile{serial: csdProfile.serial, ou: "X", ku: csdKU | x509.KeyUsageKeyAgreement}, true},
		{"key encipherment added", profile{serial: csdProfile.serial, ou: "X", ku: csdKU | x509.KeyUsageKeyEncipherment}, true},
		{"CSD key usage with clientAuth", profile{serial: csdProfile.serial, ou: "X", ku: csdKU, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, true},
		{"CSD key usage with emailProtection", profile{serial: csdProfile.serial, ou: "X", ku: csdKU, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}, true},
		{"no key usage, no OU", profile{serial: csdProfile.serial}, true},
		{"no key usage, OU", profile{serial: csdProfile.serial, ou: "Sucursal 1"}, false},
		{"blank OU counts as none", profile{serial: csdProfile.serial, ou: "  ", ku: x509.KeyUsageDigitalSignature}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cert, err := csd.ParseCertificate(makeCert(t, k, tt.p))
			if err != nil {
				t.Fatal(err)
			}
			if got := cert.IsFIEL(); got != tt.want {
				t.Errorf("IsFIEL() = %v, want %v", got, tt.want)
			}
			if err := cert.CheckCSD(); tt.want != errors.Is(err, csd.ErrFIEL) {
				t.Errorf("CheckCSD() = %v, want ErrFIEL: %v", err, tt.want)
			}
		})
	}
}

func TestCheckValidityEdges(t *testing.T) {
	t.Parallel()
	cert, err := csd.ParseCertificate(testpack.Read(t, "csd", "EKU9003173C9.cer"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"at NotBefore", cert.NotBefore, nil},
		{"at NotAfter", cert.NotAfter, nil},
		{"one second before", cert.NotBefore.Add(-time.Second), csd.ErrNotYetValid},
		{"one second after", cert.NotAfter.Add(time.Second), csd.ErrExpired},
	}
	for _, tt := range tests {
		if err := cert.CheckValidity(tt.now); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: CheckValidity = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// FuzzLoadKey feeds damaged .key files: Load must never panic and must
// always answer with an Invalid error about the key.
func FuzzLoadKey(f *testing.F) {
	cer := testpack.Read(f, "csd", "EKU9003173C9.cer")
	key := testpack.Read(f, "csd", "EKU9003173C9.key")
	f.Add(key)
	f.Add(key[:40])
	f.Add([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFDjBABgkqhkiG9w0BBQ0wMzAbBgkqhkiG9w0BBQwwDgQI\n-----END ENCRYPTED PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := csd.LoadAt(cer, data, "wrong", inValidity)
		if err == nil {
			t.Fatalf("LoadAt with a wrong password succeeded: %v", c)
		}
		if domain.KindOf(err) != domain.Invalid || !(errors.Is(err, csd.ErrNotKey) || errors.Is(err, csd.ErrWrongPassword)) {
			t.Fatalf("LoadAt = %v, want an Invalid key error", err)
		}
	})
}

// FuzzParseCertificate: never panics; a success always has a 20-digit number.
func FuzzParseCertificate(f *testing.F) {
	f.Add(testpack.Read(f, "csd", "EKU9003173C9.cer"))
	f.Add(testpack.Read(f, "csd", "CACX7605101P8.cer"))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := csd.ParseCertificate(data)
		if err != nil {
			if domain.KindOf(err) != domain.Invalid {
				t.Fatalf("ParseCertificate = %v, want Invalid", err)
			}
			return
		}
		if len(c.NoCertificado) != 20 {
			t.Fatalf("NoCertificado = %q", c.NoCertificado)
		}
		_ = c.IsFIEL()
		_ = c.CheckValidity(time.Now())
	})
}
