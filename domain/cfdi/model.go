package cfdi

// The model mirrors Anexo 20 / cfdv40.xsd. Every XML attribute is a string
// field named exactly like the SAT attribute and holds the attribute text as
// it reads after XML parsing; "" means the attribute is absent. Amounts are
// strings too: computation happens in domain/tax with decimal.

// Namespaces and schema locations as SAT publishes them.
const (
	NSCFDI  = "http://www.sat.gob.mx/cfd/4"
	NSTFD   = "http://www.sat.gob.mx/TimbreFiscalDigital"
	NSPagos = "http://www.sat.gob.mx/Pagos20"
	NSXSI   = "http://www.w3.org/2001/XMLSchema-instance"

	SchemaCFDI  = "http://www.sat.gob.mx/sitio_internet/cfd/4/cfdv40.xsd"
	SchemaTFD   = "http://www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/TimbreFiscalDigitalv11.xsd"
	SchemaPagos = "http://www.sat.gob.mx/sitio_internet/cfd/Pagos/Pagos20.xsd"
)

// Comprobante is a CFDI 4.0 document (cfdi:Comprobante).
type Comprobante struct {
	Version, Serie, Folio, Fecha, Sello, FormaPago, NoCertificado, Certificado, CondicionesDePago,
	SubTotal, Descuento, Moneda, TipoCambio, Total, TipoDeComprobante, Exportacion, MetodoPago,
	LugarExpedicion, Confirmacion string

	InformacionGlobal *InformacionGlobal
	CfdiRelacionados  []CfdiRelacionados
	Emisor            Emisor
	Receptor          Receptor
	Conceptos         []Concepto
	Impuestos         *Impuestos
	Complemento       *Complemento
	// Addenda is the verbatim inner XML of cfdi:Addenda, nil if absent.
	// Namespace prefixes declared on ancestors are re-declared on its
	// top-level elements so the bytes stand on their own.
	Addenda []byte
}

// InformacionGlobal is the node of a "factura global" to the general public.
// Anio holds the attribute "Año".
type InformacionGlobal struct {
	Periodicidad, Meses, Anio string
}

// CfdiRelacionados is one group of related CFDI sharing a TipoRelacion.
type CfdiRelacionados struct {
	TipoRelacion    string
	CfdiRelacionado []CfdiRelacionado
}

// CfdiRelacionado names one related CFDI by its UUID.
type CfdiRelacionado struct {
	UUID string
}

// Emisor is the issuer.
type Emisor struct {
	Rfc, Nombre, RegimenFiscal, FacAtrAdquirente string
}

// Receptor is the receiver.
type Receptor struct {
	Rfc, Nombre, DomicilioFiscalReceptor, ResidenciaFiscal, NumRegIdTrib,
	RegimenFiscalReceptor, UsoCFDI string
}

// Concepto is one line of the document.
type Concepto struct {
	ClaveProdServ, NoIdentificacion, Cantidad, ClaveUnidad, Unidad, Descripcion,
	ValorUnitario, Importe, Descuento, ObjetoImp string

	Impuestos           *ImpuestosConcepto
	ACuentaTerceros     *ACuentaTerceros
	InformacionAduanera []InformacionAduanera
	CuentaPredial       []CuentaPredial
	// ComplementoConcepto is the verbatim inner XML of cfdi:ComplementoConcepto, nil if absent.
	ComplementoConcepto []byte
	Parte               []Parte
}

// ImpuestosConcepto holds the taxes of one Concepto.
type ImpuestosConcepto struct {
	Traslados   []Traslado
	Retenciones []Retencion
}

// Traslado is a transferred tax, at concept or document level.
type Traslado struct {
	Base, Impuesto, TipoFactor, TasaOCuota, Importe string
}

// Retencion is a withheld tax. At document level only Impuesto and Importe
// are used.
type Retencion struct {
	Base, Impuesto, TipoFactor, TasaOCuota, Importe string
}

// ACuentaTerceros identifies the third party on whose behalf a concept is billed.
type ACuentaTerceros struct {
	RfcACuentaTerceros, NombreACuentaTerceros, RegimenFiscalACuentaTerceros,
	DomicilioFiscalACuentaTerceros string
}

