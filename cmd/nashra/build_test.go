package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildNeedsBaseURL runs the real CLI on a site without base_url: the
// build fails and says what to add; -base-url makes it work, with feeds
// under that address.
func TestBuildNeedsBaseURL(t *testing.T) {
	dir := t.TempDir()
	post := "---\ntitle: \"خبر\"\ndate: 2024-12-17\n---\nنص.\n"
	if err := os.MkdirAll(filepath.Join(dir, "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "posts", "first.md"), []byte(post), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"build", "-src", dir}, &stdout, &stderr)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("build without base_url: err %v\n%s", err, stderr.String())
	}
	if msg := stderr.String(); !strings.Contains(msg, "config.yaml: base_url is not set") || !strings.Contains(msg, "-base-url") {
		t.Errorf("the error does not say what to do:\n%s", msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("a failed build left public/: %v", err)
	}

	stdout.Reset()
	stderr.Reset()
	if err := run(context.Background(), []string{"build", "-src", dir, "-base-url", "https://example.gov.kz/amman/news"}, &stdout, &stderr); err != nil {
		t.Fatalf("build with -base-url: %v\n%s", err, stderr.String())
	}
	feed, err := os.ReadFile(filepath.Join(dir, "public", "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(feed), `<link rel="self" type="application/atom+xml" href="https://example.gov.kz/amman/news/feed.xml">`) {
		t.Errorf("feed.xml does not live at the -base-url:\n%s", feed)
	}

	stderr.Reset()
	err = run(context.Background(), []string{"build", "-src", dir, "-base-url", "/amman/news/"}, &stdout, &stderr)
	if err == nil || !strings.Contains(stderr.String(), `-base-url: "/amman/news/" must be absolute`) {
		t.Errorf("a relative -base-url: err %v\n%s", err, stderr.String())
	}
}
