package cfdi

// Catalogs is the port through which the pre-flight validation of a
// Comprobante consults SAT's catalogs. *sat.Catalogs implements it; every
// method is a pure, O(1) lookup that never fails (an unknown key is false).
type Catalogs interface {
	CodigoPostalExists(cp string) bool
	RegimenExists(regimen string) bool
	RegimenAllowed(regimen string, personaMoral bool) bool
	UsoCFDIAllowed(uso, regimenReceptor string) bool
	FormaPagoExists(code string) bool
	MonedaDecimals(code string) (decimals int32, ok bool)
	TasaOCuotaAllowed(impuesto, tipoFactor, valor string, retencion bool) bool
	ClaveProdServExists(key string) bool
	ClaveUnidadExists(key string) bool
	ObjetoImpExists(code string) bool
	ExportacionExists(code string) bool
	TipoRelacionExists(code string) bool
	PaisExists(code string) bool
}
