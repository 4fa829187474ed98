package template

// archive: tests of fast.go, the escapers' StringFuncs.

import (
	"bytes"
	stdtemplate "html/template"
	"io"
	"reflect"
	"strings"
	"testing"

	texttemplate "github.com/archive-project/archive/cmd/archive/internal/gotemplates/texttemplate"
)

type named string // a string type stringify does not know: fmt prints it

type strStringer string

func (s strStringer) String() string { return "<" + string(s) + ">" }

var stringFuncInputs = []string{
	"", "plain", "a<b>&'\"`=", "javascript:alert(1)", "https://example.org/a b?q=1&r=%zz%20#f",
	"mailto:x@y", "/rel/path?x=a,b", "é\xff\ufdd0\ufffe", " \t\n", "<b>bold</b> & <i>x</i>",
}

var stringFuncTypes = []reflect.Type{
	reflect.TypeFor[string](), reflect.TypeFor[CSS](), reflect.TypeFor[HTML](), reflect.TypeFor[HTMLAttr](),
	reflect.TypeFor[JS](), reflect.TypeFor[JSStr](), reflect.TypeFor[URL](), reflect.TypeFor[Srcset](),
	reflect.TypeFor[named](), reflect.TypeFor[strStringer](),
}

// TestStringFuncsAsEscapers: each escaper's StringFunc gives what the
// escaper gives, for every type stringify tells apart, and declines the
// others; the escapers html/template adds to most actions have one.
func TestStringFuncsAsEscapers(t *testing.T) {
	want := map[string]bool{
		"_html_template_htmlescaper": true, "_html_template_attrescaper": true, "_html_template_rcdataescaper": true,
		"_html_template_nospaceescaper": true, "_html_template_urlfilter": true, "_html_template_urlescaper": true,
		"_html_template_urlnormalizer": true,
	}
	for name, f := range funcMap {
		fn, ok := f.(func(...any) string)
		if !ok {
			continue
		}
		fast, ok := texttemplate.LookupStringFunc(fn)
		if ok != want[name] {
			t.Errorf("%s: registered %v, want %v", name, ok, want[name])
		}
		if !ok {
			continue
		}
		for _, typ := range stringFuncTypes {
			for _, in := range stringFuncInputs {
				v := reflect.ValueOf(in).Convert(typ)
				got, ok := fast(in, typ)
				_, known := contentTypeOf(typ)
				if ok != known {
					t.Errorf("%s(%s %q): ok %v, want %v", name, typ, in, ok, known)
				}
				if ok {
					if w := fn(v.Interface()); got != w {
						t.Errorf("%s(%s %q) = %q, the escaper %q", name, typ, in, got, w)
					}
				}
			}
		}
	}
}

// escapeCases are templates whose actions go through the escapers, each
// alone and in chains (URL attributes: urlfilter, urlnormalizer,
// attrescaper), with values of every kind the StringFuncs take or decline.
const escapeCases = `<p title="{{.S}}" class={{.S}}>{{.S}} {{.H}} {{.N}} {{.St}} {{.P}}</p>
<a href="{{.U}}">{{.U}}</a><a href="{{.S}}">x</a><a href="/q?a={{.S}}&b={{.U}}">y</a><a href="{{.Bad}}">z</a>
<textarea>{{.S}}{{.H}}</textarea><title>{{.S}}</title>
{{range .L}}<li data-x="{{.}}">{{.}}</li>{{end}}{{with .S}}{{.}}{{.}}{{end}}{{.S}}{{.H}}{{.S}}
<img srcset="{{.U}}" alt="{{.H}}"><script>var x = {{.S}};</script><style>p { color: {{.C}} }</style>`

type escapeData struct {
	S, Bad string
	H      HTML
	U      URL
	C      CSS
	N      named
	St     strStringer
	P      *string
	L      []any
}

// TestExecuteAsStd: templates whose escapers take the fast path write what
// the standard library's html/template writes.
func TestExecuteAsStd(t *testing.T) {
	for _, in := range stringFuncInputs {
		p := in + "!"
		d := escapeData{S: in, Bad: "javascript:" + in, H: HTML(in), U: URL(in), C: CSS(in), N: named(in), St: strStringer(in), P: &p,
			L: []any{in, HTML(in), named(in), 3}}
		var got, want bytes.Buffer
		if err := Must(New("t").Parse(escapeCases)).Execute(&got, d); err != nil {
			t.Fatal(err)
		}
		if err := stdtemplate.Must(stdtemplate.New("t").Parse(escapeCases)).Execute(&want, d); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("input %q:\n got %s\nwant %s", in, got.String(), want.String())
		}
	}
}

// TestExecuteAllocs: an action printing a plain string field through an
// escaper allocates nothing (three allocations before StringFuncs).
func TestExecuteAllocs(t *testing.T) {
	type page struct{ A, B, C, D, E, F, G, H string }
	tmpl := Must(New("t").Parse(`<p title="{{.A}}">{{.B}}</p><a href="{{.C}}">{{.D}}</a>{{.E}}{{.F}}{{.G}}{{.H}}`))
	short := Must(New("t").Parse(`<p title="{{.A}}">{{.B}}</p>`))
	d := &page{"a", "b", "/c", "d", "e", "f", "g", "h"}
	if err := tmpl.Execute(io.Discard, d); err != nil { // escapes the template
		t.Fatal(err)
	}
	if err := short.Execute(io.Discard, d); err != nil {
		t.Fatal(err)
	}
	long := testing.AllocsPerRun(50, func() { tmpl.Execute(io.Discard, d) })
	base := testing.AllocsPerRun(50, func() { short.Execute(io.Discard, d) })
	// None, bar an entry of texttemplate's look-up caches when names
	// collide in their slots (the slots depend on where the binary puts
	// its strings): allocating per action made 18.
	if long-base > 2 {
		t.Errorf("six more escaped actions made %v more allocations, want none (%v for 2 actions, %v for 8)", long-base, base, long)
	}
	var b strings.Builder
	tmpl.Execute(&b, d)
	if want := `<p title="a">b</p><a href="/c">d</a>efgh`; b.String() != want {
		t.Errorf("got %s, want %s", b.String(), want)
	}
}
