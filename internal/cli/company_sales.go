package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

const companySalesUsage = "company ventas [--terceros si|no] [--vendedores si|no]"

// companySales shows or changes the active company's sales switches, the
// ones of Empresa › Ventas in the window: billing on behalf of third
// parties ("Manejar facturación / cobros a terceros") and several sellers
// per sale. Without flags it prints them.
func companySales(ctx context.Context, e *Env, args []string) error {
	fs := flag.NewFlagSet("company ventas", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	terceros := fs.String("terceros", "", "")
	vendedores := fs.String("vendedores", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage{companySalesUsage}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	cur, err := s.SalesSettings(ctx, co.RFC)
	if err != nil {
		return err
	}
	next := cur
	for _, f := range []struct {
		text string
		to   *bool
	}{{*terceros, &next.ThirdParties}, {*vendedores, &next.MultipleSellers}} {
		if f.text == "" {
			continue
		}
		on, ok := yesNo(f.text)
		if !ok {
			return errUsage{companySalesUsage}
		}
		*f.to = on
	}
	if next != cur {
		if err := s.SetSalesSettings(ctx, co.RFC, next); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.Stdout, "%s: facturación a terceros %s; varios vendedores por venta %s.\n", co.RFC, onOff(next.ThirdParties), onOff(next.MultipleSellers))
	return nil
}

// yesNo reads "si"/"sí"/"no" (and "on"/"off").
func yesNo(s string) (on, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "si", "sí", "on", "true", "1":
		return true, true
	case "no", "off", "false", "0":
		return false, true
	}
	return false, false
}

func onOff(b bool) string {
	if b {
		return "activada"
	}
	return "desactivada"
}
