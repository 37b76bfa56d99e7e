package arabic

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// day returns midday UTC of the given date.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}

// TestLongDate covers 12 months x 3 month styles x 2 digit sets. The expected
// strings are written out by hand from the CLDR ar_JO lists in
// docs/arabic-rtl.md section 3; the weekdays were checked with `date -d`, and
// the twelve dates cover all seven weekdays.
func TestLongDate(t *testing.T) {
	tests := []struct {
		date   time.Time
		months MonthStyle
		digits Digits
		want   string
	}{
		// 2025-01-05 Sunday
		{day(2025, 1, 5), Levant, Latin, "الأحد، 5 كانون الثاني 2025"},
		{day(2025, 1, 5), Double, Latin, "الأحد، 5 كانون الثاني/يناير 2025"},
		{day(2025, 1, 5), Egypt, Latin, "الأحد، 5 يناير 2025"},
		{day(2025, 1, 5), Levant, ArabicIndic, "الأحد، ٥ كانون الثاني ٢٠٢٥"},
		{day(2025, 1, 5), Double, ArabicIndic, "الأحد، ٥ كانون الثاني/يناير ٢٠٢٥"},
		{day(2025, 1, 5), Egypt, ArabicIndic, "الأحد، ٥ يناير ٢٠٢٥"},
		// 2025-02-14 Friday
		{day(2025, 2, 14), Levant, Latin, "الجمعة، 14 شباط 2025"},
		{day(2025, 2, 14), Double, Latin, "الجمعة، 14 شباط/فبراير 2025"},
		{day(2025, 2, 14), Egypt, Latin, "الجمعة، 14 فبراير 2025"},
		{day(2025, 2, 14), Levant, ArabicIndic, "الجمعة، ١٤ شباط ٢٠٢٥"},
		{day(2025, 2, 14), Double, ArabicIndic, "الجمعة، ١٤ شباط/فبراير ٢٠٢٥"},
		{day(2025, 2, 14), Egypt, ArabicIndic, "الجمعة، ١٤ فبراير ٢٠٢٥"},
		// 2025-03-19 Wednesday
		{day(2025, 3, 19), Levant, Latin, "الأربعاء، 19 آذار 2025"},
		{day(2025, 3, 19), Double, Latin, "الأربعاء، 19 آذار/مارس 2025"},
		{day(2025, 3, 19), Egypt, Latin, "الأربعاء، 19 مارس 2025"},
		{day(2025, 3, 19), Levant, ArabicIndic, "الأربعاء، ١٩ آذار ٢٠٢٥"},
		{day(2025, 3, 19), Double, ArabicIndic, "الأربعاء، ١٩ آذار/مارس ٢٠٢٥"},
		{day(2025, 3, 19), Egypt, ArabicIndic, "الأربعاء، ١٩ مارس ٢٠٢٥"},
		// 2025-04-01 Tuesday
		{day(2025, 4, 1), Levant, Latin, "الثلاثاء، 1 نيسان 2025"},
		{day(2025, 4, 1), Double, Latin, "الثلاثاء، 1 نيسان/أبريل 2025"},
		{day(2025, 4, 1), Egypt, Latin, "الثلاثاء، 1 أبريل 2025"},
		{day(2025, 4, 1), Levant, ArabicIndic, "الثلاثاء، ١ نيسان ٢٠٢٥"},
		{day(2025, 4, 1), Double, ArabicIndic, "الثلاثاء، ١ نيسان/أبريل ٢٠٢٥"},
		{day(2025, 4, 1), Egypt, ArabicIndic, "الثلاثاء، ١ أبريل ٢٠٢٥"},
		// 2025-05-25 Sunday
		{day(2025, 5, 25), Levant, Latin, "الأحد، 25 أيار 2025"},
		{day(2025, 5, 25), Double, Latin, "الأحد، 25 أيار/مايو 2025"},
		{day(2025, 5, 25), Egypt, Latin, "الأحد، 25 مايو 2025"},
		{day(2025, 5, 25), Levant, ArabicIndic, "الأحد، ٢٥ أيار ٢٠٢٥"},
		{day(2025, 5, 25), Double, ArabicIndic, "الأحد، ٢٥ أيار/مايو ٢٠٢٥"},
		{day(2025, 5, 25), Egypt, ArabicIndic, "الأحد، ٢٥ مايو ٢٠٢٥"},
		// 2025-06-30 Monday
		{day(2025, 6, 30), Levant, Latin, "الاثنين، 30 حزيران 2025"},
		{day(2025, 6, 30), Double, Latin, "الاثنين، 30 حزيران/يونيو 2025"},
		{day(2025, 6, 30), Egypt, Latin, "الاثنين، 30 يونيو 2025"},
		{day(2025, 6, 30), Levant, ArabicIndic, "الاثنين، ٣٠ حزيران ٢٠٢٥"},
		{day(2025, 6, 30), Double, ArabicIndic, "الاثنين، ٣٠ حزيران/يونيو ٢٠٢٥"},
		{day(2025, 6, 30), Egypt, ArabicIndic, "الاثنين، ٣٠ يونيو ٢٠٢٥"},
		// 2024-07-04 Thursday
		{day(2024, 7, 4), Levant, Latin, "الخميس، 4 تموز 2024"},
		{day(2024, 7, 4), Double, Latin, "الخميس، 4 تموز/يوليو 2024"},
		{day(2024, 7, 4), Egypt, Latin, "الخميس، 4 يوليو 2024"},
		{day(2024, 7, 4), Levant, ArabicIndic, "الخميس، ٤ تموز ٢٠٢٤"},
		{day(2024, 7, 4), Double, ArabicIndic, "الخميس، ٤ تموز/يوليو ٢٠٢٤"},
		{day(2024, 7, 4), Egypt, ArabicIndic, "الخميس، ٤ يوليو ٢٠٢٤"},
		// 2024-08-31 Saturday
		{day(2024, 8, 31), Levant, Latin, "السبت، 31 آب 2024"},
		{day(2024, 8, 31), Double, Latin, "السبت، 31 آب/أغسطس 2024"},
		{day(2024, 8, 31), Egypt, Latin, "السبت، 31 أغسطس 2024"},
		{day(2024, 8, 31), Levant, ArabicIndic, "السبت، ٣١ آب ٢٠٢٤"},
		{day(2024, 8, 31), Double, ArabicIndic, "السبت، ٣١ آب/أغسطس ٢٠٢٤"},
		{day(2024, 8, 31), Egypt, ArabicIndic, "السبت، ٣١ أغسطس ٢٠٢٤"},
		// 2024-09-09 Monday
		{day(2024, 9, 9), Levant, Latin, "الاثنين، 9 أيلول 2024"},
		{day(2024, 9, 9), Double, Latin, "الاثنين، 9 أيلول/سبتمبر 2024"},
		{day(2024, 9, 9), Egypt, Latin, "الاثنين، 9 سبتمبر 2024"},
		{day(2024, 9, 9), Levant, ArabicIndic, "الاثنين، ٩ أيلول ٢٠٢٤"},
		{day(2024, 9, 9), Double, ArabicIndic, "الاثنين، ٩ أيلول/سبتمبر ٢٠٢٤"},
		{day(2024, 9, 9), Egypt, ArabicIndic, "الاثنين، ٩ سبتمبر ٢٠٢٤"},
		// 2024-10-10 Thursday
		{day(2024, 10, 10), Levant, Latin, "الخميس، 10 تشرين الأول 2024"},
		{day(2024, 10, 10), Double, Latin, "الخميس، 10 تشرين الأول/أكتوبر 2024"},
		{day(2024, 10, 10), Egypt, Latin, "الخميس، 10 أكتوبر 2024"},
		{day(2024, 10, 10), Levant, ArabicIndic, "الخميس، ١٠ تشرين الأول ٢٠٢٤"},
		{day(2024, 10, 10), Double, ArabicIndic, "الخميس، ١٠ تشرين الأول/أكتوبر ٢٠٢٤"},
		{day(2024, 10, 10), Egypt, ArabicIndic, "الخميس، ١٠ أكتوبر ٢٠٢٤"},
		// 2024-11-29 Friday
		{day(2024, 11, 29), Levant, Latin, "الجمعة، 29 تشرين الثاني 2024"},
		{day(2024, 11, 29), Double, Latin, "الجمعة، 29 تشرين الثاني/نوفمبر 2024"},
		{day(2024, 11, 29), Egypt, Latin, "الجمعة، 29 نوفمبر 2024"},
		{day(2024, 11, 29), Levant, ArabicIndic, "الجمعة، ٢٩ تشرين الثاني ٢٠٢٤"},
		{day(2024, 11, 29), Double, ArabicIndic, "الجمعة، ٢٩ تشرين الثاني/نوفمبر ٢٠٢٤"},
		{day(2024, 11, 29), Egypt, ArabicIndic, "الجمعة، ٢٩ نوفمبر ٢٠٢٤"},
		// 2024-12-17 Tuesday
		{day(2024, 12, 17), Levant, Latin, "الثلاثاء، 17 كانون الأول 2024"},
		{day(2024, 12, 17), Double, Latin, "الثلاثاء، 17 كانون الأول/ديسمبر 2024"},
		{day(2024, 12, 17), Egypt, Latin, "الثلاثاء، 17 ديسمبر 2024"},
		{day(2024, 12, 17), Levant, ArabicIndic, "الثلاثاء، ١٧ كانون الأول ٢٠٢٤"},
		{day(2024, 12, 17), Double, ArabicIndic, "الثلاثاء، ١٧ كانون الأول/ديسمبر ٢٠٢٤"},
		{day(2024, 12, 17), Egypt, ArabicIndic, "الثلاثاء، ١٧ ديسمبر ٢٠٢٤"},
	}

	type key struct {
		m      time.Month
		months MonthStyle
		digits Digits
	}
	covered := map[key]bool{}
	weekdays := map[time.Weekday]bool{}
	for _, tt := range tests {
		covered[key{tt.date.Month(), tt.months, tt.digits}] = true
		weekdays[tt.date.Weekday()] = true
		f := Formatter{Months: tt.months, Digits: tt.digits}
		if got := f.LongDate(tt.date); got != tt.want {
			t.Errorf("%+v.LongDate(%s) = %q, want %q", f, tt.date.Format(time.DateOnly), got, tt.want)
		}
		// Date is LongDate without the weekday and the comma.
		_, wantDate, _ := strings.Cut(tt.want, "، ")
		if got := f.Date(tt.date); got != wantDate {
			t.Errorf("%+v.Date(%s) = %q, want %q", f, tt.date.Format(time.DateOnly), got, wantDate)
		}
	}
	if len(covered) != 12*3*2 {
		t.Errorf("table covers %d month/style/digits combinations, want 72", len(covered))
	}
	if len(weekdays) != 7 {
		t.Errorf("table covers %d weekdays, want 7", len(weekdays))
	}
}

