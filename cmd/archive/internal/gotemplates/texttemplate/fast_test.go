package template

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestFastCallAsReflect: fastCall gives what safeCall (reflect.Value.Call)
// gives, results, errors and panics alike, for each signature it takes.
func TestFastCallAsReflect(t *testing.T) {
	escaper := func(args ...any) string { return fmt.Sprint(len(args), args) }
	panics := func(args ...any) string { panic(fmt.Sprintf("no %v", args)) }
	panicsErr := func(args ...any) string { panic(fmt.Errorf("bad %d", len(args))) }
	wrap := func(v any) reflect.Value { return reflect.ValueOf(reflect.ValueOf(v)) }
	var nilAny any
	tests := []struct {
		name string
		fun  any
		argv []reflect.Value
	}{
		{"escaper none", escaper, nil},
		{"escaper one", escaper, []reflect.Value{reflect.ValueOf("a<b")}},
		{"escaper nil interface", escaper, []reflect.Value{reflect.Zero(reflect.TypeFor[any]())}},
		{"escaper interface", escaper, []reflect.Value{reflect.ValueOf(&nilAny).Elem(), reflect.ValueOf(3)}},
		{"escaper many", escaper, []reflect.Value{reflect.ValueOf(1), reflect.ValueOf("x"), reflect.ValueOf(2.5), reflect.ValueOf([]int{1})}},
		{"escaper panics", panics, []reflect.Value{reflect.ValueOf("x")}},
		{"escaper panics error", panicsErr, []reflect.Value{reflect.ValueOf("x")}},
		{"not true", not, []reflect.Value{wrap(true)}},
		{"not empty", not, []reflect.Value{wrap("")}},
		{"eq", eq, []reflect.Value{wrap(1), wrap(2), wrap(1)}},
		{"eq strings", eq, []reflect.Value{wrap("a"), wrap("a")}},
		{"eq incomparable", eq, []reflect.Value{wrap(1), wrap("a")}},
		{"eq many", eq, []reflect.Value{wrap(1), wrap(2), wrap(3), wrap(4), wrap(1)}},
		{"eq unwrapped Value", eq, []reflect.Value{reflect.ValueOf(reflect.ValueOf(5)), wrap(5)}},
		{"lt", lt, []reflect.Value{wrap(1), wrap(2)}},
		{"lt error", lt, []reflect.Value{wrap([]int{}), wrap(2)}},
		{"ne", ne, []reflect.Value{wrap("a"), wrap("b")}},
		{"len", length, []reflect.Value{wrap([]int{1, 2, 3})}},
		{"len error", length, []reflect.Value{wrap(3)}},
	}
	show := func(v reflect.Value, err error) string {
		s := "<invalid>"
		if v.IsValid() {
			s = fmt.Sprintf("%v %#v", v.Type(), v.Interface())
		}
		if err != nil {
			s += " error: " + err.Error()
		}
		return s
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fun := reflect.ValueOf(tt.fun)
			v, err, ok := fastCall(new(scratch), fun, fun.Type(), tt.argv)
			if !ok {
				t.Fatal("fastCall did not take the call")
			}
			want, wantErr := safeCall(fun, tt.argv)
			if got, w := show(v, err), show(want, wantErr); got != w {
				t.Errorf("fastCall: %s\nsafeCall: %s", got, w)
			}
		})
	}
	other := reflect.ValueOf(strings.ToUpper)
	if _, _, ok := fastCall(new(scratch), other, other.Type(), []reflect.Value{reflect.ValueOf("a")}); ok {
		t.Error("fastCall took a func(string) string")
	}
}

type lookups struct {
	Embedded
	Name   string
	hidden int
}

type Embedded struct{ Inner string }

func (lookups) Method() string   { return "m" }
func (*lookups) PtrMethod() bool { return true }

// TestLookupsAsReflect: the memoised look-ups give what reflect's give, the
// first time and the next.
func TestLookupsAsReflect(t *testing.T) {
	v := reflect.ValueOf(&lookups{Name: "n"})
	var iface fmt.Stringer = &strings.Builder{}
	vi := reflect.ValueOf(&iface).Elem()
	for range 2 {
		for _, c := range []struct {
			v    reflect.Value
			name string
		}{{v, "Method"}, {v, "PtrMethod"}, {v, "Name"}, {v.Elem(), "Method"}, {v.Elem(), "PtrMethod"}, {vi, "String"}, {vi, "Len"}} {
			got, want := methodByName(c.v, c.name), c.v.MethodByName(c.name)
			if got.IsValid() != want.IsValid() || got.IsValid() && got.Type() != want.Type() {
				t.Errorf("methodByName(%v, %s) = %v, want %v", c.v.Type(), c.name, got, want)
			}
		}
		for _, name := range []string{"Name", "hidden", "Inner", "Embedded", "Missing"} {
			typ := v.Elem().Type()
			f, ok := fieldByName(typ, name)
			sf, wok := typ.FieldByName(name)
			if ok != wok || ok && (!reflect.DeepEqual(f.index, sf.Index) || f.exported != sf.IsExported()) {
				t.Errorf("fieldByName(%s) = %+v %v, want %v %v", name, f, ok, sf, wok)
			}
		}
	}
}

// upperArgs is a registered function (as html/template's escapers are),
// upperFast its StringFunc, which takes plain strings only.
func upperArgs(args ...any) string { return strings.ToUpper(fmt.Sprint(args...)) }

func upperFast(s string, t reflect.Type) (string, bool) {
	if t != stringType {
		return "", false
	}
	return strings.ToUpper(s) + "!", true // "!": to see which one ran
}

func init() { RegisterStringFunc(upperArgs, upperFast) }

type upperName string

