package cfdi

import (
	"bytes"
	"fmt"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"image/png"
	"testing"
)

func TestVerificationURL(t *testing.T) {
	stamped := func(emisor, receptor, total, sello string) *Comprobante {
		return &Comprobante{
			Total: total, Sello: sello,
			Emisor: Emisor{Rfc: emisor}, Receptor: Receptor{Rfc: receptor},
			Complemento: &Complemento{TimbreFiscalDigital: &TimbreFiscalDigital{UUID: "CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC"}},
		}
	}
	const base = "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC"
	tests := []struct {
		name string
		c    *Comprobante
		want string
	}{
		{"two decimals", stamped("POT9207213D6", "DIM8701081LA", "2010.01", "xxxx/OAgdg=="), base + "&re=POT9207213D6&rr=DIM8701081LA&tt=2010.01&fe=/OAgdg=="},
		{"zeros dropped", stamped("EKU9003173C9", "XAXX010101000", "1000.500000", "abcdefghij"), base + "&re=EKU9003173C9&rr=XAXX010101000&tt=1000.5&fe=cdefghij"},
		{"integer keeps one decimal", stamped("EKU9003173C9", "XAXX010101000", "1000", "12345678"), base + "&re=EKU9003173C9&rr=XAXX010101000&tt=1000.0&fe=12345678"},
		{"zero total", stamped("EKU9003173C9", "XAXX010101000", "0", "12345678"), base + "&re=EKU9003173C9&rr=XAXX010101000&tt=0.0&fe=12345678"},
		{"six decimals", stamped("EKU9003173C9", "XAXX010101000", "0.123456", "12345678"), base + "&re=EKU9003173C9&rr=XAXX010101000&tt=0.123456&fe=12345678"},
		{"ampersand RFC", stamped("H&E951128469", "Ñ&A010101AAA", "14672.08", "zefAGVKwUQ=="), base + "&re=H&amp;E951128469&rr=Ñ&amp;A010101AAA&tt=14672.08&fe=GVKwUQ=="},
		{"not stamped", &Comprobante{Total: "1.10", Sello: "abc"}, "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=&re=&rr=&tt=1.1&fe=abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := VerificationURL(tc.c); got != tc.want {
				t.Errorf("VerificationURL =\n %s\nwant\n %s", got, tc.want)
			}
		})
	}
}

func TestQRCodePNG(t *testing.T) {
	url := VerificationURL(invoice(1))
	for _, size := range []int{200, 512} {
		b, err := QRCodePNG(url, size)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if r := img.Bounds(); r.Dx() < size || r.Dx() > 2*size || r.Dx() != r.Dy() {
			t.Errorf("size %d: image is %v", size, r)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatalf("size %d: decode: %v", size, err)
		}
		if got := res.GetText(); got != url {
			t.Errorf("size %d: QR says %q, want %q", size, got, url)
		}
	}
	if _, err := QRCodePNG(url, 0); err == nil {
		t.Error("QRCodePNG(0) = nil error")
	}
}

func ExampleVerificationURL() {
	c := &Comprobante{
		Total: "1160.00", Sello: "...Zm9saW8gdGVzdA==",
		Emisor:      Emisor{Rfc: "EKU9003173C9"},
		Receptor:    Receptor{Rfc: "H&E951128469"},
		Complemento: &Complemento{TimbreFiscalDigital: &TimbreFiscalDigital{UUID: "6F2C8E1A-3B4D-4C5E-9F60-7A8B9C0D1E2F"}},
	}
	fmt.Println(VerificationURL(c))
	// Output: https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=6F2C8E1A-3B4D-4C5E-9F60-7A8B9C0D1E2F&re=EKU9003173C9&rr=H&amp;E951128469&tt=1160.0&fe=dGVzdA==
}