func TestZeroFormatterIsLevantLatin(t *testing.T) {
	want := "الثلاثاء، 17 كانون الأول 2024"
	if got := (Formatter{}).LongDate(day(2024, 12, 17)); got != want {
		t.Errorf("Formatter{}.LongDate = %q, want %q", got, want)
	}
	// Values not obtained from the Parse functions fall back to the defaults.
	f := Formatter{Months: "syriac", Digits: "thai"}
	if got := f.LongDate(day(2024, 12, 17)); got != want {
		t.Errorf("%+v.LongDate = %q, want %q", f, got, want)
	}
}

func TestOtherTimeZone(t *testing.T) {
	// 22:30 UTC on Tuesday 31 December 2024 is already Wednesday 1 January
	// 2025 in Amman (UTC+3). The date is taken in t's own location.
	utc := time.Date(2024, 12, 31, 22, 30, 0, 0, time.UTC)
	amman := utc.In(time.FixedZone("+03", 3*60*60))
	f := Formatter{}
	if got, want := f.LongDate(utc), "الثلاثاء، 31 كانون الأول 2024"; got != want {
		t.Errorf("LongDate(UTC) = %q, want %q", got, want)
	}
	if got, want := f.LongDate(amman), "الأربعاء، 1 كانون الثاني 2025"; got != want {
		t.Errorf("LongDate(+03) = %q, want %q", got, want)
	}
	// And westwards: 01:00 UTC on 1 January is still 31 December in UTC-5.
	ny := time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC).In(time.FixedZone("-05", -5*60*60))
	if got, want := (Formatter{Months: Double}).Date(ny), "31 كانون الأول/ديسمبر 2024"; got != want {
		t.Errorf("Date(-05) = %q, want %q", got, want)
	}
}

