package site_test

import (
	"context"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/output"
)

var update = flag.Bool("update", false, "rewrite the want/ files of testdata/golden/*.txtar from the current output")

// testNow is "now" for golden tests, so future posts are deterministic.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// testTheme is a compact theme that prints what each page holds, so
// golden files show the engine's decisions rather than markup.
func testTheme(t testing.TB) fstest.MapFS {
	t.Helper()
	theme := fstest.MapFS{}
	root := filepath.Join("testdata", "theme")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		theme[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return theme
}

// TestGolden builds each testdata/golden/*.txtar site. Files under want/
// are the expectations: want/FILES lists every output path, want/ERRORS
// and want/WARNINGS the diagnostics, want/PATH the content of an output
// file, and want/PATH#head only the <head> of an HTML page. A file named
// "flags" holds build flags: -drafts, -future, -local, -base-url=URL, and
// -theme=default to build with the default theme (layouts/) instead of
// the compact test theme. A source file NAME.base64 is decoded into NAME
// (for images).
func TestGolden(t *testing.T) {
	archives, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.txtar"))
	if len(archives) == 0 {
		t.Fatal("no golden archives")
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src := fstest.MapFS{}
			opts := site.Options{LoadOptions: site.LoadOptions{Now: testNow}, Theme: testTheme(t)}
			for _, f := range ar.Files {
				switch {
				case strings.HasPrefix(f.Name, "want/"):
				case f.Name == "flags":
					for _, fl := range strings.Fields(string(f.Data)) {
						switch {
						case fl == "-drafts":
							opts.Drafts = true
						case fl == "-future":
							opts.Future = true
						case fl == "-local":
							opts.Local = true
						case fl == "-theme=default":
							opts.Theme = layouts.FS
						case strings.HasPrefix(fl, "-base-url="):
							opts.BaseURL = strings.TrimPrefix(fl, "-base-url=")
						default:
							t.Fatalf("unknown flag %q", fl)
						}
					}
				case strings.HasSuffix(f.Name, ".base64"):
					data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(f.Data)))
					if err != nil {
						t.Fatalf("%s: %v", f.Name, err)
					}
					src[strings.TrimSuffix(f.Name, ".base64")] = &fstest.MapFile{Data: data}
				default:
					src[f.Name] = &fstest.MapFile{Data: f.Data}
				}
			}
			out := output.NewMemory()
			res, err := site.Generate(context.Background(), src, out, opts)
			got := map[string]string{
				"want/FILES":    lines(out.Paths()),
				"want/ERRORS":   diagText(diag.AsList(err)),
				"want/WARNINGS": diagText(res.Warnings),
			}
			changed := false
			for i, f := range ar.Files {
				name := f.Name
				if !strings.HasPrefix(name, "want/") {
					continue
				}
				want := string(f.Data)
				g, ok := got[name]
				if !ok {
					file, part, _ := strings.Cut(strings.TrimPrefix(name, "want/"), "#")
					data, exists := out.File(file)
					if !exists {
						t.Errorf("%s: not in the output", name)
						continue
					}
					g = string(data)
					if part == "head" {
						g = headOf(t, g)
					}
					// txtar files end every file with a newline.
					if g != "" && !strings.HasSuffix(g, "\n") {
						g += "\n"
					}
				}
				if g != want {
					if *update {
						ar.Files[i].Data = []byte(g)
						changed = true
						continue
					}
					t.Errorf("%s differs\n--- got:\n%s\n--- want:\n%s", name, g, want)
				}
			}
			if changed {
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// headOf returns the <head> element of an HTML page, with its tags.
func headOf(t *testing.T, page string) string {
	t.Helper()
	start, end := strings.Index(page, "<head>"), strings.Index(page, "</head>")
	if start < 0 || end < start {
		t.Fatalf("no <head> in the page:\n%s", page)
	}
	return page[start:end+len("</head>")] + "\n"
}

func diagText(l diag.List) string {
	l.Sort()
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

func lines(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return strings.Join(l, "\n") + "\n"
}
