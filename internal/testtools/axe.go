package testtools

import (
	"os"
	"path/filepath"
	"testing"
)

// AxeJS returns the source of axe.min.js, from the npm package axe-core, to
// inject into a page (for example with chromedp.Evaluate) before calling
// axe.run(). The file is the value of NASHRA_AXE_JS ([EnvAxeJS]), or else
// $HOME/.cache/nashra-ci/node_modules/axe-core/axe.min.js, where .ci/run
// installs it. When the file is missing, it stops the test with
// [Unavailable]: a skip, or a failure when CI=true.
func AxeJS(t testing.TB) string {
	t.Helper()
	def := ""
	if dir := ciCacheDir(); dir != "" {
		def = filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	}
	p := requireFile(t, "axe.min.js", EnvAxeJS, def)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("testtools.AxeJS: %v", err)
	}
	return string(b)
}