func TestMonthName(t *testing.T) {
	levant := []string{"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
		"تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"}
	egypt := []string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
		"يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}
	for i := range 12 {
		m := time.Month(i + 1)
		if got := (Formatter{Months: Levant}).MonthName(m); got != levant[i] {
			t.Errorf("Levant %v = %q, want %q", m, got, levant[i])
		}
		if got := (Formatter{Months: Egypt}).MonthName(m); got != egypt[i] {
			t.Errorf("Egypt %v = %q, want %q", m, got, egypt[i])
		}
		if got, want := (Formatter{Months: Double}).MonthName(m), levant[i]+"/"+egypt[i]; got != want {
			t.Errorf("Double %v = %q, want %q", m, got, want)
		}
	}
	if got, want := (Formatter{Months: Double}).MonthName(time.December), "كانون الأول/ديسمبر"; got != want {
		t.Errorf("Double December = %q, want %q", got, want)
	}
	for _, m := range []time.Month{0, 13, -1} {
		if got := (Formatter{}).MonthName(m); got != "" {
			t.Errorf("MonthName(%d) = %q, want empty", m, got)
		}
	}
}

func TestWeekday(t *testing.T) {
	want := []string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}
	for i, w := range want {
		if got := (Formatter{}).Weekday(time.Weekday(i)); got != w {
			t.Errorf("Weekday(%v) = %q, want %q", time.Weekday(i), got, w)
		}
	}
	for _, d := range []time.Weekday{-1, 7} {
		if got := (Formatter{}).Weekday(d); got != "" {
			t.Errorf("Weekday(%d) = %q, want empty", d, got)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		n           int
		latin, arab string
	}{
		{0, "0", "٠"},
		{7, "7", "٧"},
		{2024, "2024", "٢٠٢٤"},
		{1234567890, "1234567890", "١٢٣٤٥٦٧٨٩٠"},
		{-15, "-15", "-١٥"},
	}
	for _, tt := range tests {
		if got := (Formatter{Digits: Latin}).Number(tt.n); got != tt.latin {
			t.Errorf("latn Number(%d) = %q, want %q", tt.n, got, tt.latin)
		}
		if got := (Formatter{Digits: ArabicIndic}).Number(tt.n); got != tt.arab {
			t.Errorf("arab Number(%d) = %q, want %q", tt.n, got, tt.arab)
		}
	}
}

