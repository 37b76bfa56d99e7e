package site

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/nashra-press/nashra/site/diag"
)

// extras says which files a build writes besides pages and copied files.
type extras struct {
	// feeds and sitemap are written when the site has a base URL.
	feeds, sitemap bool
	// robots is false when static/robots.txt is the site's own.
	robots bool
	// what names each generated path, for collisions.
	what map[string]string
	// warnings are problems with the site's own robots.txt.
	warnings diag.List
}

// extraFiles decides which extra files the build writes.
func extraFiles(c *Content, src fs.FS) extras {
	cfg := &c.Config
	e := extras{feeds: cfg.base != nil, sitemap: cfg.base != nil, what: map[string]string{}}
	if e.feeds {
		for _, p := range feedPaths(c) {
			e.what[p] = "a feed"
		}
	}
	if e.sitemap {
		e.what[SitemapFile] = "the sitemap"
		own := StaticDir + "/" + RobotsFile
		data, err := fs.ReadFile(src, own)
		switch {
		case err != nil:
			e.robots = true
			e.what[RobotsFile] = "robots.txt"
		case !strings.Contains(strings.ToLower(string(data)), "sitemap:"):
			e.warnings.Add(diag.Diagnostic{File: own, Severity: diag.Warning,
				Msg:  "the site's own robots.txt is published instead of nashra's, and it does not point crawlers at the sitemap",
				Hint: "add the line: Sitemap: " + cfg.absURL(SitemapFile)})
		}
	}
	if c.icons != nil {
		for _, f := range c.icons.files {
			e.what[f.path] = "an icon made from the logo"
		}
	}
	e.what[ManifestFile] = "the web app manifest"
	return e
}

// checkExtraFiles reports files of static/ that would take the place of
// a generated file. (Files of posts/ are published under posts/, where
// nothing is generated but pages.)
func checkExtraFiles(c *Content, e extras) diag.List {
	var diags diag.List
	for _, a := range c.Static {
		if what, ok := e.what[a.Out]; ok {
			diags.Errorf(a.File, 0, 0, "rename or remove it", "this file would take the place of %s (%s)", what, a.Out)
		}
	}
	return diags
}

// writeSitemap writes the sitemap and, unless the site has its own,
// robots.txt. It returns the number of files written.
func writeSitemap(c *Content, pages []Page, writeRobots bool, out Output) (int, error) {
	files, err := sitemaps(c, pages, sitemapLimit)
	if err != nil {
		return 0, fmt.Errorf("writing %s: %w", SitemapFile, err)
	}
	for name, data := range files {
		if err := out.WriteFile(name, data); err != nil {
			return 0, fmt.Errorf("writing %s: %w", name, err)
		}
	}
	if !writeRobots {
		return len(files), nil
	}
	if err := out.WriteFile(RobotsFile, robots(&c.Config)); err != nil {
		return len(files), fmt.Errorf("writing %s: %w", RobotsFile, err)
	}
	return len(files) + 1, nil
}
