package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSite writes files (path -> content) into a new folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func checkCmd(t *testing.T, args ...string) (stdout string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"check"}, args...), &out, &errOut)
	if err != nil {
		var r reportedError
		if !errors.As(err, &r) {
			t.Fatalf("check %v: %v\n%s", args, err, errOut.String())
		}
		return out.String(), exitCode(err)
	}
	return out.String(), 0
}

const post = "---\ntitle: \"خبر\"\ndate: 2024-12-17\n---\n"

func TestCheckCommand(t *testing.T) {
	clean := writeSite(t, map[string]string{"posts/a.md": post + "نص سليم عن CICA.\n"})
	warn := writeSite(t, map[string]string{"posts/a.md": post + "حضر الوفد و و السفير.\n"})
	broken := writeSite(t, map[string]string{"posts/a.md": post + "[رابط](/posts/none/) و و.\n"})

	out, code := checkCmd(t, "-src", clean)
	if code != 0 || out != "checked 1 post: no problems\n" {
		t.Errorf("clean site: exit %d, output %q", code, out)
	}
	out, code = checkCmd(t, "-src", warn)
	want := "posts/a.md:5:13: warning: \"و\" twice in a row; remove one of them\nchecked 1 post: 0 errors, 1 warning\n"
	if code != 0 || out != want {
		t.Errorf("warnings: exit %d, output\n%s\nwant\n%s", code, out, want)
	}
	if _, code = checkCmd(t, "-strict", "-src", warn); code != 1 {
		t.Errorf("-strict with a warning: exit %d, want 1", code)
	}
	out, code = checkCmd(t, "-src", broken)
	if code != 1 || !strings.Contains(out, "posts/a.md:5:8: error: link to the post \"none\"") {
		t.Errorf("error: exit %d, output\n%s", code, out)
	}
	// Nothing is written.
	if _, err := os.Stat(filepath.Join(broken, "public")); !os.IsNotExist(err) {
		t.Errorf("check wrote public/: %v", err)
	}

	out, code = checkCmd(t, "-format", "json", "-src", broken)
	var rep struct {
		Diagnostics []struct {
			File, Level, Message string
			Line, Col            int
		}
		Errors, Warnings, Posts int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("-format json: %v\n%s", err, out)
	}
	if code != 1 || rep.Errors != 1 || rep.Warnings != 1 || rep.Posts != 1 || len(rep.Diagnostics) != 2 ||
		rep.Diagnostics[0].Level != "error" || rep.Diagnostics[0].Line != 5 || rep.Diagnostics[0].Col != 8 {
		t.Errorf("-format json: exit %d, %+v", code, rep)
	}
	if _, code = checkCmd(t, "-format", "xml", "-src", clean); code != 2 {
		t.Errorf("-format xml: exit %d, want 2", code)
	}
}
