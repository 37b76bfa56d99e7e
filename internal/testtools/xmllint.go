package testtools

import (
	"os"
	"os/exec"
	"testing"
)

// XMLLint runs xmllint, found by [RequireTool] (override with
// NASHRA_XMLLINT), with args, and returns its standard output and standard
// error together, and its error: nil when xmllint exited 0, an
// *exec.ExitError otherwise. For example, XMLLint(t, "--noout", path) checks
// that a file is well-formed XML. It runs with LC_ALL=C.UTF-8. When xmllint
// is missing, it stops the test with [Unavailable]: a skip, or a failure when
// CI=true.
func XMLLint(t testing.TB, args ...string) (output string, err error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), RequireTool(t, "xmllint"), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
