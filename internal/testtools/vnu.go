package testtools

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// VNUMessage is one message of the JSON output of the Nu HTML Checker. See
// https://github.com/validator/validator/wiki/Output-»-JSON for the format.
type VNUMessage struct {
	// Type is "error", "info" (a warning when SubType is "warning") or
	// "non-document-error" (the checker could not check the document).
	Type string `json:"type"`
	// SubType is "fatal" for a fatal error, "warning" for a warning, or
	// empty.
	SubType string `json:"subType,omitempty"`
	// URL is the file: URL of the document, as vnu prints it.
	URL string `json:"url,omitempty"`
	// File is the path of the document, decoded from URL. It is empty when
	// URL is not a file: URL.
	File string `json:"-"`
	// FirstLine is the first line of the range that the message is about.
	// vnu leaves it out, so it is 0, when it equals LastLine; see [VNUMessage.Line].
	FirstLine int `json:"firstLine,omitempty"`
	// LastLine is the last line of the range that the message is about.
	LastLine int `json:"lastLine,omitempty"`
	// FirstColumn is the first column of the range.
	FirstColumn int `json:"firstColumn,omitempty"`
	// LastColumn is the last column of the range.
	LastColumn int `json:"lastColumn,omitempty"`
	// Message is the text of the message.
	Message string `json:"message"`
	// Extract is a piece of the source around the range.
	Extract string `json:"extract,omitempty"`
}

// IsError reports whether m is an error: a validation error, or a
// non-document error (the document could not be checked at all).
func (m VNUMessage) IsError() bool {
	return m.Type == "error" || m.Type == "non-document-error"
}

// Line returns the line where the message's range starts, or 0 when the
// message has no position.
func (m VNUMessage) Line() int {
	if m.FirstLine > 0 {
		return m.FirstLine
	}
	return m.LastLine
}

// String formats m as "file:line:column: type: message".
func (m VNUMessage) String() string {
	where := m.File
	if where == "" {
		where = m.URL
	}
	kind := m.Type
	if m.SubType != "" {
		kind = m.SubType
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", where, m.Line(), m.FirstColumn, kind, m.Message)
}

// VNUJar returns the path of vnu.jar, the Nu HTML Checker: the value of
// NASHRA_VNU_JAR ([EnvVNUJar]), or else
// $HOME/.cache/nashra-ci/node_modules/vnu-jar/build/dist/vnu.jar, where
// .ci/run installs it. When the file is missing, it stops the test with
// [Unavailable]: a skip, or a failure when CI=true.
func VNUJar(t testing.TB) string {
	t.Helper()
	def := ""
	if dir := ciCacheDir(); dir != "" {
		def = filepath.Join(dir, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	}
	return requireFile(t, "vnu.jar", EnvVNUJar, def)
}

// isHTMLName reports whether vnu --skip-non-html checks a file of this name.
func isHTMLName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml", ".xht":
		return true
	}
	return false
}

// VNU checks HTML files with the Nu HTML Checker and returns all of its
// messages (errors, warnings and infos) in the checker's order; use
// [VNUMessage.IsError] to keep the errors. Each path is a file, checked
// whatever its name, or a directory, whose files named *.html, *.htm, *.xhtml
// or *.xht are checked, in all subdirectories.
//
// It runs `java -jar vnu.jar --format json` with LC_ALL=C.UTF-8, without which
// vnu silently skips files whose names are not ASCII. It fails the test when
// a path does not exist, when there is no HTML file to check, when vnu fails,
// or when vnu did not check every HTML file. When java or vnu.jar is missing,
// it stops the test with [Unavailable] (see [VNUJar]).
func VNU(t testing.TB, paths ...string) []VNUMessage {
	t.Helper()
	jar := VNUJar(t)
	java := RequireTool(t, "java")
	if len(paths) == 0 {
		t.Fatalf("testtools.VNU: no path given")
	}

	var (
		args     = []string{"-jar", jar, "--format", "json", "--stdout", "--verbose", "--exit-zero-always"}
		files    []string // the paths passed to vnu
		expected []string // every HTML file that vnu must check
		hasDir   bool
	)
	for _, p := range paths {
		p = absPath(p)
		fi, err := os.Stat(p)
		if err != nil {
			// vnu says nothing at all about a missing file when it is
			// the only one, so check here.
			t.Fatalf("testtools.VNU: %v", err)
		}
		files = append(files, p)
		if !fi.IsDir() {
			expected = append(expected, p)
			continue
		}
		hasDir = true
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isHTMLName(d.Name()) {
				expected = append(expected, path)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("testtools.VNU: %v", err)
		}
	}
	if len(expected) == 0 {
		t.Fatalf("testtools.VNU: no HTML file (*.html, *.htm, *.xhtml, *.xht) in %s", strings.Join(files, ", "))
	}
	if hasDir {
		args = append(args, "--skip-non-html")
	}
	args = append(args, files...)

	cmd := exec.CommandContext(t.Context(), java, args...)
	// Without a UTF-8 locale, Java cannot map non-ASCII file names, and
	// vnu reports such files only as "File not found." warnings.
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("testtools.VNU: %s: %v\nstderr:\n%s\nstdout:\n%s", cmd, err, stderr.String(), stdout.String())
	}

	var out struct {
		Messages []VNUMessage `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("testtools.VNU: cannot parse the JSON output of %s: %v\nstdout:\n%s\nstderr:\n%s", cmd, err, stdout.String(), stderr.String())
	}
	for i := range out.Messages {
		m := &out.Messages[i]
		if rest, ok := strings.CutPrefix(m.URL, "file:"); ok {
			if p, err := url.PathUnescape(rest); err == nil {
				m.File = p
			} else {
				m.File = rest
			}
		}
	}

	// With --stdout, --verbose writes the name of each file that vnu
	// checks to stderr. A file that is not there was skipped.
	checked := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(stderr.Bytes()))
	for sc.Scan() {
		checked[filepath.Clean(sc.Text())] = true
	}
	var missed []string
	for _, p := range expected {
		if !checked[p] {
			missed = append(missed, p)
		}
	}
	if len(missed) > 0 {
		var notes []string
		for _, m := range out.Messages {
			if slices.Contains(missed, m.File) {
				notes = append(notes, m.String())
			}
		}
		t.Fatalf("testtools.VNU: vnu did not check %d of %d HTML files:\n  %s\nits messages about them:\n  %s\nstderr:\n%s",
			len(missed), len(expected), strings.Join(missed, "\n  "), strings.Join(notes, "\n  "), stderr.String())
	}
	return out.Messages
}

// AssertValidHTML checks every HTML file under dir (see [VNU]) with the Nu
// HTML Checker and fails the test, with t.Errorf, listing every error with its
// file (relative to dir), line, column and message. Warnings do not fail the
// test. When java or vnu.jar is missing, it stops the test with
// [Unavailable].
func AssertValidHTML(t testing.TB, dir string) {
	t.Helper()
	msgs := VNU(t, dir)
	var errs []string
	for _, m := range msgs {
		if !m.IsError() {
			continue
		}
		if rel, err := filepath.Rel(absPath(dir), m.File); err == nil && m.File != "" && !strings.HasPrefix(rel, "..") {
			m.File = rel
		}
		line := m.String()
		if m.Extract != "" {
			line += "\n      " + strings.ReplaceAll(m.Extract, "\n", "⏎")
		}
		errs = append(errs, line)
	}
	if len(errs) > 0 {
		t.Errorf("invalid HTML in %s: %d errors from the Nu HTML Checker:\n  %s", dir, len(errs), strings.Join(errs, "\n  "))
	}
}
