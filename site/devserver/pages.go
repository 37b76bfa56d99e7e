package devserver

import (
	"bytes"
	"html/template"
	"strconv"

	"github.com/nashra-press/nashra/site/diag"
)

// The server's own pages speak Arabic, like the site; file names,
// positions and nashra's messages (English) are isolated left-to-right
// runs, so that "posts/visit.md:4:7" reads in order inside the
// right-to-left text.

// style is shared by the server's pages.
const style = `
:root { color-scheme: light dark; font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Segoe UI", Tahoma, "DejaVu Sans", sans-serif; line-height: 1.8; }
body { margin: 0 auto; max-width: 52rem; padding: 1.5rem; }
h1 { line-height: 1.4; }
.problem { border-inline-start: 0.35rem solid #b3261e; padding-block: 0.25rem; padding-inline: 1rem; margin-block: 1.5rem; background: color-mix(in srgb, #b3261e 7%, transparent); }
.where { font-weight: bold; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.95em; }
pre { overflow-x: auto; padding: 0.5rem; background: color-mix(in srgb, currentColor 8%, transparent); }
.ln { opacity: 0.6; user-select: none; }
.hint { opacity: 0.85; }
`

var pages = template.Must(template.New("").Funcs(template.FuncMap{"errorCount": errorCount}).Parse(`
{{define "head"}}<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.}} – معاينة «نشرة»</title>
<style>` + style + `</style>
</head>
<body>
{{end}}

{{define "building"}}{{template "head" "جارٍ بناء الموقع"}}<main>
<h1>جارٍ بناء الموقع…</h1>
<p>تبني «نشرة» الموقع الآن. تظهر الصفحة وحدها حين ينتهي البناء، فلا حاجة إلى إعادة تحميلها.</p>
</main>
</body>
</html>
{{end}}

{{define "notfound"}}{{template "head" "الصفحة غير موجودة"}}<main>
<h1>الصفحة غير موجودة</h1>
<p>لا صفحة بهذا العنوان في الموقع.</p>
</main>
</body>
</html>
{{end}}

{{define "problem"}}<section class="problem">
{{- if .Position}}
<p class="where" dir="ltr"><code>{{.Position}}</code></p>
{{- end}}
<p dir="ltr" lang="en">{{.Msg}}</p>
{{- with .Hint}}
<p class="hint" dir="ltr" lang="en">{{.}}</p>
{{- end}}
{{- if and .Source .Line}}
<pre dir="ltr"><span class="ln">{{.Line}} | </span><bdi>{{.Source}}</bdi></pre>
{{- end}}
</section>
{{end}}

{{define "error"}}{{template "head" "تعذّر بناء الموقع"}}<main id="nashra-error-page">
<h1>تعذّر بناء الموقع</h1>
<p>في الملفات {{errorCount (len .)}} أوقف البناء. صحّح الملف واحفظه: تعود الصفحة وحدها دون إعادة تحميل. وما زالت بقية الصفحات تعرض آخر بناء سليم.</p>
{{range .}}{{template "problem" .}}{{end}}
</main>
</body>
</html>
{{end}}

{{define "notice"}}<div id="nashra-error-notice" role="alert" lang="ar" dir="rtl" style="position:fixed;inset-inline:0;bottom:0;z-index:2147483647;max-height:40vh;overflow:auto;margin:0;padding:0.75rem 1rem;background:#fff4f2;color:#410e0b;border-top:0.3rem solid #b3261e;font:16px/1.7 'Noto Naskh Arabic','Noto Sans Arabic',Tahoma,sans-serif;box-shadow:0 -0.2rem 1rem rgba(0,0,0,.2)">
<button type="button" onclick="this.parentNode.remove()" style="float:inline-end;font:inherit">إخفاء</button>
<strong>لم يُحدَّث الموقع: في البناء الأخير {{errorCount .N}}.</strong> تعرض هذه الصفحة آخر بناء سليم.
<ul style="margin:0.25rem 0 0;padding-inline-start:1.25rem">
{{- range .Errs}}
<li><code dir="ltr" style="unicode-bidi:isolate">{{.Position}}</code> <span dir="ltr" lang="en" style="unicode-bidi:isolate">{{.Msg}}</span></li>
{{- end}}
</ul>
</div>
{{end}}
`))

func render(name string, data any) []byte {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		// The templates are fixed: a failure is a bug caught by the tests.
		panic(err)
	}
	return b.Bytes()
}

func buildingPage() []byte { return render("building", nil) }

func notFoundPage() []byte { return render("notfound", nil) }

// errorPage shows a failed build's errors in place of a page.
func errorPage(errs diag.List) []byte { return render("error", errs) }

// errorNotice is added to the pages served while the last build failed.
func errorNotice(errs diag.List) []byte {
	data := struct {
		N    int
		Errs diag.List
	}{len(errs), errs}
	if len(errs) > 5 {
		data.Errs = errs[:5]
	}
	return render("notice", data)
}

// errorCount writes "N errors" in Arabic, with the number's plural form.
func errorCount(n int) string {
	switch {
	case n == 1:
		return "خطأ واحد"
	case n == 2:
		return "خطآن"
	case n >= 3 && n <= 10:
		return strconv.Itoa(n) + " أخطاء"
	}
	return strconv.Itoa(n) + " خطأً"
}