// InformacionAduanera carries a customs document number.
type InformacionAduanera struct {
	NumeroPedimento string
}

// CuentaPredial carries a property tax account number.
type CuentaPredial struct {
	Numero string
}

// Parte is a part of a Concepto.
type Parte struct {
	ClaveProdServ, NoIdentificacion, Cantidad, Unidad, Descripcion, ValorUnitario, Importe string

	InformacionAduanera []InformacionAduanera
}

// Impuestos is the document-level tax summary.
type Impuestos struct {
	TotalImpuestosRetenidos, TotalImpuestosTrasladados string

	Retenciones []Retencion
	Traslados   []Traslado
}

// Complemento holds the complements. The TimbreFiscalDigital 1.1 and Pagos
// 2.0 are typed; any other complement is kept as the verbatim XML of its
// element in Others (ancestor namespace declarations re-declared on it).
type Complemento struct {
	TimbreFiscalDigital *TimbreFiscalDigital
	Pagos               *Pagos
	Others              [][]byte

	// pagosAt is how many of Others precede Pagos in the document (Parse
	// records it: the cadena follows document order); 0 puts Pagos first.
	pagosAt int
}

// pagosIndex is pagosAt within the bounds of Others.
func (cm *Complemento) pagosIndex() int {
	return min(max(cm.pagosAt, 0), len(cm.Others))
}

// TimbreFiscalDigital is the stamp (tfd:TimbreFiscalDigital 1.1) a PAC adds.
type TimbreFiscalDigital struct {
	Version, UUID, FechaTimbrado, RfcProvCertif, Leyenda, SelloCFD, NoCertificadoSAT, SelloSAT string
}

// Pagos is the payment complement (pago20:Pagos, Pagos20.xsd).
type Pagos struct {
	Version string
	Totales *PagosTotales
	Pago    []Pago
}

// PagosTotales is pago20:Totales.
type PagosTotales struct {
	TotalRetencionesIVA, TotalRetencionesISR, TotalRetencionesIEPS,
	TotalTrasladosBaseIVA16, TotalTrasladosImpuestoIVA16,
	TotalTrasladosBaseIVA8, TotalTrasladosImpuestoIVA8,
	TotalTrasladosBaseIVA0, TotalTrasladosImpuestoIVA0,
	TotalTrasladosBaseIVAExento, MontoTotalPagos string
}

// Pago is one payment (pago20:Pago).
type Pago struct {
	FechaPago, FormaDePagoP, MonedaP, TipoCambioP, Monto, NumOperacion,
	RfcEmisorCtaOrd, NomBancoOrdExt, CtaOrdenante, RfcEmisorCtaBen, CtaBeneficiario,
	TipoCadPago, CertPago, CadPago, SelloPago string

	DoctoRelacionado []DoctoRelacionado
	ImpuestosP       *ImpuestosP
}

// DoctoRelacionado is a document paid by a Pago.
type DoctoRelacionado struct {
	IdDocumento, Serie, Folio, MonedaDR, EquivalenciaDR, NumParcialidad,
	ImpSaldoAnt, ImpPagado, ImpSaldoInsoluto, ObjetoImpDR string

	ImpuestosDR *ImpuestosDR
}

// ImpuestosDR holds the taxes of a DoctoRelacionado.
type ImpuestosDR struct {
	RetencionesDR []RetencionDR
	TrasladosDR   []TrasladoDR
}

// RetencionDR is a withheld tax of a DoctoRelacionado.
type RetencionDR struct {
	BaseDR, ImpuestoDR, TipoFactorDR, TasaOCuotaDR, ImporteDR string
}

// TrasladoDR is a transferred tax of a DoctoRelacionado.
type TrasladoDR struct {
	BaseDR, ImpuestoDR, TipoFactorDR, TasaOCuotaDR, ImporteDR string
}

// ImpuestosP holds the taxes of a Pago.
type ImpuestosP struct {
	RetencionesP []RetencionP
	TrasladosP   []TrasladoP
}

// RetencionP is a withheld tax of a Pago.
type RetencionP struct {
	ImpuestoP, ImporteP string
}

// TrasladoP is a transferred tax of a Pago.
type TrasladoP struct {
	BaseP, ImpuestoP, TipoFactorP, TasaOCuotaP, ImporteP string
}
