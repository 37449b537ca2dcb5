package cfdi

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/youmark/pkcs8"

	"github.com/folio-mx/folio/internal/testpack"
)

// testSigner signs with a SAT test CSD of the reference pack; the key is
// decrypted once (PBES2 through youmark/pkcs8).
type testSigner struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
	b64  string
	no   string
}

func (s *testSigner) NoCertificado() string     { return s.no }
func (s *testSigner) CertificateBase64() string { return s.b64 }
func (s *testSigner) SignSHA1(data []byte) ([]byte, error) {
	sum := sha1.Sum(data)
	return rsa.SignPKCS1v15(nil, s.key, crypto.SHA1, sum[:])
}
func (s *testSigner) Sign(cadena []byte) ([]byte, error) {
	sum := sha256.Sum256(cadena)
	return rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, sum[:])
}

var (
	signerMu    sync.Mutex
	signerCache = map[string]*testSigner{}
)

// mustSigner returns the test signer of the CSD named rfc (a file stem in csd/).
func mustSigner(tb testing.TB, rfc string) *testSigner {
	tb.Helper()
	signerMu.Lock()
	defer signerMu.Unlock()
	if s, ok := signerCache[rfc]; ok {
		return s
	}
	der := testpack.Read(tb, "csd", rfc+".cer")
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	key, err := pkcs8.ParsePKCS8PrivateKeyRSA(testpack.Read(tb, "csd", rfc+".key"), []byte("12345678a"))
	if err != nil {
		tb.Fatalf("decrypt %s.key: %v", rfc, err)
	}
	s := &testSigner{key: key, cert: cert, b64: base64.StdEncoding.EncodeToString(der), no: CertificateNumber(cert)}
	signerCache[rfc] = s
	return s
}

