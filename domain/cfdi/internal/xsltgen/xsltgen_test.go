package xsltgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pack writes a minimal pack whose one complement sheet has body as the
// template of x:A, and returns its folder.
func pack(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	x := filepath.Join(dir, "xslt")
	if err := os.MkdirAll(filepath.Join(x, "complementos"), 0o755); err != nil {
		t.Fatal(err)
	}
	const head = `<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:x="urn:x">`
	files := map[string]string{
		"cadenaoriginal_4_0.xslt": head + `<xsl:include href="utilerias.xslt"/><xsl:include href="complementos/x.xslt"/><xsl:template match="/">|<xsl:apply-templates select="/x:A"/>||</xsl:template></xsl:stylesheet>`,
		"utilerias.xslt": head + `<xsl:template name="Requerido">
		<xsl:param name="valor"/>|<xsl:call-template name="ManejaEspacios">
			<xsl:with-param name="s" select="$valor"/>
		</xsl:call-template>
	</xsl:template>
	<xsl:template name="Opcional">
		<xsl:param name="valor"/>
		<xsl:if test="$valor">|<xsl:call-template name="ManejaEspacios"><xsl:with-param name="s" select="$valor"/></xsl:call-template></xsl:if>
	</xsl:template>
	<xsl:template name="ManejaEspacios">
		<xsl:param name="s"/>
		<xsl:value-of select="normalize-space(string($s))"/>
	</xsl:template></xsl:stylesheet>`,
		"complementos/x.xslt": head + `<xsl:template match="x:A">` + body + `</xsl:template></xsl:stylesheet>`,
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(x, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadSubset(t *testing.T) {
	p, err := Load(pack(t, `<xsl:call-template name="Requerido"><xsl:with-param name="valor" select="./@v"/></xsl:call-template>
		<xsl:for-each select="x:B/x:C"><xsl:call-template name="Opcional"><xsl:with-param name="valor" select="."/></xsl:call-template></xsl:for-each>
		<xsl:if test="./@v='1'"><xsl:apply-templates select=".//x:D"/></xsl:if>`))
	if err != nil {
		t.Fatal(err)
	}
	src, err := p.Go()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`{"urn:x", "A"}`, `xReq`, `xOpt`, `xForEach`, `xIf, path: []xpathStep{{axis: xAttribute, name: xname{"", "v"}}}, hasEq: true, eq: "1"`, `xDescendant`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("generated code lacks %s:\n%s", want, src)
		}
	}
	if len(p.Sheets) != 1 || strings.Join(p.Sheets[0].Roots, ",") != "A" {
		t.Errorf("sheets = %+v", p.Sheets)
	}
}

// TestLoadRefusesUnknown: anything outside the subset stops the generator.
func TestLoadRefusesUnknown(t *testing.T) {
	for name, body := range map[string]string{
		"choose":        `<xsl:choose><xsl:when test="@a"/></xsl:choose>`,
		"value-of":      `<xsl:value-of select="@a"/>`,
		"literal text":  `texto`,
		"predicate":     `<xsl:apply-templates select="x:B[1]"/>`,
		"function":      `<xsl:call-template name="Requerido"><xsl:with-param name="valor" select="concat(@a,@b)"/></xsl:call-template>`,
		"other named":   `<xsl:call-template name="Otro"/>`,
		"undeclared ns": `<xsl:apply-templates select="y:B"/>`,
		"absolute path": `<xsl:apply-templates select="/x:B"/>`,
		"mode":          `<xsl:apply-templates select="x:B" mode="m"/>`,
	} {
		if _, err := Load(pack(t, body)); err == nil {
			t.Errorf("%s: Load accepted %s", name, body)
		}
	}
}
