package site

import (
	"bytes"
	"encoding/json"
	"html/template"
)

// jsonLD returns the page's schema.org description (Head.StructuredData:
// a NewsArticle on posts, the WebSite and its Organization on the home
// page) as JSON for <script type="application/ld+json">, or "" on other
// pages. json.Marshal escapes <, > and &, so the text cannot end the
// script. The default theme writes Head.StructuredData itself
// (partials/head-meta.html); this is the same for layouts of a site's own.
func jsonLD(d *PageData) (template.JS, error) {
	v := d.Head().StructuredData
	if v == nil {
		return "", nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return template.JS(bytes.TrimSpace(b.Bytes())), nil
}