// satCerts returns the certificates that sign SelloSAT in the pack.
func satCerts(tb testing.TB) []*x509.Certificate {
	tb.Helper()
	files, err := filepath.Glob(testpack.Path(tb, "csd", "sat-tfd", "*.cer"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no SAT TFD certificates: %v", err)
	}
	var out []*x509.Certificate
	for _, f := range files {
		der, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// invoice returns an unsealed Ingreso with n concepts at IVA 16 %, amounts
// consistent, issued by the test CSD EKU9003173C9.
func invoice(n int) *Comprobante {
	c := &Comprobante{
		Version: "4.0", Serie: "F", Folio: "1024", Fecha: "2025-11-20T10:15:00",
		FormaPago: "03", SubTotal: fmt.Sprintf("%d.00", 100*n*(n+1)/2), Moneda: "MXN",
		TipoDeComprobante: "I", Exportacion: "01", MetodoPago: "PUE", LugarExpedicion: "42501",
		Emisor:   Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: Receptor{Rfc: "URE180429TM6", Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601", UsoCFDI: "G03"},
	}
	var base, iva int
	for i := 1; i <= n; i++ {
		imp := 100 * i
		base += imp
		iva += 16 * i
		c.Conceptos = append(c.Conceptos, Concepto{
			ClaveProdServ: "43232408", NoIdentificacion: fmt.Sprintf("SKU-%03d", i), Cantidad: "1",
			ClaveUnidad: "H87", Unidad: "Pieza", Descripcion: fmt.Sprintf("Licencia de software módulo %d", i),
			ValorUnitario: fmt.Sprintf("%d.00", imp), Importe: fmt.Sprintf("%d.00", imp), ObjetoImp: "02",
			Impuestos: &ImpuestosConcepto{Traslados: []Traslado{{
				Base: fmt.Sprintf("%d.00", imp), Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: fmt.Sprintf("%d.00", 16*i),
			}}},
		})
	}
	c.Impuestos = &Impuestos{TotalImpuestosTrasladados: fmt.Sprintf("%d.00", iva), Traslados: []Traslado{{
		Base: fmt.Sprintf("%d.00", base), Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: fmt.Sprintf("%d.00", iva),
	}}}
	c.Total = fmt.Sprintf("%d.00", base+iva)
	return c
}

// allNodes exercises every node of cfdv40.xsd Folio models, with text that
// needs escaping and white space that the cadena must normalise.
func allNodes() *Comprobante {
	c := &Comprobante{
		Version: "4.0", Serie: "G", Folio: "77", Fecha: "2025-11-21T09:00:00", FormaPago: "01",
		CondicionesDePago: "Contado  \"inmediato\" <sin> crédito", SubTotal: "1000.00", Descuento: "100.00",
		Moneda: "MXN", Total: "930.00", TipoDeComprobante: "I", Exportacion: "01", MetodoPago: "PUE",
		LugarExpedicion:   "42501",
		InformacionGlobal: &InformacionGlobal{Periodicidad: "04", Meses: "11", Anio: "2025"},
		CfdiRelacionados: []CfdiRelacionados{
			{TipoRelacion: "04", CfdiRelacionado: []CfdiRelacionado{{UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF"}}},
			{TipoRelacion: "07", CfdiRelacionado: []CfdiRelacionado{{UUID: "A1B2C3D4-0000-4000-8000-000000000001"}, {UUID: "A1B2C3D4-0000-4000-8000-000000000002"}}},
		},
		Emisor:   Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: Receptor{Rfc: "XAXX010101000", Nombre: "PUBLICO EN GENERAL", DomicilioFiscalReceptor: "42501", RegimenFiscalReceptor: "616", UsoCFDI: "S01"},
		Conceptos: []Concepto{
			{
				ClaveProdServ: "01010101", NoIdentificacion: "V-1", Cantidad: "1", ClaveUnidad: "ACT", Unidad: "Actividad",
				Descripcion: "  Venta   del día\t& <otros> \"cargos\" 'varios' ⏻ ", ValorUnitario: "600.00", Importe: "600.00",
				Descuento: "100.00", ObjetoImp: "02",
				Impuestos: &ImpuestosConcepto{
					Traslados:   []Traslado{{Base: "500.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "80.00"}},
					Retenciones: []Retencion{{Base: "500.00", Impuesto: "001", TipoFactor: "Tasa", TasaOCuota: "0.100000", Importe: "50.00"}},
				},
				ACuentaTerceros:     &ACuentaTerceros{RfcACuentaTerceros: "CACX7605101P8", NombreACuentaTerceros: "XOCHILT CASAS CHAVEZ", RegimenFiscalACuentaTerceros: "612", DomicilioFiscalACuentaTerceros: "36257"},
				InformacionAduanera: []InformacionAduanera{{NumeroPedimento: "23  47  3807  8003832"}},
				CuentaPredial:       []CuentaPredial{{Numero: "15956011002"}},
				Parte: []Parte{{
					ClaveProdServ: "01010101", NoIdentificacion: "P-1", Cantidad: "2", Unidad: "Pieza", Descripcion: "Parte uno",
					ValorUnitario: "50.00", Importe: "100.00",
					InformacionAduanera: []InformacionAduanera{{NumeroPedimento: "23  47  3807  8003833"}},
				}},
			},
			{
				ClaveProdServ: "01010101", Cantidad: "1", ClaveUnidad: "ACT", Descripcion: "Servicio exento",
				ValorUnitario: "400.00", Importe: "400.00", ObjetoImp: "02",
				Impuestos: &ImpuestosConcepto{Traslados: []Traslado{{Base: "400.00", Impuesto: "002", TipoFactor: "Exento"}}},
			},
		},
		Impuestos: &Impuestos{
			TotalImpuestosRetenidos: "50.00", TotalImpuestosTrasladados: "80.00",
			Retenciones: []Retencion{{Impuesto: "001", Importe: "50.00"}},
			Traslados: []Traslado{
				{Base: "500.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "80.00"},
				{Base: "400.00", Impuesto: "002", TipoFactor: "Exento"},
			},
		},
		Addenda: []byte(`<fol:Pedido xmlns:fol="urn:folio:addenda" numero="PO-9 &amp; 10"><fol:Nota>Entregar en almacén</fol:Nota></fol:Pedido>`),
	}
	return c
}

// payment is a Pago with Pagos 2.0: two related documents, taxes and totals.
func payment() *Comprobante {
	return &Comprobante{
		Version: "4.0", Serie: "P", Folio: "15", Fecha: "2025-11-22T12:00:00", SubTotal: "0", Moneda: "XXX", Total: "0",
		TipoDeComprobante: "P", Exportacion: "01", LugarExpedicion: "42501",
		Emisor:    Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor:  Receptor{Rfc: "URE180429TM6", Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601", UsoCFDI: "CP01"},
		Conceptos: []Concepto{{ClaveProdServ: "84111506", Cantidad: "1", ClaveUnidad: "ACT", Descripcion: "Pago", ValorUnitario: "0", Importe: "0", ObjetoImp: "01"}},
		Complemento: &Complemento{Pagos: &Pagos{
			Version: "2.0",
			Totales: &PagosTotales{TotalRetencionesISR: "100.00", TotalTrasladosBaseIVA16: "1500.00", TotalTrasladosImpuestoIVA16: "240.00", MontoTotalPagos: "1640.00"},
			Pago: []Pago{{
				FechaPago: "2025-11-21T12:00:00", FormaDePagoP: "03", MonedaP: "MXN", TipoCambioP: "1", Monto: "1640.00", NumOperacion: "SPEI-123",
				DoctoRelacionado: []DoctoRelacionado{
					{
						IdDocumento: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", Serie: "F", Folio: "1024", MonedaDR: "MXN", EquivalenciaDR: "1",
						NumParcialidad: "1", ImpSaldoAnt: "1160.00", ImpPagado: "1160.00", ImpSaldoInsoluto: "0.00", ObjetoImpDR: "02",
						ImpuestosDR: &ImpuestosDR{TrasladosDR: []TrasladoDR{{BaseDR: "1000.00", ImpuestoDR: "002", TipoFactorDR: "Tasa", TasaOCuotaDR: "0.160000", ImporteDR: "160.00"}}},
					},
					{
						IdDocumento: "A1B2C3D4-0000-4000-8000-000000000003", MonedaDR: "MXN", EquivalenciaDR: "1",
						NumParcialidad: "2", ImpSaldoAnt: "1000.00", ImpPagado: "480.00", ImpSaldoInsoluto: "520.00", ObjetoImpDR: "02",
						ImpuestosDR: &ImpuestosDR{
							RetencionesDR: []RetencionDR{{BaseDR: "500.00", ImpuestoDR: "001", TipoFactorDR: "Tasa", TasaOCuotaDR: "0.200000", ImporteDR: "100.00"}},
							TrasladosDR:   []TrasladoDR{{BaseDR: "500.00", ImpuestoDR: "002", TipoFactorDR: "Tasa", TasaOCuotaDR: "0.160000", ImporteDR: "80.00"}},
						},
					},
				},
				ImpuestosP: &ImpuestosP{
					RetencionesP: []RetencionP{{ImpuestoP: "001", ImporteP: "100.00"}},
					TrasladosP:   []TrasladoP{{BaseP: "1500.00", ImpuestoP: "002", TipoFactorP: "Tasa", TasaOCuotaP: "0.160000", ImporteP: "240.00"}},
				},
			}},
		}},
	}
}
