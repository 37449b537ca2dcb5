package sim_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
)

// raw posts an xml part to path and decodes the SW envelope.
func raw(t *testing.T, s *sim.Server, path, token string, xml []byte) (int, pac.Envelope, pac.StampData) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	pw, _ := mw.CreateFormFile("xml", "xml")
	pw.Write(xml)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var env pac.Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%s: not an SW envelope: %s", path, body)
	}
	var d pac.StampData
	if len(env.Data) > 0 && env.Data[0] == '{' {
		json.Unmarshal(env.Data, &d)
	}
	return resp.StatusCode, env, d
}

// TestProtocolShapes checks the simulator against the documented SW shapes:
// response versions v1–v4, /b64, 307 with data on v2/v4 routes only, token
// errors and both authentication routes.
func TestProtocolShapes(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{SkipQR: false}, 100)
	sealed := simtest.Sealed(t, "P", "1", time.Now())

	// Token errors.
	if st, env, _ := raw(t, s, "/v4/cfdi33/stamp/v4", "", sealed); st != 401 || pac.Code(env.Message) != "AU4101" {
		t.Errorf("no token: %d %q", st, env.Message)
	}
	if _, env, _ := raw(t, s, "/v4/cfdi33/stamp/v4", "two.parts", sealed); env.Message != "El token debe contener 3 partes" {
		t.Errorf("2-part token: %q", env.Message)
	}
	if st, env, _ := raw(t, s, "/v4/cfdi33/stamp/v4", "a.b.c", sealed); st != 401 || pac.Code(env.Message) != "AU4000" {
		t.Errorf("unknown token: %d %q", st, env.Message)
	}
	// Legacy authentication with headers gives a 3-part token and an absolute expiry.
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/security/authenticate", nil)
	req.Header.Set("user", user)
	req.Header.Set("password", password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var env pac.Envelope
	json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	var auth pac.AuthData
	json.Unmarshal(env.Data, &auth)
	if strings.Count(auth.Token, ".") != 2 || auth.TokenType != "Bearer" || auth.ExpiresIn < time.Now().Add(119*time.Minute).Unix() {
		t.Fatalf("legacy auth = %+v", auth)
	}
	tok := auth.Token

	// v4 success carries every field; the QR is a PNG.
	st, env, d := raw(t, s, "/v4/cfdi33/stamp/v4", tok, sealed)
	if st != 200 || env.Status != "success" || d.UUID == "" || d.CFDI == "" || d.SelloSAT == "" || len(d.NoCertificadoSAT) != 20 ||
		!strings.HasPrefix(d.CadenaOriginalSAT, "||1.1|"+d.UUID+"|"+d.FechaTimbrado+"|SPR190613I52|") {
		t.Fatalf("v4 = %d %+v", st, d)
	}
	if png, _ := base64.StdEncoding.DecodeString(d.QRCode); !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Error("qrCode is not a PNG")
	}
	// Resubmissions: 307 with data in the requested shape on v2 and v4 routes.
	for _, tc := range []struct {
		path          string
		tfd, cfdi, v4 bool
	}{
		{"/v4/cfdi33/stamp/v1", true, false, false},
		{"/v4/cfdi33/stamp/v2", true, true, false},
		{"/cfdi33/v2/stamp/v3", false, true, false},
		{"/v4/cfdi33/stamp/v4", false, true, true},
		{"/cfdi33/stamp/v4", false, false, false}, // classic route: no data
	} {
		st, env, got := raw(t, s, tc.path, tok, sealed)
		if st == 200 || env.Message != "307. El comprobante contiene un timbre previo." || (got.TFD != "") != tc.tfd ||
			(got.CFDI != "") != tc.cfdi || (got.UUID == d.UUID) != tc.v4 {
			t.Errorf("%s: %d %q tfd=%v cfdi=%v uuid=%q", tc.path, st, env.Message, got.TFD != "", got.CFDI != "", got.UUID)
		}
	}
	// /b64: the part is Base64 and tfd/cfdi come back Base64-encoded.
	other := simtest.Sealed(t, "P", "2", time.Now())
	_, env, got := raw(t, s, "/v4/cfdi33/stamp/v2/b64", tok, []byte(base64.StdEncoding.EncodeToString(other)))
	cfdiXML, err := base64.StdEncoding.DecodeString(got.CFDI)
	if env.Status != "success" || err != nil || !bytes.Contains(cfdiXML, []byte("tfd:TimbreFiscalDigital")) {
		t.Errorf("b64 = %q %v", env.Message, err)
	}
	// Empty part.
	if _, env, _ := raw(t, s, "/v4/cfdi33/stamp/v4", tok, nil); env.Message != "Xml CFDI33 no proporcionado o viene vacio." {
		t.Errorf("empty = %q", env.Message)
	}
	// Sending the stamped output back is treated as already stamped.
	if _, env, _ := raw(t, s, "/v4/cfdi33/stamp/v4", tok, []byte(d.CFDI)); pac.Code(env.Message) != "307" {
		t.Errorf("stamped input = %q", env.Message)
	}
}
