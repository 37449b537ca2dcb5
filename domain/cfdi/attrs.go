package cfdi

// cadMode says how an attribute enters the cadena original, following
// utilerias.xslt: "Requerido" always writes "|value" (empty when absent),
// "Opcional" writes "|value" only when the attribute is present.
type cadMode uint8

const (
	cadSkip cadMode = iota // not part of the cadena (Sello, Certificado, SelloSAT…)
	cadReq                 // template "Requerido"
	cadOpt                 // template "Opcional"
)

// attrDef describes one attribute of a node: its SAT name, whether the XSD
// requires it (use="required") and how the cadena takes it. A table of
// attrDefs lists a node's attributes in XSD order, which is also the order of
// the writer; the cadena order of the XSLT is the same order with the cadSkip
// attributes left out (checked node by node against the XSLT).
type attrDef[T any] struct {
	name string
	req  bool
	cad  cadMode
	get  func(*T) *string
}

func req[T any](name string, get func(*T) *string) attrDef[T] {
	return attrDef[T]{name: name, req: true, cad: cadReq, get: get}
}

func opt[T any](name string, get func(*T) *string) attrDef[T] {
	return attrDef[T]{name: name, cad: cadOpt, get: get}
}

// cfdv40.xsd, Comprobante: Sello and Certificado are required but outside the cadena.
var comprobanteAttrs = []attrDef[Comprobante]{
	req("Version", func(c *Comprobante) *string { return &c.Version }),
	opt("Serie", func(c *Comprobante) *string { return &c.Serie }),
	opt("Folio", func(c *Comprobante) *string { return &c.Folio }),
	req("Fecha", func(c *Comprobante) *string { return &c.Fecha }),
	{name: "Sello", req: true, get: func(c *Comprobante) *string { return &c.Sello }},
	opt("FormaPago", func(c *Comprobante) *string { return &c.FormaPago }),
	req("NoCertificado", func(c *Comprobante) *string { return &c.NoCertificado }),
	{name: "Certificado", req: true, get: func(c *Comprobante) *string { return &c.Certificado }},
	opt("CondicionesDePago", func(c *Comprobante) *string { return &c.CondicionesDePago }),
	req("SubTotal", func(c *Comprobante) *string { return &c.SubTotal }),
	opt("Descuento", func(c *Comprobante) *string { return &c.Descuento }),
	req("Moneda", func(c *Comprobante) *string { return &c.Moneda }),
	opt("TipoCambio", func(c *Comprobante) *string { return &c.TipoCambio }),
	req("Total", func(c *Comprobante) *string { return &c.Total }),
	req("TipoDeComprobante", func(c *Comprobante) *string { return &c.TipoDeComprobante }),
	req("Exportacion", func(c *Comprobante) *string { return &c.Exportacion }),
	opt("MetodoPago", func(c *Comprobante) *string { return &c.MetodoPago }),
	req("LugarExpedicion", func(c *Comprobante) *string { return &c.LugarExpedicion }),
	opt("Confirmacion", func(c *Comprobante) *string { return &c.Confirmacion }),
}

var informacionGlobalAttrs = []attrDef[InformacionGlobal]{
	req("Periodicidad", func(v *InformacionGlobal) *string { return &v.Periodicidad }),
	req("Meses", func(v *InformacionGlobal) *string { return &v.Meses }),
	req("Año", func(v *InformacionGlobal) *string { return &v.Anio }),
}

var cfdiRelacionadosAttrs = []attrDef[CfdiRelacionados]{
	req("TipoRelacion", func(v *CfdiRelacionados) *string { return &v.TipoRelacion }),
}

var cfdiRelacionadoAttrs = []attrDef[CfdiRelacionado]{
	req("UUID", func(v *CfdiRelacionado) *string { return &v.UUID }),
}

var emisorAttrs = []attrDef[Emisor]{
	req("Rfc", func(v *Emisor) *string { return &v.Rfc }),
	req("Nombre", func(v *Emisor) *string { return &v.Nombre }),
	req("RegimenFiscal", func(v *Emisor) *string { return &v.RegimenFiscal }),
	opt("FacAtrAdquirente", func(v *Emisor) *string { return &v.FacAtrAdquirente }),
}

