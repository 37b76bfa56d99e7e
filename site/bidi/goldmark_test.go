package bidi

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// newMarkdown returns goldmark as site/markdown configures it (GFM,
// footnotes, a typographer that makes «…»), with or without the bidi
// extension.
func newMarkdown(withBidi bool) goldmark.Markdown {
	if withBidi {
		return newMarkdownWith(Extension{})
	}
	return newMarkdownWith()
}

// newMarkdownWith returns goldmark as site/markdown configures it, with
// the given bidi extension or none.
func newMarkdownWith(bidi ...goldmark.Extender) goldmark.Markdown {
	exts := []goldmark.Extender{extension.GFM, extension.Footnote,
		extension.NewTypographer(extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation][]byte{
			extension.LeftDoubleQuote: []byte("«"), extension.RightDoubleQuote: []byte("»"),
			extension.LeftSingleQuote: nil, extension.RightSingleQuote: nil, extension.Apostrophe: nil,
		}))}
	return goldmark.New(goldmark.WithExtensions(append(exts, bidi...)...))
}

func convert(t testing.TB, md goldmark.Markdown, src string) string {
	t.Helper()
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestExtension(t *testing.T) {
	md := newMarkdown(true)
	cases := []struct{ name, in, want string }{
		{"list of acronyms (B3 vector 1)", "منظمات مثل CICA، SCO، وCSTO.",
			`<p>منظمات مثل <span dir="ltr">CICA</span>، <span dir="ltr">SCO</span>، و<span dir="ltr">CSTO</span>.</p>`},
		{"a paragraph that starts with Latin stays right-to-left", "CSTO هو الاختصار الإنجليزي.",
			`<p><span dir="ltr">CSTO</span> هو الاختصار الإنجليزي.</p>`},
		{"C++, C# and a phone number", "لغتا C++ وC#، والهاتف +962 6 593 3000.",
			`<p>لغتا <span dir="ltr">C++</span> و<span dir="ltr">C#</span>، والهاتف <span dir="ltr">+962 6 593 3000</span>.</p>`},
		{"numbers, dates and percentages are left alone", "في 05/12/2024 بنسبة 50% و1,200 معاملة.",
			`<p>في 05/12/2024 بنسبة 50% و1,200 معاملة.</p>`},
		{"a run across emphasis is one run", "منتدى **Astana** International Forum في أستانا",
			`<p>منتدى <span dir="ltr"><strong>Astana</strong> International Forum</span> في أستانا</p>`},
		{"a wholly Latin link is isolated whole", "صحيفة [Astana Times](https://astanatimes.com/) اليوم",
			`<p>صحيفة <span dir="ltr"><a href="https://astanatimes.com/">Astana Times</a></span> اليوم</p>`},
		{"runs inside an Arabic element", "**مؤتمر CICA في أستانا** اليوم",
			`<p><strong>مؤتمر <span dir="ltr">CICA</span> في أستانا</strong> اليوم</p>`},
		{"bare e-mail address and URL", "راسلونا على consular.amman@example.gov.kz، أو www.example.gov.kz.",
			`<p>راسلونا على <span dir="ltr"><a href="mailto:consular.amman@example.gov.kz">consular.amman@example.gov.kz</a></span>، أو <span dir="ltr"><a href="http://www.example.gov.kz">www.example.gov.kz</a></span>.</p>`},
		{"a run across a soft line break", "منتدى Astana\nInternational Forum هنا",
			"<p>منتدى <span dir=\"ltr\">Astana\nInternational Forum</span> هنا</p>"},
		{"entities and escapes are never cut", "شركة AT&amp;T و\\*CICA\\* و&#1575;CICA",
			`<p>شركة <span dir="ltr">AT&amp;T</span> و*<span dir="ltr">CICA</span>* وا<span dir="ltr">CICA</span></p>`},
		{"code spans and code blocks are left-to-right", "الأمر `go build` هنا\n\n```go\nx := \"سيكا\"\n```\n\n    indented\n",
			"<p>الأمر <code dir=\"ltr\">go build</code> هنا</p>\n<pre dir=\"ltr\"><code class=\"language-go\">x := &quot;سيكا&quot;\n</code></pre>\n<pre dir=\"ltr\"><code>indented\n</code></pre>"},
		{"an English paragraph", "The ambassador said: \"Welcome to Amman.\"",
			`<p lang="en" dir="ltr">The ambassador said: “Welcome to Amman.”</p>`},
		{"an English quote with Arabic inside", "> The \"سيكا\" conference, «CICA». {lang=en}",
			"<blockquote>\n<p lang=\"en\" dir=\"ltr\">The “<span lang=\"ar\" dir=\"rtl\">سيكا</span>” conference, «CICA».</p>\n</blockquote>"},
		{"a marker on a line of its own", "A press release in English\n{lang=en}",
			`<p lang="en" dir="ltr">A press release in English</p>`},
		{"a marker for another language", "Communiqué de presse {lang=fr}",
			`<p lang="fr" dir="ltr">Communiqué de presse</p>`},
		{"Arabic quotes in Arabic text", "قال \"مرحباً\" ثم 'نعم'.",
			`<p>قال «مرحباً» ثم 'نعم'.</p>`},
		{"a single Latin word is not an English paragraph", "CICA",
			`<p><span dir="ltr">CICA</span></p>`},
		{"list items", "- بند عن CICA\n- An English item\n",
			"<ul>\n<li>بند عن <span dir=\"ltr\">CICA</span></li>\n<li><span lang=\"en\" dir=\"ltr\">An English item</span></li>\n</ul>"},
		{"heading with a marker", "## Press release {lang=en}\n",
			`<h2 lang="en" dir="ltr">Press release</h2>`},
		{"table cells", "| الوجهة | الفرق |\n|---|---|\n| ألماتي UTC+5 | +2 ساعة |\n",
			"<td>ألماتي <span dir=\"ltr\">UTC+5</span></td>\n<td><span dir=\"ltr\">+2</span> ساعة</td>"},
		{"footnote reference after a run", "مؤتمر CICA[^1].\n\n[^1]: حاشية عن SCO.\n",
			`مؤتمر <span dir="ltr">CICA</span><sup id="fnref:1">`},
		{"images are left alone", "صورة ![شعار CICA](logo.png) هنا",
			`<p>صورة <img src="logo.png" alt="شعار CICA"> هنا</p>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := convert(t, md, tc.in)
			if !strings.Contains(got, tc.want) {
				t.Errorf("input:\n%s\ngot:\n%s\nwant it to contain:\n%s", tc.in, got, tc.want)
			}
			if strings.Contains(got, `dir="auto"`) {
				t.Errorf("dir=auto in %s", got)
			}
		})
	}
}