func TestDigitize(t *testing.T) {
	arab := Formatter{Digits: ArabicIndic}
	tests := []struct{ in, want string }{
		{"", ""},
		{"0123456789", "٠١٢٣٤٥٦٧٨٩"},
		{"العدد 42 من 2024", "العدد ٤٢ من ٢٠٢٤"},
		{"CICA 2024: 50%", "CICA ٢٠٢٤: ٥٠%"},
		// Non-ASCII digits are left alone.
		{"٣ و ۴ و 5", "٣ و ۴ و ٥"},
	}
	for _, tt := range tests {
		if got := arab.Digitize(tt.in); got != tt.want {
			t.Errorf("arab Digitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// Latin leaves every string unchanged, including Arabic-Indic digits.
		if got := (Formatter{Digits: Latin}).Digitize(tt.in); got != tt.in {
			t.Errorf("latn Digitize(%q) = %q, want it unchanged", tt.in, got)
		}
		if got := (Formatter{Digits: Latin}).Digitize(tt.want); got != tt.want {
			t.Errorf("latn Digitize(%q) = %q, want it unchanged", tt.want, got)
		}
	}
}

func TestToASCIIDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"العدد ٤٢ من ۲۰۲۴ و 7", "العدد 42 من 2024 و 7"},
		{"no digits، هنا", "no digits، هنا"},
	}
	for _, tt := range tests {
		if got := ToASCIIDigits(tt.in); got != tt.want {
			t.Errorf("ToASCIIDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDigitsRoundTrip(t *testing.T) {
	arab := Formatter{Digits: ArabicIndic}
	// ASCII -> Arabic-Indic -> ASCII.
	for _, s := range []string{"0123456789", "بيان رقم 17/2024", "+962 (6) 593-3000", "abc"} {
		d := arab.Digitize(s)
		if strings.ContainsAny(d, "0123456789") {
			t.Errorf("Digitize(%q) = %q still has ASCII digits", s, d)
		}
		if back := ToASCIIDigits(d); back != s {
			t.Errorf("ToASCIIDigits(Digitize(%q)) = %q", s, back)
		}
	}
	// Arabic-Indic -> ASCII -> Arabic-Indic.
	for _, s := range []string{"٠١٢٣٤٥٦٧٨٩", "الثلاثاء، ١٧ كانون الأول ٢٠٢٤"} {
		if back := arab.Digitize(ToASCIIDigits(s)); back != s {
			t.Errorf("Digitize(ToASCIIDigits(%q)) = %q", s, back)
		}
	}
	// Eastern Arabic-Indic digits normalise to the Arabic-Indic ones.
	if got, want := arab.Digitize(ToASCIIDigits("۲۰۲۴")), "٢٠٢٤"; got != want {
		t.Errorf("eastern round trip = %q, want %q", got, want)
	}
	// Every number survives Number -> ToASCIIDigits.
	for _, n := range []int{0, 9, 10, 99, 2024, -1, 1 << 40} {
		if got, want := ToASCIIDigits(arab.Number(n)), fmt.Sprint(n); got != want {
			t.Errorf("ToASCIIDigits(Number(%d)) = %q, want %q", n, got, want)
		}
	}
}

func TestParseMonthStyle(t *testing.T) {
	valid := []struct {
		in   string
		want MonthStyle
	}{
		{"", Levant},
		{"levant", Levant},
		{"double", Double},
		{"egypt", Egypt},
		{" Egypt ", Egypt},
	}
	for _, tt := range valid {
		got, err := ParseMonthStyle(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseMonthStyle(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"syriac", "gulf", "levantine", "كانون"} {
		got, err := ParseMonthStyle(in)
		if err == nil {
			t.Errorf("ParseMonthStyle(%q) = %q, nil; want an error", in, got)
			continue
		}
		msg := err.Error()
		for _, part := range []string{fmt.Sprintf("%q", in), `"levant"`, `"double"`, `"egypt"`} {
			if !strings.Contains(msg, part) {
				t.Errorf("ParseMonthStyle(%q) error %q does not mention %s", in, msg, part)
			}
		}
	}
}

func TestParseDigits(t *testing.T) {
	valid := []struct {
		in   string
		want Digits
	}{
		{"", Latin},
		{"latn", Latin},
		{"arab", ArabicIndic},
		{"ARAB", ArabicIndic},
	}
	for _, tt := range valid {
		got, err := ParseDigits(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDigits(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"latin", "arabic", "arabext", "0"} {
		got, err := ParseDigits(in)
		if err == nil {
			t.Errorf("ParseDigits(%q) = %q, nil; want an error", in, got)
			continue
		}
		msg := err.Error()
		for _, part := range []string{fmt.Sprintf("%q", in), `"latn"`, `"arab"`} {
			if !strings.Contains(msg, part) {
				t.Errorf("ParseDigits(%q) error %q does not mention %s", in, msg, part)
			}
		}
	}
}

func ExampleFormatter() {
	published := time.Date(2024, 12, 17, 10, 0, 0, 0, time.FixedZone("+03", 3*60*60))

	fmt.Println(Formatter{}.LongDate(published))
	fmt.Println(Formatter{Months: Double}.Date(published))
	fmt.Println(Formatter{Months: Egypt, Digits: ArabicIndic}.LongDate(published))
	fmt.Println(Formatter{Digits: ArabicIndic}.Digitize("بيان رقم 42"))
	fmt.Println(ToASCIIDigits("٢٠٢٤"))
	// Output:
	// الثلاثاء، 17 كانون الأول 2024
	// 17 كانون الأول/ديسمبر 2024
	// الثلاثاء، ١٧ ديسمبر ٢٠٢٤
	// بيان رقم ٤٢
	// 2024
}
