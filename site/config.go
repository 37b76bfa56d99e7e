package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/nashra-press/nashra/site/arabic"
	"github.com/nashra-press/nashra/site/bidi"
	"github.com/nashra-press/nashra/site/diag"
)

// ConfigFile is the name of the optional settings file at the site root.
const ConfigFile = "config.yaml"

// Config holds the site's settings: defaults, then config.yaml, then
// command-line flags.
type Config struct {
	// Title is the site's name, shown in every page's header and title.
	Title string `yaml:"title"`
	// Description is one sentence about the site (home page meta).
	Description string `yaml:"description"`
	// BaseURL is the absolute URL the site is served from, may carry a
	// path: "https://example.gov.kz/amman/news/".
	BaseURL string `yaml:"base_url"`
	// Language is the BCP 47 tag of the content ("ar").
	Language string `yaml:"language"`
	// TimeZone is the IANA zone for dates written without an offset.
	TimeZone string `yaml:"timezone"`
	// PerPage is how many posts a list page shows.
	PerPage int `yaml:"per_page"`
	// DateStyle chooses month names: levant, double or egypt.
	DateStyle string `yaml:"date_style"`
	// Digits chooses latn (0-9) or arab (٠-٩) digits in dates and numbers.
	Digits string `yaml:"digits"`
	// UnsafeHTML lets raw HTML in posts through. Off by default.
	UnsafeHTML bool `yaml:"unsafe_html"`
	// Author is the default author of posts (the embassy).
	Author string `yaml:"author"`
	// Logo is a path under static/ of the site's logo.
	Logo string `yaml:"logo"`
	// Tags maps a tag as written in posts to its slug, label and description.
	Tags map[string]TagConfig `yaml:"tags"`
	// Search builds the search index and page (/search/) and puts a search
	// field in every page's header. On by default.
	Search bool `yaml:"search"`
	// BidiControls wraps titles in plain-text outputs (feeds, og:title)
	// in invisible Unicode isolates (RLI … PDI, Latin runs in LRI … PDI),
	// so that programs showing them in a left-to-right interface keep
	// their order. Off by default: how every reader handles the controls
	// is unknown (docs/arabic-rtl.md, B4).
	BidiControls bool `yaml:"bidi_controls"`
	// ShortTitle is the site's name where space is short: the name of
	// the icon of a site added to a phone's home screen. Default: Title.
	ShortTitle string `yaml:"short_title"`
	// FeedEntries is how many of the newest posts each feed carries.
	FeedEntries int `yaml:"feed_entries"`
	// FeedContent is "full" (each entry carries the whole post) or
	// "summary" (the summary and the cover image only).
	FeedContent string `yaml:"feed_content"`

	// tagOrder keeps the order of Tags as written in the file.
	tagOrder []string
	// location is the parsed TimeZone.
	location *time.Location
	// dates formats dates per DateStyle and Digits.
	dates arabic.Formatter
	// base is the parsed BaseURL (nil when none is set).
	base *url.URL
}

// TagConfig describes one tag in config.yaml.
type TagConfig struct {
	// Slug is the ASCII URL segment: /tags/SLUG/.
	Slug string `yaml:"slug"`
	// Label is the name shown to readers (Arabic).
	Label string `yaml:"label"`
	// Description is shown on the tag's page.
	Description string `yaml:"description"`
}

// The values of feed_content.
const (
	FeedFull    = "full"
	FeedSummary = "summary"
)

// DefaultConfig returns the settings used when config.yaml says nothing.
func DefaultConfig() Config {
	return Config{
		Title:     "الأخبار",
		Language:  "ar",
		TimeZone:  "Asia/Amman",
		PerPage:   10,
		DateStyle: string(arabic.Levant),
		Digits:    string(arabic.Latin),

		FeedEntries: 20,
		FeedContent: FeedFull,
		Search:      true,
	}
}

// LoadConfig reads config.yaml from the site (if present) over the
// defaults. Problems are returned as diagnostics naming the file and line.
func LoadConfig(src fs.FS) (Config, diag.List) {
	cfg := DefaultConfig()
	var diags diag.List
	data, err := fs.ReadFile(src, ConfigFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// defaults only
	case err != nil:
		diags.Errorf(ConfigFile, 0, 0, "", "cannot read the settings file: %v", err)
	default:
		diags = append(diags, parseConfig(data, &cfg)...)
	}
	if len(diags.Errors()) == 0 {
		diags = append(diags, cfg.finish()...)
	}
	return cfg, diags
}