// TestStringFunc: a registered function's StringFunc takes one string
// argument, the function itself what its StringFunc declines and more
// arguments; results in a row do not overwrite one another; the reused
// argument slice keeps nothing after a call.
func TestStringFunc(t *testing.T) {
	tmpl := Must(New("t").Funcs(FuncMap{"up": upperArgs}).Parse(
		`{{up .S}} {{up .N}} {{up .S .S}} {{up 3}} {{.S | up | up}} {{up .S}}{{up .T}}`))
	var b strings.Builder
	if err := tmpl.Execute(&b, struct {
		S, T string
		N    upperName
	}{"ab", "cd", "nm"}); err != nil {
		t.Fatal(err)
	}
	if want := `AB! NM ABAB 3 AB!! AB!CD!`; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	sc := new(scratch)
	fun := reflect.ValueOf(upperArgs)
	if _, _, ok := fastCall(sc, fun, fun.Type(), []reflect.Value{reflect.ValueOf(1), reflect.ValueOf("x")}); !ok {
		t.Fatal("fastCall did not take the call")
	}
	if sc.args != [2]any{} {
		t.Errorf("the scratch arguments keep %v after the call", sc.args)
	}
}

type otherLookups struct {
	Pad, More int
	Name      string // another index than lookups.Name's
}

func (*otherLookups) A() int      { return 0 }
func (*otherLookups) Method() int { return 1 } // another index than lookups.Method's

// TestLookupCacheSlots: the look-up caches answer for the type and name
// asked when another type or another name had the slot: names that start
// at the same byte (one slot), types asked in turn for one name.
func TestLookupCacheSlots(t *testing.T) {
	src := "MethodNamePtrMethod"
	// "Method", "MethodName" and "MethodNamePtrMethod" share a slot.
	fsrc := "NamePad" // "Name" and "NamePad" share a slot
	names := []string{src[:6], src[:10], src, src[6:10], src[10:], fsrc[:4], fsrc}
	values := []reflect.Value{reflect.ValueOf(&lookups{}), reflect.ValueOf(&otherLookups{}), reflect.ValueOf(lookups{})}
	for range 2 {
		for _, name := range names {
			for _, v := range values {
				got, want := methodByName(v, name), v.MethodByName(name)
				if got.IsValid() != want.IsValid() || got.IsValid() && got.Type() != want.Type() {
					t.Errorf("methodByName(%v, %s) = %v, want %v", v.Type(), name, got, want)
				}
				typ := v.Type()
				if typ.Kind() == reflect.Pointer {
					typ = typ.Elem()
				}
				f, ok := fieldByName(typ, name)
				sf, wok := typ.FieldByName(name)
				if ok != wok || ok && (!reflect.DeepEqual(f.index, sf.Index) || f.exported != sf.IsExported()) {
					t.Errorf("fieldByName(%s, %s) = %+v %v, want %v %v", typ, name, f, ok, sf.Index, wok)
				}
			}
		}
		for _, v := range values { // a method that is there, then one that is not, in one slot
			for _, name := range names[:2] {
				got, want := methodByName(v, name), v.MethodByName(name)
				if got.IsValid() != want.IsValid() {
					t.Errorf("methodByName(%v, %s) = %v, want %v", v.Type(), name, got, want)
				}
			}
		}
	}
}

// TestFuncCache: findFunction's cache answers for the template's set of
// functions as it is now and the name asked: after Funcs replaces a
// function, for another set with the same name, and for names that share
// a slot.
func TestFuncCache(t *testing.T) {
	ret := func(s string) func() string { return func() string { return s } }
	run := func(tmpl *Template) string {
		var b strings.Builder
		if err := tmpl.Execute(&b, nil); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	one := Must(New("one").Funcs(FuncMap{"f": ret("1"), "fg": ret("x")}).Parse(`{{f}}{{fg}}`))
	two := Must(New("two").Funcs(FuncMap{"f": ret("2"), "fg": ret("y")}).Parse(`{{f}}{{fg}}`))
	for range 2 {
		if got := run(one); got != "1x" {
			t.Errorf("one: %q, want 1x", got)
		}
		if got := run(two); got != "2y" {
			t.Errorf("two: %q, want 2y", got)
		}
	}
	run(one) // the slot of one's "f" holds one's entry again
	one.Funcs(FuncMap{"f": ret("3")})
	if got := run(one); got != "3x" {
		t.Errorf("one after Funcs: %q, want 3x", got)
	}
	src := "fgh" // "f", "fg" and "fgh" share a slot
	call := func(fn reflect.Value) string { return fn.Call(nil)[0].String() }
	for range 2 {
		for _, tmpl := range []*Template{one, two} {
			for _, name := range []string{src[:1], src[:2], src} {
				fn, builtin, ok := findFunction(name, tmpl)
				wfn, wbuiltin, wok := lookUpFunction(name, tmpl)
				if ok != wok || builtin != wbuiltin || ok && call(fn) != call(wfn) {
					t.Errorf("findFunction(%q, %s) = %v %v %v, want %v %v %v", name, tmpl.Name(), fn, builtin, ok, wfn, wbuiltin, wok)
				}
			}
		}
	}
}

// TestExecuteStateAllocs: an execution allocates its state once, and a
// template call its state once (each with its first variables).
func TestExecuteStateAllocs(t *testing.T) {
	tmpl := Must(New("t").Parse(`{{define "x"}}{{.}}{{end}}{{template "x" .}}{{template "x" .}}{{template "x" .}}`))
	data := "s"
	if err := tmpl.Execute(io.Discard, data); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(50, func() { tmpl.Execute(io.Discard, data) }); n > 4 {
		t.Errorf("an execution with three template calls made %v allocations, want at most 4", n)
	}
}
