package shortcode

import (
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// builtin is one of Hugo's built-in shortcodes, as the archive renders it.
type builtin struct {
	inner bool // takes inner content
	run   func(s *Set, c *Context) (string, error)
}

// builtins are Hugo's built-in shortcodes that make sense on a static
// archive. Embeds that would load a third party's page (YouTube, Vimeo,
// X, Instagram, gists) become links: the archive's pages load nothing from
// elsewhere, and its Content-Security-Policy allows no frames.
var builtins = map[string]builtin{
	"figure":           {run: figure},
	"highlight":        {inner: true, run: highlightShortcode},
	"param":            {run: param},
	"ref":              {run: func(s *Set, c *Context) (string, error) { return ref(s, c, false) }},
	"relref":           {run: func(s *Set, c *Context) (string, error) { return ref(s, c, true) }},
	"details":          {inner: true, run: details},
	"comment":          {inner: true, run: func(*Set, *Context) (string, error) { return "", nil }},
	"youtube":          {run: youtube},
	"vimeo":            {run: vimeo},
	"vimeo_simple":     {run: vimeo},
	"tweet":            {run: tweet},
	"twitter":          {run: tweet},
	"twitter_simple":   {run: tweet},
	"x":                {run: tweet},
	"x_simple":         {run: tweet},
	"instagram":        {run: instagram},
	"instagram_simple": {run: instagram},
	"gist":             {run: gist},
}

// BuiltinNames lists the built-in shortcodes.
func BuiltinNames() []string {
	out := make([]string, 0, len(builtins))
	for n := range builtins {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// arg returns the named parameter, else the positional one at i (-1: none).
func arg(c *Context, name string, i int) string {
	if c.IsNamedParams {
		return toString(c.Get(name))
	}
	if i >= 0 {
		return toString(c.Get(i))
	}
	return ""
}

func attr(name, value string) string {
	if value == "" {
		return ""
	}
	return " " + name + `="` + html.EscapeString(value) + `"`
}

func figure(s *Set, c *Context) (string, error) {
	src := arg(c, "src", -1)
	if src == "" {
		return "", errors.New("figure needs src=\"image.png\"")
	}
	var b strings.Builder
	b.WriteString("<figure" + attr("class", arg(c, "class", -1)) + ">")
	link := arg(c, "link", -1)
	if link != "" {
		b.WriteString("<a" + attr("href", link) + attr("target", arg(c, "target", -1)) + attr("rel", arg(c, "rel", -1)) + ">")
	}
	caption, title, at := arg(c, "caption", -1), arg(c, "title", -1), arg(c, "attr", -1)
	alt := arg(c, "alt", -1)
	capHTML := ""
	if caption != "" {
		h, err := s.markdownify(caption)
		if err != nil {
			return "", err
		}
		capHTML = string(h)
		if alt == "" {
			alt = strings.TrimSpace(plainify(capHTML))
		}
	}
	b.WriteString("<img" + attr("src", src) + attr("alt", alt) + attr("width", arg(c, "width", -1)) +
		attr("height", arg(c, "height", -1)) + attr("loading", arg(c, "loading", -1)) + ">")
	if link != "" {
		b.WriteString("</a>")
	}
	if title != "" || caption != "" || at != "" {
		b.WriteString("<figcaption>")
		if title != "" {
			b.WriteString("<h4>" + html.EscapeString(title) + "</h4>")
		}
		if caption != "" || at != "" {
			b.WriteString("<p>" + capHTML)
			if at != "" {
				ah, err := s.markdownify(at)
				if err != nil {
					return "", err
				}
				if l := arg(c, "attrlink", -1); l != "" {
					b.WriteString(`<a` + attr("href", l) + ">" + string(ah) + "</a>")
				} else {
					b.WriteString(string(ah))
				}
			}
			b.WriteString("</p>")
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String(), nil
}

func highlightShortcode(s *Set, c *Context) (string, error) {
	lang := arg(c, "lang", 0)
	opts := map[string]string{}
	if c.IsNamedParams {
		if m, ok := c.Params.(map[string]any); ok {
			for k, v := range m {
				if k != "lang" {
					opts[strings.ToLower(k)] = toString(v)
				}
			}
		}
	} else if o := toString(c.Get(1)); o != "" {
		opts = parseHighlightOptions(o)
	}
	code := strings.Trim(deindent(c.RawInner), "\n\r")
	return s.highlight(code, lang, opts)
}

func param(s *Set, c *Context) (string, error) {
	key := arg(c, "name", 0)
	if key == "" {
		return "", errors.New(`param needs a parameter name: {{< param "author" >}}`)
	}
	v := c.Page.Param(key)
	if v == nil {
		return "", fmt.Errorf("param %q is not set in the page's front matter or the site's params", key)
	}
	return html.EscapeString(toString(v)), nil
}

func ref(s *Set, c *Context, rel bool) (string, error) {
	target := arg(c, "path", 0)
	if target == "" {
		return "", errors.New(`give the page to link to: {{< ref "post/other.md" >}}`)
	}
	u, err := s.Resolve(c.Page, target, rel)
	if err != nil {
		return "", fmt.Errorf("%v (references are content paths such as \"post/other.md\", \"/about\", \"other.md#section\")", err)
	}
	return u, nil
}

func details(s *Set, c *Context) (string, error) {
	summary := arg(c, "summary", -1)
	if summary == "" {
		summary = "Details"
	}
	sh, err := s.markdownify(summary)
	if err != nil {
		return "", err
	}
	body := ""
	if s.opts.markdown != nil {
		body, err = s.opts.markdown(c.RawInner)
		if err != nil {
			return "", err
		}
	} else {
		body = html.EscapeString(c.RawInner)
	}
	open := ""
	if o := arg(c, "open", -1); o == "true" {
		open = " open"
	}
	return "<details" + attr("class", arg(c, "class", -1)) + attr("name", arg(c, "name", -1)) + open + "><summary>" +
		string(sh) + "</summary>\n" + body + "</details>", nil
}

// embedLink is the archive's rendering of an embed: a link that says what
// it leads to, loading nothing from the third party.
func embedLink(kind, href, label string) string {
	return `<p class="embed-link embed-` + kind + `"><a` + attr("href", href) + ` rel="noopener">` + html.EscapeString(label) + "</a></p>"
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func checkID(kind, id string) error {
	if !idRE.MatchString(id) {
		return fmt.Errorf("%s needs a video or post id of letters, digits, - and _, not %q", kind, id)
	}
	return nil
}

func youtube(s *Set, c *Context) (string, error) {
	id := arg(c, "id", 0)
	if err := checkID("youtube", id); err != nil {
		return "", err
	}
	title := arg(c, "title", -1)
	if title == "" {
		title = "YouTube video " + id
	}
	u := "https://www.youtube.com/watch?v=" + id
	if start := arg(c, "start", -1); start != "" {
		u += "&t=" + url.QueryEscape(start)
	}
	return embedLink("youtube", u, "▶ "+title+" (watch on YouTube)"), nil
}

func vimeo(s *Set, c *Context) (string, error) {
	id := arg(c, "id", 0)
	if err := checkID("vimeo", id); err != nil {
		return "", err
	}
	title := arg(c, "title", -1)
	if title == "" {
		title = "Vimeo video " + id
	}
	return embedLink("vimeo", "https://vimeo.com/"+id, "▶ "+title+" (watch on Vimeo)"), nil
}

func tweet(s *Set, c *Context) (string, error) {
	var user, id string
	if c.IsNamedParams {
		user, id = arg(c, "user", -1), arg(c, "id", -1)
	} else if toString(c.Get(1)) != "" {
		user, id = toString(c.Get(0)), toString(c.Get(1))
	} else {
		id = toString(c.Get(0))
	}
	if err := checkID(c.Name, id); err != nil {
		return "", err
	}
	if user == "" {
		user = "i/web"
	} else if !idRE.MatchString(user) {
		return "", fmt.Errorf("%s: user %q is not a user name", c.Name, user)
	}
	label := "Post " + id
	if user != "i/web" {
		label = "Post by @" + user
	}
	return embedLink("x", "https://x.com/"+user+"/status/"+id, label+" (read on X)"), nil
}

func instagram(s *Set, c *Context) (string, error) {
	id := arg(c, "id", 0)
	if err := checkID("instagram", id); err != nil {
		return "", err
	}
	return embedLink("instagram", "https://www.instagram.com/p/"+id+"/", "Instagram post "+id+" (view on Instagram)"), nil
}

func gist(s *Set, c *Context) (string, error) {
	user, id, file := arg(c, "user", 0), arg(c, "id", 1), arg(c, "file", 2)
	if !idRE.MatchString(user) || !idRE.MatchString(id) {
		return "", fmt.Errorf("gist needs a user and a gist id: {{< gist user 1234abcd >}}")
	}
	u := "https://gist.github.com/" + user + "/" + id
	label := "Gist " + id + " by " + user
	if file != "" {
		u += "#file-" + strings.ReplaceAll(strings.ToLower(file), ".", "-")
		label = file + " (gist by " + user + ")"
	}
	return embedLink("gist", u, label), nil
}
