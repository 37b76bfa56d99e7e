package feed

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes that hold one URL.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "poster": true, "cite": true, "action": true,
	"longdesc": true, "background": true, "data": true, "formaction": true,
}

// AbsoluteURLs returns the HTML fragment src with every URL in its
// attributes (href, src, srcset, poster, cite …) resolved against page, the
// absolute URL of the page the fragment comes from: "/amman/news/x.jpg"
// becomes "https://host/amman/news/x.jpg", "#fn:1" becomes
// "https://host/amman/news/posts/slug/#fn:1", and absolute URLs, mailto:
// and tel: links stay as they are. Text and the rest of the markup are
// copied byte for byte.
func AbsoluteURLs(src string, page *url.URL) (string, error) {
	if !page.IsAbs() {
		return "", errors.New("feed.AbsoluteURLs: the page URL " + page.String() + " is not absolute")
	}
	z := html.NewTokenizer(strings.NewReader(src))
	var b bytes.Buffer
	b.Grow(len(src) + len(src)/8)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return "", err
			}
			return b.String(), nil
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := z.Raw()
			tok := z.Token()
			changed := false
			for i, a := range tok.Attr {
				if a.Namespace != "" {
					continue
				}
				var v string
				switch {
				case urlAttrs[a.Key]:
					v = resolve(page, a.Val)
				case a.Key == "srcset":
					v = resolveSrcset(page, a.Val)
				default:
					continue
				}
				if v != a.Val {
					tok.Attr[i].Val = v
					changed = true
				}
			}
			if !changed {
				b.Write(raw)
				continue
			}
			b.WriteString(tok.String())
		default:
			b.Write(z.Raw())
		}
	}
}

// resolve makes one URL absolute against page; a URL that does not parse
// is left as it is.
func resolve(page *url.URL, ref string) string {
	s := strings.TrimSpace(ref)
	if s == "" {
		return ref
	}
	u, err := url.Parse(s)
	if err != nil || (u.IsAbs() && u.Host != "") || u.Opaque != "" {
		return ref
	}
	if u.Scheme != "" && u.Scheme != page.Scheme {
		// mailto:, tel:, data: and friends.
		return ref
	}
	return page.ResolveReference(u).String()
}

// resolveSrcset resolves each candidate of a srcset attribute: "a.jpg 1x,
// b.jpg 2x".
func resolveSrcset(page *url.URL, v string) string {
	parts := strings.Split(v, ",")
	for i, p := range parts {
		fields := strings.Fields(p)
		if len(fields) == 0 {
			continue
		}
		fields[0] = resolve(page, fields[0])
		parts[i] = strings.Join(fields, " ")
	}
	return strings.Join(parts, ", ")
}