func parseConfig(data []byte, cfg *Config) diag.List {
	var diags diag.List
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlErrorLine(err)
		diags.Errorf(ConfigFile, line, 0, "check the indentation and quotes on that line", "YAML syntax error: %s", msg)
		return diags
	}
	if len(root.Content) == 0 {
		return diags
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		diags.Errorf(ConfigFile, doc.Line, doc.Column, "write settings as `key: value` lines", "the settings file must be a mapping of keys to values")
		return diags
	}
	known := yamlKeys(Config{})
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k := doc.Content[i]
		if !slices.Contains(known, k.Value) {
			hint := "known keys are " + strings.Join(known, ", ")
			if c, ok := diag.Closest(k.Value, known); ok {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			diags.Errorf(ConfigFile, k.Line, k.Column, hint, "unknown setting %q", k.Value)
		}
		if k.Value == "tags" && doc.Content[i+1].Kind == yaml.MappingNode {
			tags := doc.Content[i+1]
			tagKeys := yamlKeys(TagConfig{})
			for j := 0; j+1 < len(tags.Content); j += 2 {
				cfg.tagOrder = append(cfg.tagOrder, tags.Content[j].Value)
				entry := tags.Content[j+1]
				if entry.Kind != yaml.MappingNode {
					diags.Errorf(ConfigFile, entry.Line, entry.Column, "write slug:, label: and description: under the tag, indented", "tag %q must have settings under it", tags.Content[j].Value)
					continue
				}
				for e := 0; e+1 < len(entry.Content); e += 2 {
					ek := entry.Content[e]
					if !slices.Contains(tagKeys, ek.Value) {
						hint := "a tag takes slug, label and description"
						if c, ok := diag.Closest(ek.Value, tagKeys); ok {
							hint = fmt.Sprintf("did you mean %q?", c)
						}
						diags.Errorf(ConfigFile, ek.Line, ek.Column, hint, "unknown tag setting %q", ek.Value)
					}
				}
			}
		}
	}
	if len(diags) > 0 {
		return diags
	}
	if err := doc.Decode(cfg); err != nil {
		line, msg := yamlErrorLine(err)
		diags.Errorf(ConfigFile, line, 0, "", "%s", msg)
	}
	return diags
}

// finish validates the settings and derives the parsed forms.
func (c *Config) finish() diag.List {
	var diags diag.List
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		diags.Errorf(ConfigFile, 0, 0, `use an IANA zone name such as "Asia/Amman"`, "unknown time zone %q", c.TimeZone)
		loc = time.UTC
	}
	c.location = loc
	months, err := arabic.ParseMonthStyle(c.DateStyle)
	if err != nil {
		diags.Errorf(ConfigFile, 0, 0, "", "date_style: %v", err)
	}
	digits, err := arabic.ParseDigits(c.Digits)
	if err != nil {
		diags.Errorf(ConfigFile, 0, 0, "", "digits: %v", err)
	}
	c.dates = arabic.Formatter{Months: months, Digits: digits}
	if c.PerPage < 1 {
		diags.Errorf(ConfigFile, 0, 0, "use a whole number such as 10", "per_page must be at least 1, not %d", c.PerPage)
		c.PerPage = 10
	}
	if c.Language == "" {
		c.Language = "ar"
	}
	if c.ShortTitle == "" {
		c.ShortTitle = c.Title
	}
	if c.FeedEntries < 1 {
		diags.Errorf(ConfigFile, 0, 0, "use a whole number such as 20", "feed_entries must be at least 1, not %d", c.FeedEntries)
		c.FeedEntries = 20
	}
	if c.FeedContent != FeedFull && c.FeedContent != FeedSummary {
		diags.Errorf(ConfigFile, 0, 0, `write feed_content: full (whole posts) or feed_content: summary`, "feed_content %q is neither full nor summary", c.FeedContent)
	}
	if err := c.SetBaseURL(c.BaseURL); err != nil {
		diags.Errorf(ConfigFile, 0, 0, `write it as "https://example.gov.kz/amman/news/"`, "base_url: %v", err)
	}
	for _, name := range c.tagOrder {
		tc := c.Tags[name]
		if tc.Slug == "" {
			tc.Slug = asciiSlug(name)
		}
		if !validSlug(tc.Slug) {
			diags.Errorf(ConfigFile, 0, 0, "use lower-case ASCII letters, digits and hyphens, like cica or foreign-policy", "tag %q: slug %q is not a valid URL segment", name, tc.Slug)
		}
		c.Tags[name] = tc
	}
	return diags
}

