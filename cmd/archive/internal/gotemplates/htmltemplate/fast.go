// archive: faster forms of the escapers html/template adds to every
// action, for one argument of a string kind (texttemplate.StringFunc):
// the escaper without boxing its argument into an interface or its
// result into a reflect.Value. See README.md in the parent folder.

package template

import (
	"reflect"

	texttemplate "github.com/archive-project/archive/cmd/archive/internal/gotemplates/texttemplate"
)

func init() {
	texttemplate.RegisterStringFunc(htmlEscaper, stringFunc(htmlEscape))
	texttemplate.RegisterStringFunc(attrEscaper, stringFunc(attrEscape))
	texttemplate.RegisterStringFunc(rcdataEscaper, stringFunc(rcdataEscape))
	texttemplate.RegisterStringFunc(htmlNospaceEscaper, stringFunc(htmlNospaceEscape))
	texttemplate.RegisterStringFunc(urlFilter, stringFunc(urlFilterString))
	texttemplate.RegisterStringFunc(urlEscaper, stringFunc(func(s string, t contentType) string { return urlProcess(false, s, t) }))
	texttemplate.RegisterStringFunc(urlNormalizer, stringFunc(func(s string, t contentType) string { return urlProcess(true, s, t) }))
}

// stringFunc is the StringFunc of an escaper whose work after stringify
// is escape: for the types stringify tells apart by a type switch (other
// named string types go through fmt, which may call their String method:
// the escaper is called for them).
func stringFunc(escape func(string, contentType) string) texttemplate.StringFunc {
	return func(s string, t reflect.Type) (string, bool) {
		ct, ok := contentTypeOf(t)
		if !ok {
			return "", false
		}
		return escape(s, ct), true
	}
}

var (
	plainType    = reflect.TypeFor[string]()
	cssType      = reflect.TypeFor[CSS]()
	htmlType     = reflect.TypeFor[HTML]()
	htmlAttrType = reflect.TypeFor[HTMLAttr]()
	jsType       = reflect.TypeFor[JS]()
	jsStrType    = reflect.TypeFor[JSStr]()
	urlType      = reflect.TypeFor[URL]()
	srcsetType   = reflect.TypeFor[Srcset]()
)

// contentTypeOf is the content type stringify gives a value of type t
// alone, if t is one of its cases.
func contentTypeOf(t reflect.Type) (contentType, bool) {
	switch t {
	case plainType:
		return contentTypePlain, true
	case cssType:
		return contentTypeCSS, true
	case htmlType:
		return contentTypeHTML, true
	case htmlAttrType:
		return contentTypeHTMLAttr, true
	case jsType:
		return contentTypeJS, true
	case jsStrType:
		return contentTypeJSStr, true
	case urlType:
		return contentTypeURL, true
	case srcsetType:
		return contentTypeSrcset, true
	}
	return 0, false
}
