package pac

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/stamping"
)

// parseTFD reads a tfd:TimbreFiscalDigital element (with or without an XML
// declaration) as SW returns it in data.tfd.
func parseTFD(s string) (*cfdi.TimbreFiscalDigital, error) {
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("parse tfd: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "TimbreFiscalDigital" {
			continue
		}
		t := &cfdi.TimbreFiscalDigital{}
		for _, a := range se.Attr {
			if a.Name.Space != "" && a.Name.Space != "http://www.sat.gob.mx/TimbreFiscalDigital" {
				continue
			}
			switch a.Name.Local {
			case "Version":
				t.Version = a.Value
			case "UUID":
				t.UUID = a.Value
			case "FechaTimbrado":
				t.FechaTimbrado = a.Value
			case "RfcProvCertif":
				t.RfcProvCertif = a.Value
			case "Leyenda":
				t.Leyenda = a.Value
			case "SelloCFD":
				t.SelloCFD = a.Value
			case "NoCertificadoSAT":
				t.NoCertificadoSAT = a.Value
			case "SelloSAT":
				t.SelloSAT = a.Value
			}
		}
		return t, nil
	}
}

// Cancel requests the cancellation of a CFDI whose issuer CSD is stored in
// the PAC account: POST /cfdi33/cancel/{rfc}/{uuid}/{motivo}[/{folioSustitucion}].
// EstatusUUID 201 and 202 return no error; other SAT codes return a Rejected
// error carrying the code; 205 (UUID not yet known to SAT) is Unavailable.
func (c *Client) Cancel(ctx context.Context, cr stamping.CancelRequest) (stamping.CancelReceipt, error) {
	const op = "pac.Cancel"
	if err := cr.Validate(); err != nil {
		return stamping.CancelReceipt{}, err
	}
	path := "/cfdi33/cancel/" + url.PathEscape(cr.IssuerRFC) + "/" + url.PathEscape(cr.UUID) + "/" + cr.Motivo
	if cr.FolioSustitucion != "" {
		path += "/" + url.PathEscape(cr.FolioSustitucion)
	}
	r, err := c.call(ctx, func(tok string) (*http.Request, []byte, error) {
		req, err := http.NewRequest(http.MethodPost, c.cfg.ServicesURL+path, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		return req, nil, nil
	})
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return stamping.CancelReceipt{}, err
		}
		return stamping.CancelReceipt{}, domain.E(domain.Unavailable, op, "No se pudo comunicar con el PAC para cancelar.", err)
	}
	var d CancelData
	if r.json && len(r.env.Data) > 0 && r.env.Data[0] == '{' {
		_ = json.Unmarshal(r.env.Data, &d)
	}
	res := stamping.CancelReceipt{Acuse: []byte(d.Acuse)}
	for k, v := range d.UUID {
		if strings.EqualFold(k, cr.UUID) {
			res.EstatusUUID = v
		}
	}
	if r.status != http.StatusOK || r.env.Status != "success" {
		if res.EstatusUUID == "" {
			return res, envError(op, r, "El PAC no aceptó la solicitud de cancelación.")
		}
	}
	switch res.EstatusUUID {
	case "201", "202":
		return res, nil
	case "205":
		e := domain.E(domain.Unavailable, op, "El SAT aún no registra el comprobante; intente cancelar más tarde.", fmt.Errorf("estatus 205"))
		e.Code = "205"
		return res, e
	case "":
		return res, envError(op, r, "El PAC no devolvió el estatus de la cancelación.")
	}
	e := domain.E(domain.Rejected, op, cancelHint(res.EstatusUUID), fmt.Errorf("estatus %s", res.EstatusUUID))
	e.Code = res.EstatusUUID
	return res, e
}

func cancelHint(code string) string {
	switch code {
	case "203":
		return "El folio fiscal no corresponde al emisor."
	case "204":
		return "El comprobante no es cancelable (p. ej. tiene documentos relacionados vigentes)."
	case "207":
		return "El motivo de cancelación no es válido."
	case "208":
		return "El folio de sustitución no es válido."
	case "209":
		return "El folio de sustitución no se requiere para este motivo."
	}
	return "El SAT no aceptó la solicitud de cancelación."
}

// CancelStatus asks SAT's status service for a CFDI's state.
func (c *Client) CancelStatus(ctx context.Context, q stamping.StatusQuery) (stamping.SATStatus, error) {
	const op = "pac.CancelStatus"
	fe := q.Sello
	if len(fe) > 8 {
		fe = fe[len(fe)-8:]
	}
	expr := "?re=" + q.Emisor + "&rr=" + q.Receptor + "&tt=" + q.Total + "&id=" + q.UUID + "&fe=" + fe
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tem="http://tempuri.org/"><soap:Body><tem:Consulta><tem:expresionImpresa><![CDATA[`)
	buf.WriteString(strings.ReplaceAll(expr, "]]>", ""))
	buf.WriteString(`]]></tem:expresionImpresa></tem:Consulta></soap:Body></soap:Envelope>`)
	body := buf.Bytes()
	req, err := http.NewRequest(http.MethodPost, c.cfg.SATStatusURL, bytes.NewReader(body))
	if err != nil {
		return stamping.SATStatus{}, domain.E(domain.Invalid, op, "La dirección del servicio de consulta del SAT no es válida.", err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", "http://tempuri.org/IConsultaCFDIService/Consulta")
	r, err := c.do(ctx, req, body)
	if err != nil || r.status != http.StatusOK {
		if err == nil {
			err = fmt.Errorf("status %d", r.status)
		}
		return stamping.SATStatus{}, domain.E(domain.Unavailable, op, "No se pudo consultar el estado del comprobante en el SAT.", err)
	}
	var st stamping.SATStatus
	dec := xml.NewDecoder(bytes.NewReader(r.body))
	var field *string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return stamping.SATStatus{}, domain.E(domain.Unavailable, op, "La respuesta del SAT no es válida.", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			field = map[string]*string{"CodigoEstatus": &st.CodigoEstatus, "Estado": &st.Estado,
				"EsCancelable": &st.EsCancelable, "EstatusCancelacion": &st.EstatusCancelacion}[t.Name.Local]
		case xml.CharData:
			if field != nil {
				*field += string(t)
			}
		case xml.EndElement:
			field = nil
		}
	}
	if st.CodigoEstatus == "" {
		return stamping.SATStatus{}, domain.E(domain.Unavailable, op, "La respuesta del SAT no es válida.", errors.New("no CodigoEstatus"))
	}
	return st, nil
}
