// Package testtools lets nashra's tests use real external tools: the Nu HTML
// Checker (vnu.jar), headless Chromium, xmllint and axe-core.
//
// Every helper follows one rule. When its tool is missing, the test is
// skipped with a message that says how to install the tool, so that
// `go test ./...` works on a bare machine. When the environment variable CI
// is "true", a missing tool fails the test instead, so that CI can never pass
// by skipping the checks that it was meant to run. The script .ci/run installs
// every tool and runs the tests with CI=true.
//
// Tools are found on PATH, or where an environment variable says. For an
// executable named name, RequireTool reads NASHRA_<NAME> (upper case, with
// "-" and "." turned into "_"): NASHRA_CHROMIUM, NASHRA_JAVA,
// NASHRA_XMLLINT. The files that npm installs are found through
// [EnvVNUJar] and [EnvAxeJS], or at the default paths under
// $HOME/.cache/nashra-ci where .ci/run puts them.
package testtools

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	// EnvCI is the environment variable that turns a missing tool from a
	// skip into a failure when its value is exactly "true".
	EnvCI = "CI"

	// EnvVNUJar is the environment variable that holds the path of vnu.jar,
	// the Nu HTML Checker. .ci/run sets it.
	EnvVNUJar = "NASHRA_VNU_JAR"

	// EnvAxeJS is the environment variable that holds the path of
	// axe.min.js from the npm package axe-core. .ci/run sets it.
	EnvAxeJS = "NASHRA_AXE_JS"
)

// InCI reports whether the tests run in CI, that is whether the environment
// variable CI is exactly "true". Then a missing tool fails a test instead of
// skipping it.
func InCI() bool {
	return os.Getenv(EnvCI) == "true"
}

// Unavailable stops the test because something that it needs is missing. It
// calls t.Skipf, or t.Fatalf when [InCI] is true. The message should say what
// is missing and how to install it.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s\n(CI=true: a missing test tool is a failure, not a skip; .ci/run must install it)", msg)
	}
	t.Skipf("%s\n(skipped; with CI=true this would fail)", msg)
}

// ToolEnvVar returns the name of the environment variable that overrides
// where RequireTool finds the executable name: "NASHRA_" followed by name in
// upper case, with "-" and "." replaced by "_".
func ToolEnvVar(name string) string {
	r := strings.NewReplacer("-", "_", ".", "_")
	return "NASHRA_" + strings.ToUpper(r.Replace(name))
}

// RequireTool returns the path of the executable name. The environment
// variable [ToolEnvVar](name), when set and not empty, gives the path (or a
// name to look up on PATH) and takes the place of the PATH look-up; a value
// that is not an executable counts as missing. When the executable is missing,
// RequireTool stops the test with [Unavailable]: a skip that says how to
// install it, or a failure when CI=true.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	env := ToolEnvVar(name)
	if v := os.Getenv(env); v != "" {
		p, err := exec.LookPath(v)
		if err != nil {
			Unavailable(t, "testtools: %s=%q is not an executable: %v\n%s", env, v, err, installHint(name))
		}
		return absPath(p)
	}
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "testtools: %s not found on PATH (or set %s to its path)\n%s", name, env, installHint(name))
	}
	return absPath(p)
}

// absPath returns p made absolute, or p when that fails.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// installHint says how to install the tool name on Debian, where nashra's
// CI runs.
func installHint(name string) string {
	const all = "Or run .ci/run as root, which installs every test tool."
	var how string
	switch name {
	case "chromium":
		how = "apt-get install -y --no-install-recommends chromium fonts-noto-core fonts-dejavu-core"
	case "java":
		how = "apt-get install -y --no-install-recommends default-jre-headless"
	case "xmllint":
		how = "apt-get install -y --no-install-recommends libxml2-utils"
	case "vnu.jar":
		how = "npm install --ignore-scripts --no-save --prefix \"$HOME/.cache/nashra-ci\" vnu-jar@latest axe-core@4" +
			" (needs java too: apt-get install -y --no-install-recommends default-jre-headless)"
	case "axe.min.js":
		how = "npm install --ignore-scripts --no-save --prefix \"$HOME/.cache/nashra-ci\" vnu-jar@latest axe-core@4"
	default:
		return "Install " + name + " and put it on PATH. " + all
	}
	return "Install it with: " + how + "\n" + all
}

// ciCacheDir returns the folder where .ci/run installs the npm packages:
// $HOME/.cache/nashra-ci. It returns "" when there is no home directory.
func ciCacheDir() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".cache", "nashra-ci")
}

// requireFile returns the path of a file that a tool needs: the value of the
// environment variable env when it is set, else def. When the file does not
// exist, it stops the test with [Unavailable].
func requireFile(t testing.TB, what, env, def string) string {
	t.Helper()
	p, from := os.Getenv(env), env
	if p == "" {
		p, from = def, "the default path (set "+env+" to change it)"
	}
	if p == "" {
		Unavailable(t, "testtools: %s not found: %s is not set and there is no home directory\n%s", what, env, installHint(what))
	}
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() {
		Unavailable(t, "testtools: %s not found at %s, from %s\n%s", what, p, from, installHint(what))
	}
	return absPath(p)
}
