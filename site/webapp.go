package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/icons"
	"github.com/nashra-press/nashra/site/output"
)

// ManifestFile is the web app manifest, at the site root.
const ManifestFile = "manifest.webmanifest"

// IconLink is one icon a page's head points to.
type IconLink struct {
	// Rel is "icon" or "apple-touch-icon".
	Rel string
	// URL is the icon's path from the host root, with a version query.
	URL string
	// Sizes is "32x32", or "any" for a scalable image; Type its media
	// type; both may be empty.
	Sizes, Type string
}

// iconFile is one icon made from the logo.
type iconFile struct {
	path string // output path
	size int
	// hash is the content hash (output.Hash) of data, which is nil when
	// the icon was kept from the previous build's output.
	hash string
	data []byte
}

// siteIcons are the icons made from the site's logo.
type siteIcons struct {
	// logoHash identifies the logo the icons were made from; version is
	// its prefix, put in icon URLs so browsers fetch a changed logo.
	logoHash, version string
	files             []iconFile
	// svg is the logo's URL when it is an SVG image, used as the icon
	// as it is.
	svg string
}

// iconPath names the icon of a size.
func iconPath(size int) string {
	switch size {
	case 32:
		return "icons/favicon-32.png"
	case 180:
		return "icons/apple-touch-icon.png"
	}
	return fmt.Sprintf("icons/icon-%d.png", size)
}

// iconSizes are the icons made from the logo: the favicon, the Apple
// touch icon (180 pixels, the size iOS asks for) and the two sizes web app
// manifests need.
func iconSizes() []int { return []int{32, 180, 192, 512} }

// startIcons starts making the site's icons from its logo on another
// goroutine (scaling and compressing takes a few tens of milliseconds,
// which the build spends rendering pages meanwhile), or takes them from
// the cache when the logo did not change. It returns the icons, whose
// URLs pages may use at once, and a function that waits for their files.
// The icons are nil when the site has no logo, or one that is not an
// image (with a warning; a missing logo is reported by Load).
//
// A cache read from disk knows the icons' hashes but not their bytes: when
// the output still holds files with those hashes, they are kept there and
// nothing is made.
func startIcons(src fs.FS, cfg *Config, cache *Cache, out Output) (*siteIcons, func() error, diag.List) {
	done := func() error { return nil }
	if cfg.Logo == "" {
		return nil, done, nil
	}
	file := path.Join(StaticDir, cfg.Logo)
	data, err := fs.ReadFile(src, file)
	if err != nil {
		return nil, done, nil
	}
	hash := contentHash(data)
	ic := &siteIcons{logoHash: hash, version: hash[:10]}
	if strings.EqualFold(path.Ext(file), ".svg") {
		ic.svg = cfg.BasePath() + strings.TrimPrefix(path.Clean("/"+cfg.Logo), "/")
	}
	cache.mu.Lock()
	cached := cache.icons
	cache.mu.Unlock()
	var kept map[string]bool
	if cached != nil && cached.logoHash == ic.logoHash && cached.svg == ic.svg {
		var all bool
		if kept, all = cached.keep(out); all {
			return cached, done, nil
		}
	}
	store := func() {
		cache.mu.Lock()
		cache.icons = ic
		cache.dirty = true
		cache.mu.Unlock()
	}
	if ic.svg != "" {
		store()
		return ic, done, nil
	}
	// Reading the header is quick, and tells whether the logo is an
	// image the icons can be made from.
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
		var diags diag.List
		diags.Add(diag.Diagnostic{File: ConfigFile, Severity: diag.Warning,
			Msg:  fmt.Sprintf("no icons are made from the logo %s: it is not an image nashra can read (%v)", file, err),
			Hint: "use a PNG, JPEG, GIF, WebP or SVG logo, 512 pixels square or larger"})
		return nil, done, diags
	}
	sizes := iconSizes()
	ic.files = make([]iconFile, len(sizes))
	for i, n := range sizes {
		ic.files[i] = iconFile{path: iconPath(n), size: n}
	}
	// The goroutine fills its own slice; ic is updated only once it is
	// done, by the wait function, so pages reading ic meanwhile race with
	// nothing.
	var wg sync.WaitGroup
	var makeErr error
	var made []icons.Icon
	wg.Go(func() {
		made, makeErr = icons.Make(data, sizes...)
	})
	var once sync.Once
	return ic, func() error {
		wg.Wait()
		once.Do(func() {
			if makeErr != nil {
				makeErr = fmt.Errorf("%s: making icons from the logo: %w", file, makeErr)
				return
			}
			for i := range made {
				ic.files[i].hash = output.Hash(made[i].PNG)
				// An icon the output kept already must not be written again.
				if !kept[ic.files[i].path] {
					ic.files[i].data = made[i].PNG
				}
			}
			store()
		})
		return makeErr
	}, nil
}

