package pac

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/folio-mx/folio/domain/stamping"
)

// Envelope is SW's JSON response envelope (pac/README.md §2). Data may be
// present on errors (307, CFDI3307).
type Envelope struct {
	Status        string          `json:"status"`
	Message       string          `json:"message"`
	MessageDetail string          `json:"messageDetail"`
	Data          json.RawMessage `json:"data"`
}

// StampData is the data of a stamp answer in any response shape (v1–v4).
type StampData struct {
	TFD               string `json:"tfd,omitempty"`
	CFDI              string `json:"cfdi,omitempty"`
	CadenaOriginalSAT string `json:"cadenaOriginalSAT,omitempty"`
	NoCertificadoSAT  string `json:"noCertificadoSAT,omitempty"`
	NoCertificadoCFDI string `json:"noCertificadoCFDI,omitempty"`
	UUID              string `json:"uuid,omitempty"`
	SelloSAT          string `json:"selloSAT,omitempty"`
	SelloCFDI         string `json:"selloCFDI,omitempty"`
	FechaTimbrado     string `json:"fechaTimbrado,omitempty"`
	QRCode            string `json:"qrCode,omitempty"`
}

// AuthData is the data of an authentication answer. ExpiresIn is an absolute
// Unix time in seconds; TokenType keeps SW's misspelled key.
type AuthData struct {
	Token     string `json:"token"`
	ExpiresIn int64  `json:"expires_in"`
	TokenType string `json:"tokeny_type"`
}

// BalanceData is the management v2 balance object (pac/README.md §6.1).
type BalanceData struct {
	IDUserBalance   string       `json:"idUserBalance"`
	IDUser          string       `json:"idUser"`
	StampsBalance   int64        `json:"stampsBalance"`
	StampsUsed      int64        `json:"stampsUsed"`
	StampsAssigned  int64        `json:"stampsAssigned"`
	IsUnlimited     bool         `json:"isUnlimited"`
	Unlimited       bool         `json:"unlimited,omitempty"`
	ExpirationDate  *string      `json:"expirationDate"`
	LastTransaction *Transaction `json:"lastTransaction"`
}

// Transaction is a balance movement as the management API reports it.
type Transaction struct {
	Folio          int64  `json:"folio"`
	IDUser         string `json:"idUser"`
	IDUserReceiver string `json:"idUserReceiver"`
	NameReceiver   string `json:"nameReceiver"`
	StampsIn       *int64 `json:"stampsIn"`
	StampsOut      *int64 `json:"stampsOut"`
	StampsCurrent  int64  `json:"stampsCurrent"`
	Comment        string `json:"comment"`
	Date           string `json:"date"`
	IsEmailSent    bool   `json:"isEmailSent"`
}

// CancelData is the data of a cancellation answer: the SAT acknowledgment and
// the EstatusUUID per UUID.
type CancelData struct {
	Acuse string            `json:"acuse"`
	UUID  map[string]string `json:"uuid"`
}

// StorageData is the data of GET /datawarehouse/v1/live/{uuid}.
type StorageData struct {
	Records []StorageRecord `json:"records"`
}

// StorageRecord is one stored CFDI; only the fields Folio uses.
type StorageRecord struct {
	UUID   string `json:"uuid"`
	Status string `json:"status"`
	URLXML string `json:"urlXml"`
}

var codeRE = regexp.MustCompile(`^[A-Z]*[0-9]+$`)

// Code extracts the error code at the start of an SW message: the leading
// token up to the first " - ", ". " or " " ("307", "AU2000", "CFDI3307",
// "CFDI40102", "CR1310"). Messages without a code give "".
func Code(message string) string {
	m := strings.TrimSpace(message)
	end := len(m)
	for _, sep := range []string{" - ", ". ", " "} {
		if i := strings.Index(m, sep); i >= 0 && i < end {
			end = i
		}
	}
	tok := strings.TrimRight(m[:end], ".:-")
	if codeRE.MatchString(tok) {
		return tok
	}
	return ""
}

// Classify maps an SW stamp error (its code and message) to a queue class,
// following pac/README.md §4.1.
func Classify(code, message string) stamping.Class {
	switch {
	case code == "307":
		return stamping.AlreadyStamped
	case code == "CFDI3307":
		return stamping.DuplicateCustomID
	case code == "AU2000":
		return stamping.BadCredentials
	case strings.HasPrefix(code, "AU"):
		return stamping.BadCredentials // token problems left after one re-authentication
	case code == "CO1000":
		return stamping.Retryable
	case outOfStamps(message):
		return stamping.OutOfStamps
	}
	return stamping.NeedsUser
}