var receptorAttrs = []attrDef[Receptor]{
	req("Rfc", func(v *Receptor) *string { return &v.Rfc }),
	req("Nombre", func(v *Receptor) *string { return &v.Nombre }),
	req("DomicilioFiscalReceptor", func(v *Receptor) *string { return &v.DomicilioFiscalReceptor }),
	opt("ResidenciaFiscal", func(v *Receptor) *string { return &v.ResidenciaFiscal }),
	opt("NumRegIdTrib", func(v *Receptor) *string { return &v.NumRegIdTrib }),
	req("RegimenFiscalReceptor", func(v *Receptor) *string { return &v.RegimenFiscalReceptor }),
	req("UsoCFDI", func(v *Receptor) *string { return &v.UsoCFDI }),
}

var conceptoAttrs = []attrDef[Concepto]{
	req("ClaveProdServ", func(v *Concepto) *string { return &v.ClaveProdServ }),
	opt("NoIdentificacion", func(v *Concepto) *string { return &v.NoIdentificacion }),
	req("Cantidad", func(v *Concepto) *string { return &v.Cantidad }),
	req("ClaveUnidad", func(v *Concepto) *string { return &v.ClaveUnidad }),
	opt("Unidad", func(v *Concepto) *string { return &v.Unidad }),
	req("Descripcion", func(v *Concepto) *string { return &v.Descripcion }),
	req("ValorUnitario", func(v *Concepto) *string { return &v.ValorUnitario }),
	req("Importe", func(v *Concepto) *string { return &v.Importe }),
	opt("Descuento", func(v *Concepto) *string { return &v.Descuento }),
	req("ObjetoImp", func(v *Concepto) *string { return &v.ObjetoImp }),
}

// trasladoAttrs serves concept and document level alike (same XSLT rules).
var trasladoAttrs = []attrDef[Traslado]{
	req("Base", func(v *Traslado) *string { return &v.Base }),
	req("Impuesto", func(v *Traslado) *string { return &v.Impuesto }),
	req("TipoFactor", func(v *Traslado) *string { return &v.TipoFactor }),
	opt("TasaOCuota", func(v *Traslado) *string { return &v.TasaOCuota }),
	opt("Importe", func(v *Traslado) *string { return &v.Importe }),
}

// retencionAttrs is the concept-level Retencion: every attribute required.
var retencionAttrs = []attrDef[Retencion]{
	req("Base", func(v *Retencion) *string { return &v.Base }),
	req("Impuesto", func(v *Retencion) *string { return &v.Impuesto }),
	req("TipoFactor", func(v *Retencion) *string { return &v.TipoFactor }),
	req("TasaOCuota", func(v *Retencion) *string { return &v.TasaOCuota }),
	req("Importe", func(v *Retencion) *string { return &v.Importe }),
}

// retencionDocAttrs is the document-level Retencion: Impuesto and Importe only.
var retencionDocAttrs = []attrDef[Retencion]{
	req("Impuesto", func(v *Retencion) *string { return &v.Impuesto }),
	req("Importe", func(v *Retencion) *string { return &v.Importe }),
}

var aCuentaTercerosAttrs = []attrDef[ACuentaTerceros]{
	req("RfcACuentaTerceros", func(v *ACuentaTerceros) *string { return &v.RfcACuentaTerceros }),
	req("NombreACuentaTerceros", func(v *ACuentaTerceros) *string { return &v.NombreACuentaTerceros }),
	req("RegimenFiscalACuentaTerceros", func(v *ACuentaTerceros) *string { return &v.RegimenFiscalACuentaTerceros }),
	req("DomicilioFiscalACuentaTerceros", func(v *ACuentaTerceros) *string { return &v.DomicilioFiscalACuentaTerceros }),
}

var informacionAduaneraAttrs = []attrDef[InformacionAduanera]{
	req("NumeroPedimento", func(v *InformacionAduanera) *string { return &v.NumeroPedimento }),
}

var cuentaPredialAttrs = []attrDef[CuentaPredial]{
	req("Numero", func(v *CuentaPredial) *string { return &v.Numero }),
}