// keep asks the output to keep the previous build's copy of each icon
// whose bytes are not in memory (a cache read from disk), and reports
// which it kept and whether every icon is now available.
func (ic *siteIcons) keep(out Output) (kept map[string]bool, all bool) {
	reuser, _ := out.(Reuser)
	kept = map[string]bool{}
	all = true
	for _, f := range ic.files {
		if f.data != nil {
			continue
		}
		if reuser != nil && f.hash != "" && reuser.Unchanged(f.path, f.hash) {
			kept[f.path] = true
		} else {
			all = false
		}
	}
	return kept, all
}

// url returns the path from the host root of the icon of size, with its
// version; "" when there is none.
func (ic *siteIcons) url(cfg *Config, size int) string {
	if ic == nil {
		return ""
	}
	if ic.svg != "" {
		return ic.svg
	}
	for _, f := range ic.files {
		if f.size == size {
			return cfg.BasePath() + f.path + "?v=" + ic.version
		}
	}
	return ""
}

// absolute returns the absolute URL of the icon of size.
func (ic *siteIcons) absolute(cfg *Config, size int) string {
	if u := ic.url(cfg, size); u != "" {
		return cfg.hostURL(u)
	}
	return ""
}

// links are the icons for a page's head.
func (ic *siteIcons) links(cfg *Config) []IconLink {
	if ic == nil {
		return nil
	}
	if ic.svg != "" {
		return []IconLink{{Rel: "icon", URL: ic.svg, Sizes: "any", Type: "image/svg+xml"}}
	}
	return []IconLink{
		{Rel: "icon", URL: ic.url(cfg, 32), Sizes: "32x32", Type: "image/png"},
		{Rel: "icon", URL: ic.url(cfg, 192), Sizes: "192x192", Type: "image/png"},
		{Rel: "apple-touch-icon", URL: ic.url(cfg, 180), Sizes: "180x180"},
	}
}

// webManifest is a web app manifest (W3C Web Application Manifest).
type webManifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description,omitempty"`
	Lang            string         `json:"lang"`
	Dir             string         `json:"dir"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons,omitempty"`
}

type manifestIcon struct {
	Src   string `json:"src"`
	Sizes string `json:"sizes"`
	Type  string `json:"type"`
}

// manifest returns the site's web app manifest: its name, language and
// direction, where it starts, and its icons. Paths are from the host root,
// so it works with or without a base URL.
func manifest(cfg *Config, ic *siteIcons) ([]byte, error) {
	m := webManifest{
		ID: cfg.BasePath(), Name: cfg.Title, ShortName: cfg.ShortTitle, Description: cfg.Description,
		Lang: cfg.Language, Dir: "rtl", StartURL: cfg.BasePath(), Scope: cfg.BasePath(),
		// A news site opened from a home screen keeps the browser's
		// back button and address.
		Display: "minimal-ui",
		// The default theme's background (layouts/assets/style.css).
		BackgroundColor: "#ffffff", ThemeColor: "#ffffff",
	}
	switch {
	case ic == nil:
	case ic.svg != "":
		m.Icons = []manifestIcon{{Src: ic.svg, Sizes: "any", Type: "image/svg+xml"}}
	default:
		for _, size := range []int{192, 512} {
			m.Icons = append(m.Icons, manifestIcon{Src: ic.url(cfg, size), Sizes: fmt.Sprintf("%dx%d", size, size), Type: "image/png"})
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeWebApp writes the icons and the web app manifest; it returns the
// number of files written.
func writeWebApp(c *Content, ic *siteIcons, out Output) (int, error) {
	var diags diag.List
	n := 0
	if ic != nil {
		for _, f := range ic.files {
			n++
			if f.data == nil {
				continue // kept from the previous build
			}
			if err := out.WriteFile(f.path, f.data); err != nil {
				diags.Errorf("", 0, 0, "", "writing the icon %s: %v", f.path, err)
			}
		}
	}
	data, err := manifest(&c.Config, ic)
	if err == nil {
		err = out.WriteFile(ManifestFile, data)
	}
	if err != nil {
		diags.Errorf("", 0, 0, "", "writing %s: %v", ManifestFile, err)
	}
	return n + 1, diags.Err()
}
