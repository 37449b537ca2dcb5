package sales

// Catalogs is the part of the SAT catalogs that the sales rules consult.
// *sat.Catalogs satisfies it.
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
	PaisExists(code string) bool
}