var parteAttrs = []attrDef[Parte]{
	req("ClaveProdServ", func(v *Parte) *string { return &v.ClaveProdServ }),
	opt("NoIdentificacion", func(v *Parte) *string { return &v.NoIdentificacion }),
	req("Cantidad", func(v *Parte) *string { return &v.Cantidad }),
	opt("Unidad", func(v *Parte) *string { return &v.Unidad }),
	req("Descripcion", func(v *Parte) *string { return &v.Descripcion }),
	opt("ValorUnitario", func(v *Parte) *string { return &v.ValorUnitario }),
	opt("Importe", func(v *Parte) *string { return &v.Importe }),
}

// impuestosAttrs: the cadena interleaves these with the child nodes, so the
// cadena code handles them by hand.
var impuestosAttrs = []attrDef[Impuestos]{
	opt("TotalImpuestosRetenidos", func(v *Impuestos) *string { return &v.TotalImpuestosRetenidos }),
	opt("TotalImpuestosTrasladados", func(v *Impuestos) *string { return &v.TotalImpuestosTrasladados }),
}

// TimbreFiscalDigitalv11.xsd; cadenaoriginal_TFD_1_1.xslt leaves out SelloSAT.
var tfdAttrs = []attrDef[TimbreFiscalDigital]{
	req("Version", func(v *TimbreFiscalDigital) *string { return &v.Version }),
	req("UUID", func(v *TimbreFiscalDigital) *string { return &v.UUID }),
	req("FechaTimbrado", func(v *TimbreFiscalDigital) *string { return &v.FechaTimbrado }),
	req("RfcProvCertif", func(v *TimbreFiscalDigital) *string { return &v.RfcProvCertif }),
	opt("Leyenda", func(v *TimbreFiscalDigital) *string { return &v.Leyenda }),
	req("SelloCFD", func(v *TimbreFiscalDigital) *string { return &v.SelloCFD }),
	req("NoCertificadoSAT", func(v *TimbreFiscalDigital) *string { return &v.NoCertificadoSAT }),
	{name: "SelloSAT", req: true, get: func(v *TimbreFiscalDigital) *string { return &v.SelloSAT }},
}

// Pagos20.xsd and complementos/Pagos20.xslt.
var pagosAttrs = []attrDef[Pagos]{
	req("Version", func(v *Pagos) *string { return &v.Version }),
}

var pagosTotalesAttrs = []attrDef[PagosTotales]{
	opt("TotalRetencionesIVA", func(v *PagosTotales) *string { return &v.TotalRetencionesIVA }),
	opt("TotalRetencionesISR", func(v *PagosTotales) *string { return &v.TotalRetencionesISR }),
	opt("TotalRetencionesIEPS", func(v *PagosTotales) *string { return &v.TotalRetencionesIEPS }),
	opt("TotalTrasladosBaseIVA16", func(v *PagosTotales) *string { return &v.TotalTrasladosBaseIVA16 }),
	opt("TotalTrasladosImpuestoIVA16", func(v *PagosTotales) *string { return &v.TotalTrasladosImpuestoIVA16 }),
	opt("TotalTrasladosBaseIVA8", func(v *PagosTotales) *string { return &v.TotalTrasladosBaseIVA8 }),
	opt("TotalTrasladosImpuestoIVA8", func(v *PagosTotales) *string { return &v.TotalTrasladosImpuestoIVA8 }),
	opt("TotalTrasladosBaseIVA0", func(v *PagosTotales) *string { return &v.TotalTrasladosBaseIVA0 }),
	opt("TotalTrasladosImpuestoIVA0", func(v *PagosTotales) *string { return &v.TotalTrasladosImpuestoIVA0 }),
	opt("TotalTrasladosBaseIVAExento", func(v *PagosTotales) *string { return &v.TotalTrasladosBaseIVAExento }),
	req("MontoTotalPagos", func(v *PagosTotales) *string { return &v.MontoTotalPagos }),
}

