// archive: look-ups and calls the standard library's exec.go makes through
// reflection on every action, memoised or made directly. Everything here
// gives what the code it replaces gives; see README.md in the parent folder.

package template

import (
	"fmt"
	"maps"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// typeNames holds one type's look-ups by name. The maps are replaced, never
// changed, so that readers need no lock: a template meets a few hundred
// (type, name) pairs, each once.
type typeNames struct {
	mu      sync.Mutex
	methods atomic.Pointer[map[string]int]        // method index, -1: none
	fields  atomic.Pointer[map[string]fieldIndex] // see fieldByName
}

type fieldIndex struct {
	index    []int
	exported bool
	ok       bool
}

var typeCache sync.Map // reflect.Type -> *typeNames

// StringFunc is a faster form of a function of signature
// func(...any) string (html/template's escapers) for one argument of a
// string kind: out is what the function returns for the value s of type
// t; ok false means it does not know, and the function is called.
type StringFunc func(s string, t reflect.Type) (out string, ok bool)

// stringFuncs holds the registered StringFuncs by the code pointer of the
// function they stand for; written by init functions only, so read
// without a lock.
var stringFuncs = map[uintptr]StringFunc{}

// RegisterStringFunc registers fast as the faster form of fn. Call it from
// an init function only. fn must not keep its arguments (fastCall passes
// it a slice it reuses) and fast must return what fn returns.
func RegisterStringFunc(fn func(...any) string, fast StringFunc) {
	stringFuncs[reflect.ValueOf(fn).Pointer()] = fast
}

// LookupStringFunc returns the StringFunc registered for fn, if any (for
// tests of the registered forms).
func LookupStringFunc(fn func(...any) string) (StringFunc, bool) {
	f, ok := stringFuncs[reflect.ValueOf(fn).Pointer()]
	return f, ok
}

// scratch is what fastCall reuses across the actions of one execution,
// instead of allocating on every call: out holds the result of a
// StringFunc, returned as an addressable reflect.Value of it (read before
// the next call overwrites it: an escaper's result is only printed or
// passed to the next escaper of its pipeline), args the arguments of a
// registered function.
type scratch struct {
	out  string
	args [2]any
}

func namesOf(t reflect.Type) *typeNames {
	if c, ok := typeCache.Load(t); ok {
		return c.(*typeNames)
	}
	c, _ := typeCache.LoadOrStore(t, new(typeNames))
	return c.(*typeNames)
}

// methodByName is v.MethodByName(name), with the type's look-up (which
// builds the method's func type each time) done once per type and name.
func methodByName(v reflect.Value, name string) reflect.Value {
	if !v.IsValid() {
		return v.MethodByName(name) // the same panic
	}
	t := v.Type()
	var i int
	a, b := cacheSlots(name)
	if e := methodCache[a].Load(); e != nil && e.t == t && e.name == name {
		i = e.method
	} else if e := methodCache[b].Load(); e != nil && e.t == t && e.name == name {
		i = e.method
	} else {
		i = methodIndex(t, name)
		store(&methodCache[a], &methodCache[b], &lookup{t: t, name: name, method: i})
	}
	if i < 0 {
		return reflect.Value{}
	}
	return v.Method(i)
}

// methodIndex is the index of t's method name, -1 if it has none.
func methodIndex(t reflect.Type, name string) int {
	tn := namesOf(t)
	if m := tn.methods.Load(); m != nil {
		if i, ok := (*m)[name]; ok {
			return i
		}
	}
	i := -1
	if m, ok := t.MethodByName(name); ok {
		i = m.Index
	}
	publish(&tn.mu, &tn.methods, name, i)
	return i
}

// fieldByName is t.FieldByName(name) for a struct type t, reduced to what
// exec.go uses, with the search (and the Index slice it makes) done once
// per type and name.
func fieldByName(t reflect.Type, name string) (fieldIndex, bool) {
	a, b := cacheSlots(name)
	if e := fieldCache[a].Load(); e != nil && e.t == t && e.name == name {
		return e.field, e.field.ok
	}
	if e := fieldCache[b].Load(); e != nil && e.t == t && e.name == name {
		return e.field, e.field.ok
	}
	f := fieldIndexOf(t, name)
	store(&fieldCache[a], &fieldCache[b], &lookup{t: t, name: name, field: f})
	return f, f.ok
}

func fieldIndexOf(t reflect.Type, name string) fieldIndex {
	tn := namesOf(t)
	if m := tn.fields.Load(); m != nil {
		if f, ok := (*m)[name]; ok {
			return f
		}
	}
	sf, ok := t.FieldByName(name)
	f := fieldIndex{index: sf.Index, exported: sf.IsExported(), ok: ok}
	publish(&tn.mu, &tn.fields, name, f)
	return f
}

// methodCache and fieldCache are two-way caches in front of
// namesOf's maps: an action's look-up is then a load and two compares
// rather than a sync.Map look-up by type and a map look-up by name (half
// the time of evalField). A slot is chosen by the address of the name's
// bytes, which are the parse node's, so each field or method node of the
// layouts mostly has a slot of its own; an entry holds its type and name
// and is used only for the same ones, so a collision costs a slower
// look-up, never a wrong one.
var methodCache, fieldCache [1 << cacheBits]atomic.Pointer[lookup]

type lookup struct {
	t      reflect.Type
	name   string
	method int        // methodByName's index, -1: none
	field  fieldIndex // fieldByName's
}

// funcCache is the two-way cache of findFunction: an entry is used
// for its set of functions (common) as it was (gen, which Funcs changes
// under muFuncs: an entry made while Funcs ran has the generation read
// before, so it is not used after) and its name only. It saves a
// read-lock shared by every worker and a map look-up of names such as
// "_html_template_htmlescaper" on every call.
var funcCache [1 << cacheBits]atomic.Pointer[funcLookup]

type funcLookup struct {
	c           *common
	gen         uint64
	name        string
	fn          reflect.Value
	builtin, ok bool
}

// cacheSlots are the two slots where the entries of name may be: the
// caches are two-way, so that two hot names whose slots collide do not
// replace each other on every look-up.
func cacheSlots(name string) (int, int) {
	h := uint64(uintptr(unsafe.Pointer(unsafe.StringData(name)))) * 0x9e3779b97f4a7c15
	i := int(h >> (64 - cacheBits))
	return i, i ^ 1
}

const cacheBits = 10 // 1024 slots

// store puts e in slot a if it is free, else in slot b: an entry in a
// stays while later ones take turns in b.
func store[T any](a, b *atomic.Pointer[T], e *T) {
	if a.Load() == nil {
		a.Store(e)
	} else {
		b.Store(e)
	}
}

// publish replaces *p with a copy of it that also maps name to v.
func publish[V any](mu *sync.Mutex, p *atomic.Pointer[map[string]V], name string, v V) {
	mu.Lock()
	defer mu.Unlock()
	next := map[string]V{name: v}
	if old := p.Load(); old != nil {
		maps.Copy(next, *old)
		next[name] = v
	}
	p.Store(&next)
}

var (
	stringType  = reflect.TypeFor[string]()
	escaperType = reflect.TypeFor[func(...any) string]()
	notType     = reflect.TypeFor[func(reflect.Value) bool]()
	eqType      = reflect.TypeFor[func(reflect.Value, ...reflect.Value) (bool, error)]()
	compareType = reflect.TypeFor[func(reflect.Value, reflect.Value) (bool, error)]()
	lengthType  = reflect.TypeFor[func(reflect.Value) (int, error)]()
)

// fastCall calls fun with argv as safeCall does, without reflection, when
// fun has one of the signatures of html/template's escapers or of the
// builtins not, eq, ne, lt, le, gt, ge and len; ok is false otherwise.
// Arguments of type reflect.Value arrive wrapped, as evalArg makes them.
func fastCall(sc *scratch, fun reflect.Value, typ reflect.Type, argv []reflect.Value) (v reflect.Value, err error, ok bool) {
	switch typ {
	case escaperType, notType, eqType, compareType, lengthType:
	default:
		return reflect.Value{}, nil, false
	}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	ok = true
	switch typ {
	case escaperType:
		fast, registered := stringFuncs[fun.Pointer()]
		if registered && len(argv) == 1 && argv[0].Kind() == reflect.String {
			if out, ok := fast(argv[0].String(), argv[0].Type()); ok {
				sc.out = out
				return reflect.ValueOf(&sc.out).Elem(), nil, true
			}
		}
		f := fun.Interface().(func(...any) string)
		var in []any
		if registered && len(argv) <= len(sc.args) {
			in = sc.args[:0] // registered functions do not keep it
			defer clear(sc.args[:])
		} else {
			in = make([]any, 0, len(argv))
		}
		for _, a := range argv {
			in = append(in, a.Interface())
		}
		return reflect.ValueOf(f(in...)), nil, true
	case notType:
		f := fun.Interface().(func(reflect.Value) bool)
		return reflect.ValueOf(f(wrapped(argv[0]))), nil, true
	case eqType:
		f := fun.Interface().(func(reflect.Value, ...reflect.Value) (bool, error))
		var buf [2]reflect.Value
		rest := buf[:0]
		if len(argv)-1 > len(buf) {
			rest = make([]reflect.Value, 0, len(argv)-1)
		}
		for _, a := range argv[1:] {
			rest = append(rest, wrapped(a))
		}
		b, err := f(wrapped(argv[0]), rest...)
		return reflect.ValueOf(b), err, true
	case compareType:
		f := fun.Interface().(func(reflect.Value, reflect.Value) (bool, error))
		b, err := f(wrapped(argv[0]), wrapped(argv[1]))
		return reflect.ValueOf(b), err, true
	default: // lengthType
		f := fun.Interface().(func(reflect.Value) (int, error))
		n, err := f(wrapped(argv[0]))
		return reflect.ValueOf(n), err, true
	}
}

// wrapped is the reflect.Value that evalArg wrapped in a reflect.Value
// for a parameter of type reflect.Value.
func wrapped(a reflect.Value) reflect.Value {
	if a.Type() == reflectValueType {
		return a.Interface().(reflect.Value)
	}
	return a
}
