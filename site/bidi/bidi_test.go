package bidi

import (
	"strings"
	"testing"
)

// mark shows the spans of s as [ltr …] and {phone …}.
func mark(s string, base Direction) string {
	var b strings.Builder
	at := 0
	for _, sp := range Spans(s, base) {
		b.WriteString(s[at:sp.Start])
		open, end := "[", "]"
		if sp.Kind == Phone {
			open, end = "{", "}"
		}
		b.WriteString(open + s[sp.Start:sp.End] + end)
		at = sp.End
	}
	b.WriteString(s[at:])
	return b.String()
}

// TestSpansB3 runs the test vectors of docs/arabic-rtl.md, section B3,
// and the cases that the issue names.
func TestSpansB3(t *testing.T) {
	cases := []struct{ in, want string }{
		// Lists of acronyms: each is isolated on its own, split by the
		// Arabic comma and by و.
		{"منظمات مثل CICA، SCO، وCSTO.", "منظمات مثل [CICA]، [SCO]، و[CSTO]."},
		// Brackets are not part of the run (Chromium already shows these
		// right; the wrapper does no harm).
		{"في آسيا (CICA).", "في آسيا ([CICA])."},
		{"المؤتمر (Astana Forum).", "المؤتمر ([Astana Forum])."},
		// Trailing + and # stay with the name.
		{"لغة C++ للبرمجة", "لغة [C++] للبرمجة"},
		{"بلغة C# وF#.", "بلغة [C#] و[F#]."},
		// Phone numbers and signed numbers.
		{"الهاتف +962 (6) 593-3000 للاستفسار", "الهاتف {+962 (6) 593-3000} للاستفسار"},
		{"على الرقم +962 6 593 3000، أو", "على الرقم {+962 6 593 3000}، أو"},
		{"اتصل على 06 593 3000 مساءً", "اتصل على {06 593 3000} مساءً"},
		{"فرق التوقيت +2 ساعة", "فرق التوقيت {+2} ساعة"},
		// Left alone: plain numbers, dates, percentages, times, ranges.
		{"في 17/12/2024 بنسبة 50% من 1,200 معاملة", "في 17/12/2024 بنسبة 50% من 1,200 معاملة"},
		{"اعتباراً من 05/12/2024، بات", "اعتباراً من 05/12/2024، بات"},
		{"من الساعة 09:30 حتى 12:30", "من الساعة 09:30 حتى 12:30"},
		{"للفترة 2020-2024 و593-3000", "للفترة 2020-2024 و593-3000"},
		{"يومي 12 و13 تشرين الأول 2022", "يومي 12 و13 تشرين الأول 2022"},
		{"العدد ٢٠٢٤ و3.5 و2+2", "العدد ٢٠٢٤ و3.5 و2+2"},
		// Runs hold spaces, digits and . - & / ' + @ _ : and balanced
		// brackets; they start and end on a letter or digit.
		{"قمة CICA 2024 في أستانا", "قمة [CICA 2024] في أستانا"},
		{"عام 2024 CICA", "عام 2024 [CICA]"},
		{"بتوقيت UTC+5، أي", "بتوقيت [UTC+5]، أي"},
		{"شركة AT&T وشركة Procter & Gamble.", "شركة [AT&T] وشركة [Procter & Gamble]."},
		{"ساحل Côte d'Ivoire هنا", "ساحل [Côte d'Ivoire] هنا"},
		{"البريد consular.amman@example.gov.kz، مع", "البريد [consular.amman@example.gov.kz]، مع"},
		{"الموقع https://example.gov.kz/amman/ الرسمي", "الموقع [https://example.gov.kz/amman/] الرسمي"},
		{"منتدى Astana (Kazakhstan) 2025 هنا", "منتدى [Astana (Kazakhstan) 2025] هنا"},
		{"قوس (CICA وحيد", "قوس ([CICA] وحيد"},
		{"نموذج PDF ثم رمز QR لتأكيد", "نموذج [PDF] ثم رمز [QR] لتأكيد"},
		{"اختصار 5G و4K", "اختصار [5G] و[4K]"},
		// Other left-to-right scripts too: Kazakh in Cyrillic.
		{"جمهورية Қазақстан Республикасы اليوم", "جمهورية [Қазақстан Республикасы] اليوم"},
		// A paragraph that starts with Latin.
		{"CSTO هو الاختصار", "[CSTO] هو الاختصار"},
		// Arabic question mark and semicolon end a run; an ASCII comma too.
		{"هل تعرف CICA؟ وSCO؛ وCICA, SCO", "هل تعرف [CICA]؟ و[SCO]؛ و[CICA], [SCO]"},
		// Tatweel is Arabic, not a letter of a left-to-right script.
		{"بين أعضائه الـ28 وCICA", "بين أعضائه الـ28 و[CICA]"},
		// Nothing to isolate.
		{"", ""},
		{"نص عربي فقط.", "نص عربي فقط."},
	}
	for _, tc := range cases {
		if got := mark(tc.in, RTL); got != tc.want {
			t.Errorf("Spans(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestSpansInLTR(t *testing.T) {
	cases := []struct{ in, want string }{
		{"The «سيكا» conference met in Astana.", "The «[سيكا]» conference met in Astana."},
		{"Ambassador said: شكراً جزيلاً، أهلاً وسهلاً. Then", "Ambassador said: [شكراً جزيلاً، أهلاً وسهلاً]. Then"},
		{"No Arabic here.", "No Arabic here."},
	}
	for _, tc := range cases {
		if got := mark(tc.in, LTR); got != tc.want {
			t.Errorf("Spans(%q, LTR)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestHTML(t *testing.T) {
	cases := []struct{ in, want string }{
		{"حصاد الأسبوع: كازاخستان بين CSTO وSCO و«سيكا»",
			`حصاد الأسبوع: كازاخستان بين <span dir="ltr">CSTO</span> و<span dir="ltr">SCO</span> و«سيكا»`},
		{"سيكا", "سيكا"},
		{"CICA", `<span dir="ltr">CICA</span>`},
		{"Foreign Policy", `<span lang="en" dir="ltr">Foreign Policy</span>`},
		{"Внешняя политика", `<span dir="ltr">Внешняя политика</span>`},
		{"سيكا <>&\"'", `سيكا &lt;&gt;&amp;&#34;&#39;`},
		{"<script>alert(1)</script> & CICA", `<span lang="en" dir="ltr">&lt;script&gt;alert(1)&lt;/script&gt; &amp; CICA</span>`},
		{"شركة <AT&T>", `شركة &lt;<span dir="ltr">AT&amp;T</span>&gt;`},
		{"الرقم +962 6 593 3000", `الرقم <span dir="ltr">+962 6 593 3000</span>`},
		{"", ""},
	}
	for _, tc := range cases {
		if got := HTML(tc.in); got != tc.want {
			t.Errorf("HTML(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestControls checks the plain-text form (B4): the Arabic string in an
// RTL isolate, its Latin runs in LTR isolates.
func TestControls(t *testing.T) {
	cases := []struct{ in, want string }{
		{"مؤتمر آسيا (CICA)", RLI + "مؤتمر آسيا (" + LRI + "CICA" + PDI + ")" + PDI},
		{"انطلاق قمة CICA في أستانا", RLI + "انطلاق قمة " + LRI + "CICA" + PDI + " في أستانا" + PDI},
		{"نص عربي", RLI + "نص عربي" + PDI},
		{"Astana Forum", LRI + "Astana Forum" + PDI},
		{"CICA", LRI + "CICA" + PDI},
		{"2024", "2024"},
		{"", ""},
	}
	for _, tc := range cases {
		got := Controls(tc.in)
		if got != tc.want {
			t.Errorf("Controls(%q) = %+q, want %+q", tc.in, got, tc.want)
		}
		if StripControls(got) != tc.in {
			t.Errorf("StripControls(Controls(%q)) = %q", tc.in, StripControls(got))
		}
	}
}

func TestWhollyLTR(t *testing.T) {
	cases := map[string]bool{
		"This is English.":     true,
		"Astana International": true,
		"CICA":                 false, // one word: a name, isolated inline
		"CICA و SCO":           false,
		"2024 50%":             false,
		"Kazakhstan's embassy": true,
		"Посольство Казахстана":    true,
		"The «سيكا» meeting":       false,
		"":                         false,
		"- C++ and C# are fine ok": true,
	}
	for in, want := range cases {
		if got := WhollyLTR(in); got != want {
			t.Errorf("WhollyLTR(%q) = %v, want %v", in, got, want)
		}
	}
	if LangOf("Hello world") != "en" || LangOf("Привет мир") != "" {
		t.Errorf("LangOf: Latin text is en, Cyrillic has no language: %q %q", LangOf("Hello world"), LangOf("Привет мир"))
	}
}

func TestTrimMarker(t *testing.T) {
	cases := []struct{ in, text, lang string }{
		{"Press release {lang=en}", "Press release", "en"},
		{"Communiqué {lang=fr-CA}", "Communiqué", "fr-CA"},
		{"{lang=ar}", "", "ar"},
		{"no marker", "no marker", ""},
		{"{lang=en} not at the end", "{lang=en} not at the end", ""},
		{"bad {lang=e}", "bad {lang=e}", ""},
		{`quoted {lang="en"}`, `quoted {lang="en"}`, ""},
	}
	for _, tc := range cases {
		text, lang := TrimMarker(tc.in)
		if text != tc.text || lang != tc.lang {
			t.Errorf("TrimMarker(%q) = %q, %q; want %q, %q", tc.in, text, lang, tc.text, tc.lang)
		}
	}
	if DirOfLang("ar-JO") != RTL || DirOfLang("fa") != RTL || DirOfLang("en") != LTR || DirOfLang("kk") != LTR {
		t.Error("DirOfLang: ar-JO and fa are rtl, en and kk ltr")
	}
}