// outOfStamps recognises the insufficient-balance answer by its text: SW's
// exact code is not documented (pac/README.md §4.1, [UNK]).
func outOfStamps(message string) bool {
	m := strings.ToLower(message)
	return strings.Contains(m, "timbres") && (strings.Contains(m, "saldo") || strings.Contains(m, "insuficiente") || strings.Contains(m, "agotado")) ||
		strings.Contains(m, "saldo insuficiente")
}

// Hint returns a Spanish explanation of what the user should change for a
// stamp error code, "" when there is nothing specific to say.
func Hint(code string) string {
	switch code {
	case "301":
		return "La estructura del XML no es válida. Revise los datos del comprobante y vuelva a sellarlo."
	case "302", "CFDI40102":
		return "El sello no corresponde al contenido. Vuelva a sellar el comprobante con su CSD."
	case "303":
		return "El RFC del certificado (CSD) no coincide con el RFC del emisor. Revise la configuración de la empresa."
	case "304":
		return "El CSD está revocado o caducado. Tramite un CSD nuevo en el SAT y configúrelo."
	case "305":
		return "La fecha del comprobante está fuera de la vigencia del CSD. Vuelva a fecharlo o use un CSD vigente."
	case "306":
		return "Se usó una e.firma (FIEL) en lugar de un CSD. Configure el Certificado de Sello Digital."
	case "308":
		return "El certificado no fue emitido por el SAT para este ambiente (¿CSD de pruebas en producción?). Revise la configuración del PAC."
	case "401":
		return "Pasaron más de 72 horas desde la fecha del comprobante. Debe volver a fecharlo y sellarlo con el mismo folio."
	case "402":
		return "El RFC emisor aún no aparece en la lista del SAT (LCO). Si el CSD es nuevo, espere hasta 72 horas."
	case "403":
		return "La fecha de emisión no es válida. Revise la fecha del comprobante."
	case "712":
		return "El número de certificado no corresponde al certificado incluido. Vuelva a sellar el comprobante."
	case "AU2000":
		return "Usuario o contraseña del PAC incorrectos. Revíselos en Configuración."
	}
	switch {
	case strings.HasPrefix(code, "CFDI40"):
		return "El SAT rechazó un dato del comprobante (" + code + "). Corrija el dato indicado y vuelva a sellarlo."
	case strings.HasPrefix(code, "CO"), strings.HasPrefix(code, "CC"):
		return "Un complemento o espacio de nombres del XML no es válido. Revise los complementos del comprobante."
	}
	return ""
}

// UserData is the management v2 user object (pac/README.md §6.1). Profile
// is kept raw: SDKs disagree on its type. AccessToken is the account's own
// token: a secret.
type UserData struct {
	IDUser             string          `json:"idUser"`
	IDDealer           string          `json:"idDealer"`
	Name               string          `json:"name"`
	TaxID              string          `json:"taxId"`
	Username           string          `json:"username"`
	LastPasswordChange *string         `json:"lastPasswordChange"`
	Email              string          `json:"email"`
	NotificationEmail  *string         `json:"notificationEmail"`
	Profile            json.RawMessage `json:"profile,omitempty"`
	IsActive           bool            `json:"isActive"`
	RegisteredDate     string          `json:"registeredDate"`
	AccessToken        string          `json:"accessToken"`
	Phone              *string         `json:"phone"`
	Stamps             int64           `json:"stamps"`
	IsUnlimited        bool            `json:"isUnlimited"`
}

// PageMeta is the pagination of a management v2 list (pac/README.md §6.1).
type PageMeta struct {
	Page       int `json:"page"`
	PerPage    int `json:"perPage"`
	PageCount  int `json:"pageCount"`
	TotalCount int `json:"totalCount"`
	TotalPages int `json:"totalPages"`
}

// PageLinks are the links of a management v2 list; SW capitalises them.
type PageLinks struct {
	Self  string `json:"Self"`
	First string `json:"First"`
	End   string `json:"End"`
	Next  string `json:"Next"`
}

// UserList is a management v2 list answer: the envelope plus meta and
// links beside data.
type UserList struct {
	Data  []UserData `json:"data"`
	Meta  *PageMeta  `json:"meta"`
	Links *PageLinks `json:"links"`
}

// DocumentData is a CFDI of an account as the local PAC lists it (a
// simulator extension: SW documents no such list for dealers).
type DocumentData struct {
	UUID        string `json:"uuid"`
	Received    bool   `json:"received"`
	Serie       string `json:"serie"`
	Folio       string `json:"folio"`
	RFCEmisor   string `json:"rfcEmisor"`
	RFCReceptor string `json:"rfcReceptor"`
	Fecha       string `json:"fecha"`
	Estatus     string `json:"estatus"`
	Total       string `json:"total"`
	URLXML      string `json:"urlXml"`
}
