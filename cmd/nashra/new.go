package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/sourcefs"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("new", `new [-src DIR] [-slug S] [-tags a,b] "العنوان"`, stderr)
	src := fs.String("src", ".", "the site `folder`")
	slug := fs.String("slug", "", "the post's URL `slug` (lower-case English letters, digits, hyphens); default DATE-N")
	tags := fs.String("tags", "", "comma-separated `tags`, e.g. CICA,Kazakhstan")
	if ok, err := parseFlags(fs, args, stdout); !ok {
		return err
	}
	title := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if title == "" {
		fmt.Fprintln(stderr, `nashra new: give the post's title, e.g. nashra new "زيارة وفد كازاخستاني إلى عمّان"`)
		return reportedError{msg: "usage", code: 2}
	}
	return newPost(*src, title, *slug, *tags, time.Now(), stdout)
}

// newPost writes posts/SLUG.md with valid front matter. It never
// overwrites a file.
func newPost(src, title, slug, tags string, now time.Time, stdout io.Writer) error {
	cfg, diags := site.LoadConfig(sourcefs.New(src))
	if err := diags.Err(); err != nil {
		return err
	}
	now = now.In(cfg.Location())
	dir := filepath.Join(src, site.PostsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if slug == "" {
		day := now.Format("2006-01-02")
		for n := 1; ; n++ {
			slug = day + "-" + strconv.Itoa(n)
			if !exists(filepath.Join(dir, slug+".md")) && !exists(filepath.Join(dir, slug)) {
				break
			}
		}
	} else if !site.ValidSlug(slug) {
		return fmt.Errorf("slug %q cannot be used in a URL; use lower-case English letters, digits and hyphens, like cica-council-2024", slug)
	}
	var tagList []string
	for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == '،' }) {
		if t = strings.TrimSpace(t); t != "" {
			tagList = append(tagList, strconv.Quote(t))
		}
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", strconv.Quote(title))
	fmt.Fprintf(&b, "date: %s\n", now.Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "slug: %s\n", slug)
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tagList, ", "))
	b.WriteString("---\n\n")
	b.WriteString("اكتب هنا الفقرة الأولى من الخبر؛ تظهر ملخصًا له في القوائم.\n")
	path := filepath.Join(dir, slug+".md")
	if exists(filepath.Join(dir, slug)) {
		return fmt.Errorf("%s already exists; choose another -slug", filepath.Join(dir, slug))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; nashra new never overwrites a post: choose another -slug", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
