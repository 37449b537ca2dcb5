package delivery

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
)

var (
	demoOnce sync.Once
	demoCSD  *csd.CSD
	tfdKey   *rsa.PrivateKey
	demoErr  error
)

// demo returns the demo company's CSD and a key that plays the PAC's
// certificate when signing test TimbreFiscalDigital.
func demo(tb testing.TB) (*csd.CSD, *rsa.PrivateKey) {
	tb.Helper()
	demoOnce.Do(func() {
		demoCSD, demoErr = csd.Load(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword)
		if demoErr == nil {
			tfdKey, demoErr = rsa.GenerateKey(rand.Reader, 2048)
		}
	})
	if demoErr != nil {
		tb.Fatalf("demo CSD: %v", demoErr)
	}
	return demoCSD, tfdKey
}

// stampedXML returns a demo Ingreso with the given serie and folio, sealed
// with the demo CSD and carrying a TimbreFiscalDigital with the given UUID,
// as the PAC returns it.
func stampedXML(tb testing.TB, serie, folio, uuid string) []byte {
	tb.Helper()
	signer, key := demo(tb)
	fecha := time.Date(2026, 11, 20, 10, 30, 0, 0, domain.MexicoCity)
	c := &cfdi.Comprobante{
		Version: "4.0", Serie: serie, Folio: folio, Fecha: fecha.Format("2006-01-02T15:04:05"),
		FormaPago: "03", SubTotal: "1000.00", Moneda: "MXN", Total: "1160.00",
		TipoDeComprobante: "I", Exportacion: "01", MetodoPago: "PUE", LugarExpedicion: "42501",
		Emisor:   cfdi.Emisor{Rfc: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601"},
		Receptor: cfdi.Receptor{Rfc: "URE180429TM6", Nombre: "UNIVERSIDAD ROBOTICA ESPAÑOLA", DomicilioFiscalReceptor: "86991", RegimenFiscalReceptor: "601", UsoCFDI: "G03"},
		Conceptos: []cfdi.Concepto{{
			ClaveProdServ: "43232408", NoIdentificacion: "SKU-" + folio, Cantidad: "10", ClaveUnidad: "H87", Unidad: "Pieza",
			Descripcion: "Licencia de software", ValorUnitario: "100.00", Importe: "1000.00", ObjetoImp: "02",
			Impuestos: &cfdi.ImpuestosConcepto{Traslados: []cfdi.Traslado{{Base: "1000.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "160.00"}}},
		}},
		Impuestos: &cfdi.Impuestos{TotalImpuestosTrasladados: "160.00", Traslados: []cfdi.Traslado{{Base: "1000.00", Impuesto: "002", TipoFactor: "Tasa", TasaOCuota: "0.160000", Importe: "160.00"}}},
	}
	sealed, err := cfdi.Seal(c, signer)
	if err != nil {
		tb.Fatalf("seal: %v", err)
	}
	tfd := &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid, FechaTimbrado: fecha.Add(time.Minute).Format("2006-01-02T15:04:05"),
		RfcProvCertif: "SPR190613I52", SelloCFD: c.Sello, NoCertificadoSAT: "30001000000500009999"}
	sum := sha256.Sum256([]byte(cfdi.TFDCadena(tfd)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		tb.Fatal(err)
	}
	tfd.SelloSAT = base64.StdEncoding.EncodeToString(sig)
	out, err := cfdi.InsertTimbre(sealed, tfd)
	if err != nil {
		tb.Fatalf("insert timbre: %v", err)
	}
	return out
}

// testUUID returns a well-formed UUID that depends on n.
func testUUID(n int) string {
	return fmt.Sprintf("6F1E1A48-8B0E-4E5B-9B8E-%012X", n)
}
