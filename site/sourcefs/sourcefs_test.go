package sourcefs_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/nashra-press/nashra/site/sourcefs"
)

// TestReadFileMatchesDirFS reads files of every size around the buffer
// edges, an empty file, a folder, a missing file and invalid names, and
// checks that FS answers as os.DirFS does.
func TestReadFileMatchesDirFS(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"empty.md": nil}
	for _, n := range []int{1, 511, 512, 4095, 4096, 4097, 1 << 20} {
		files[filepath.Join("posts", "f"+string(rune('a'+n%26))+".md")] = bytes.Repeat([]byte("نشرة"), n)[:n]
	}
	for name, data := range files {
		full := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys, std := sourcefs.New(dir), os.DirFS(dir)
	for name, want := range files {
		name = filepath.ToSlash(name)
		got, err := fs.ReadFile(fsys, name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes (err %v), want %d", name, len(got), err, len(want))
		}
	}
	for _, name := range []string{"missing.md", "posts", "../escape", "/abs", "posts/../empty.md", ""} {
		_, errStd := fs.ReadFile(std, name)
		_, err := fs.ReadFile(fsys, name)
		if (err == nil) != (errStd == nil) || errors.Is(err, fs.ErrNotExist) != errors.Is(errStd, fs.ErrNotExist) {
			t.Errorf("%s: error %v, os.DirFS says %v", name, err, errStd)
		}
		var pe *fs.PathError
		if err != nil && (!errors.As(err, &pe) || pe.Path != name) {
			t.Errorf("%s: error %#v does not name the file as given", name, err)
		}
	}
	if err := fstest.TestFS(fsys, "empty.md", "posts"); err != nil {
		t.Error(err)
	}
}

// TestReadFileTo reads files into a buffer that is reused when they fit
// and replaced when they do not, and checks every read's bytes.
func TestReadFileTo(t *testing.T) {
	dir := t.TempDir()
	files := []struct {
		name string
		data []byte
	}{
		{"small.md", []byte("---\ntitle: x\n---\n")},
		{"big.md", bytes.Repeat([]byte("نشرة "), 5000)},
		{"empty.md", nil},
		{"mid.md", bytes.Repeat([]byte("a"), 4096)},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys := sourcefs.New(dir)
	var buf []byte
	for _, f := range files {
		got, err := fsys.ReadFileTo(f.name, buf)
		if err != nil || !bytes.Equal(got, f.data) {
			t.Fatalf("%s: read %q (err %v), want %d bytes", f.name, got, err, len(f.data))
		}
		if cap(buf) > len(f.data) && len(got) > 0 && &got[0] != &buf[:1][0] {
			t.Errorf("%s: fits in the buffer (%d bytes) but was read elsewhere", f.name, cap(buf))
		}
		buf = got
	}
	if _, err := fsys.ReadFileTo("missing.md", buf); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: error %v", err)
	}
}