// SetBaseURL validates and sets the site's base URL (as the -base-url flag
// does). An empty URL means "not set": pages use the path "/" and feeds
// cannot be absolute.
func (c *Config) SetBaseURL(raw string) error {
	c.BaseURL = raw
	c.base = nil
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q must be absolute, starting with https:// and a host name", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must not have a query or fragment", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	c.base = u
	c.BaseURL = u.String()
	return nil
}

// Origin is the scheme and host of the base URL ("https://example.gov.kz"),
// "" when none is set.
func (c *Config) Origin() string {
	if c.base == nil {
		return ""
	}
	return c.base.Scheme + "://" + c.base.Host
}

// BasePath is the path part of the base URL, "/" when none is set; every
// URL inside the site starts with it.
func (c *Config) BasePath() string {
	if c.base == nil {
		return "/"
	}
	return c.base.Path
}

// Location is the site's time zone.
func (c *Config) Location() *time.Location {
	if c.location == nil {
		return time.UTC
	}
	return c.location
}

// PlainText prepares text for a plain-text output that programs of
// unknown direction show (feed titles, og:title): with bidi_controls on,
// it is wrapped in Unicode isolates (bidi.Controls); otherwise it is
// returned as is.
func (c *Config) PlainText(s string) string {
	if c.BidiControls {
		return bidi.Controls(s)
	}
	return s
}

// OGLocale is the Open Graph locale of the site's language: ar_AR for
// Arabic (Facebook's locale for all Arabic; docs/arabic-rtl.md, section 6),
// language_TERRITORY otherwise.
func (c *Config) OGLocale() string {
	lang, region, _ := strings.Cut(strings.ReplaceAll(c.Language, "_", "-"), "-")
	lang = strings.ToLower(lang)
	switch {
	case lang == "ar":
		return "ar_AR"
	case region != "" && len(region) == 2:
		return lang + "_" + strings.ToUpper(region)
	case lang == "en":
		return "en_US"
	}
	return lang + "_" + strings.ToUpper(lang)
}

// Dates is the site's date and number formatter.
func (c *Config) Dates() arabic.Formatter { return c.dates }

// yamlKeys lists the yaml tags of a struct's fields.
func yamlKeys(v any) []string {
	var keys []string
	switch v.(type) {
	case Config:
		keys = []string{"title", "description", "base_url", "language", "timezone", "per_page", "date_style", "digits", "unsafe_html", "author", "logo", "tags", "bidi_controls",
			"short_title", "feed_entries", "feed_content", "search"}
	case TagConfig:
		keys = []string{"slug", "label", "description"}
	}
	return keys
}

// yamlErrorLine pulls the line number out of a yaml.v3 error message
// ("yaml: line 3: ...").
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if te := (*yaml.TypeError)(nil); errors.As(err, &te) && len(te.Errors) > 0 {
		msg = strings.Join(te.Errors, "; ")
	}
	var line int
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if _, err := fmt.Sscanf(rest, "%d", &line); err == nil {
			if i := strings.Index(rest, ": "); i >= 0 {
				msg = rest[i+2:]
			}
		}
	}
	msg = string(bytes.TrimSpace([]byte(msg)))
	if line > 0 && isYAMLParserProblem(msg) {
		// yaml.v3 numbers the lines of its parser's errors from 0 (those
		// of its scanner from 1): "foo: [1, 2" on the third line is
		// reported at line 2.
		line++
	}
	return line, msg
}

// isYAMLParserProblem reports whether msg is a problem that yaml.v3's
// parser (not its scanner) reports, whose line numbers count from 0
// (parserc.go).
func isYAMLParserProblem(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
		"did not find expected <document start>", "did not find expected <stream-start>", "did not find expected key",
		"did not find expected node content", "found duplicate %TAG directive", "found duplicate %YAML directive",
		"found incompatible YAML document", "found undefined tag handle":
		return true
	}
	return false
}

// absURL returns the absolute URL of a path relative to the site root, or
// "" when no base URL is set.
func (c *Config) absURL(rel string) string {
	if c.base == nil {
		return ""
	}
	return c.Origin() + c.base.Path + strings.TrimPrefix(rel, "/")
}

// hostURL returns the absolute URL of a path from the host root (a URL
// as pages write it, with the base path), or "" when no base URL is set.
// URLs that are already absolute are returned as they are.
func (c *Config) hostURL(p string) string {
	if c.base == nil {
		return ""
	}
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") {
		return c.Origin() + p
	}
	if isExternal(p) {
		return p
	}
	return c.absURL(p)
}