var pagoAttrs = []attrDef[Pago]{
	req("FechaPago", func(v *Pago) *string { return &v.FechaPago }),
	req("FormaDePagoP", func(v *Pago) *string { return &v.FormaDePagoP }),
	req("MonedaP", func(v *Pago) *string { return &v.MonedaP }),
	opt("TipoCambioP", func(v *Pago) *string { return &v.TipoCambioP }),
	req("Monto", func(v *Pago) *string { return &v.Monto }),
	opt("NumOperacion", func(v *Pago) *string { return &v.NumOperacion }),
	opt("RfcEmisorCtaOrd", func(v *Pago) *string { return &v.RfcEmisorCtaOrd }),
	opt("NomBancoOrdExt", func(v *Pago) *string { return &v.NomBancoOrdExt }),
	opt("CtaOrdenante", func(v *Pago) *string { return &v.CtaOrdenante }),
	opt("RfcEmisorCtaBen", func(v *Pago) *string { return &v.RfcEmisorCtaBen }),
	opt("CtaBeneficiario", func(v *Pago) *string { return &v.CtaBeneficiario }),
	opt("TipoCadPago", func(v *Pago) *string { return &v.TipoCadPago }),
	opt("CertPago", func(v *Pago) *string { return &v.CertPago }),
	opt("CadPago", func(v *Pago) *string { return &v.CadPago }),
	opt("SelloPago", func(v *Pago) *string { return &v.SelloPago }),
}

var doctoRelacionadoAttrs = []attrDef[DoctoRelacionado]{
	req("IdDocumento", func(v *DoctoRelacionado) *string { return &v.IdDocumento }),
	opt("Serie", func(v *DoctoRelacionado) *string { return &v.Serie }),
	opt("Folio", func(v *DoctoRelacionado) *string { return &v.Folio }),
	req("MonedaDR", func(v *DoctoRelacionado) *string { return &v.MonedaDR }),
	opt("EquivalenciaDR", func(v *DoctoRelacionado) *string { return &v.EquivalenciaDR }),
	req("NumParcialidad", func(v *DoctoRelacionado) *string { return &v.NumParcialidad }),
	req("ImpSaldoAnt", func(v *DoctoRelacionado) *string { return &v.ImpSaldoAnt }),
	req("ImpPagado", func(v *DoctoRelacionado) *string { return &v.ImpPagado }),
	req("ImpSaldoInsoluto", func(v *DoctoRelacionado) *string { return &v.ImpSaldoInsoluto }),
	req("ObjetoImpDR", func(v *DoctoRelacionado) *string { return &v.ObjetoImpDR }),
}

var retencionDRAttrs = []attrDef[RetencionDR]{
	req("BaseDR", func(v *RetencionDR) *string { return &v.BaseDR }),
	req("ImpuestoDR", func(v *RetencionDR) *string { return &v.ImpuestoDR }),
	req("TipoFactorDR", func(v *RetencionDR) *string { return &v.TipoFactorDR }),
	req("TasaOCuotaDR", func(v *RetencionDR) *string { return &v.TasaOCuotaDR }),
	req("ImporteDR", func(v *RetencionDR) *string { return &v.ImporteDR }),
}

var trasladoDRAttrs = []attrDef[TrasladoDR]{
	req("BaseDR", func(v *TrasladoDR) *string { return &v.BaseDR }),
	req("ImpuestoDR", func(v *TrasladoDR) *string { return &v.ImpuestoDR }),
	req("TipoFactorDR", func(v *TrasladoDR) *string { return &v.TipoFactorDR }),
	opt("TasaOCuotaDR", func(v *TrasladoDR) *string { return &v.TasaOCuotaDR }),
	opt("ImporteDR", func(v *TrasladoDR) *string { return &v.ImporteDR }),
}

var retencionPAttrs = []attrDef[RetencionP]{
	req("ImpuestoP", func(v *RetencionP) *string { return &v.ImpuestoP }),
	req("ImporteP", func(v *RetencionP) *string { return &v.ImporteP }),
}

var trasladoPAttrs = []attrDef[TrasladoP]{
	req("BaseP", func(v *TrasladoP) *string { return &v.BaseP }),
	req("ImpuestoP", func(v *TrasladoP) *string { return &v.ImpuestoP }),
	req("TipoFactorP", func(v *TrasladoP) *string { return &v.TipoFactorP }),
	opt("TasaOCuotaP", func(v *TrasladoP) *string { return &v.TasaOCuotaP }),
	opt("ImporteP", func(v *TrasladoP) *string { return &v.ImporteP }),
}
