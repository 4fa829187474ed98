package site

import (
	"testing"
	"time"
)

// The cases are what Hugo 0.111.3 wrote for the same pages.
func TestHugoPaths(t *testing.T) {
	for _, tc := range []struct {
		d                  hugoTarget
		file, link, resDir string
	}{
		{hugoTarget{Kind: "page", Dir: "post/", BaseName: "a"}, "post/a/index.html", "/post/a/", "post/a/"},
		{hugoTarget{Kind: "page", Dir: "post/", BaseName: "a", Expanded: "/2020/01/a/"}, "2020/01/a/index.html", "/2020/01/a/", "2020/01/a/"},
		{hugoTarget{Kind: "page", Dir: "post/", BaseName: "leaf-slug", Expanded: "/2021/03/leaf-slug/"}, "2021/03/leaf-slug/index.html", "/2021/03/leaf-slug/", "2021/03/leaf-slug/"},
		{hugoTarget{Kind: "page", BaseName: "My File_NAME"}, "my-file_name/index.html", "/my-file_name/", "my-file_name/"},
		{hugoTarget{Kind: "page", BaseName: "My File_NAME", KeepCase: true}, "My-File_NAME/index.html", "/My-File_NAME/", "My-File_NAME/"},
		{hugoTarget{Kind: "page", BaseName: "Hello", URL: "/custom/Path/"}, "custom/Path/index.html", "/custom/Path/", "custom/Path/"},
		{hugoTarget{Kind: "page", BaseName: "ugly", URL: "/some/file.html"}, "some/file.html", "/some/file.html", "some/"},
		{hugoTarget{Kind: "page", Dir: "post/", BaseName: "x", Ugly: true}, "post/x.html", "/post/x.html", "post/x/"},
		{hugoTarget{Kind: "page", Dir: "post/", BaseName: "x", Ugly: true, Expanded: "/2015/10/29/x/"}, "2015/10/29/x.html", "/2015/10/29/x.html", "2015/10/29/x/"},
		{hugoTarget{Kind: "page", Dir: "docs/deep/", BaseName: "page"}, "docs/deep/page/index.html", "/docs/deep/page/", "docs/deep/page/"},
		{hugoTarget{Kind: "section", Sections: []string{"docs", "deep2"}}, "docs/deep2/index.html", "/docs/deep2/", "docs/deep2/"},
		{hugoTarget{Kind: "section", Sections: []string{"post"}, Ugly: true}, "post.html", "/post.html", "post/"},
		{hugoTarget{Kind: "home"}, "index.html", "/", ""},
		{hugoTarget{Kind: "taxonomy", Sections: []string{"tags"}}, "tags/index.html", "/tags/", "tags/"},
		{hugoTarget{Kind: "term", Sections: []string{"tags", "Go Lang"}}, "tags/go-lang/index.html", "/tags/go-lang/", "tags/go-lang/"},
		{hugoTarget{Kind: "term", Sections: []string{"tags", "café"}}, "tags/café/index.html", "/tags/caf%C3%A9/", "tags/café/"},
		{hugoTarget{Kind: "page", Dir: "blog/", BaseName: "日本語"}, "blog/日本語/index.html", "/blog/%E6%97%A5%E6%9C%AC%E8%AA%9E/", "blog/日本語/"},
	} {
		file, link, res := hugoPaths(tc.d)
		if file != tc.file || link != tc.link || res != tc.resDir {
			t.Errorf("%+v:\n have %q %q %q\n want %q %q %q", tc.d, file, link, res, tc.file, tc.link, tc.resDir)
		}
	}
}

func TestHugoPermalinks(t *testing.T) {
	p := permalinkPage{Date: time.Date(2015, 10, 29, 8, 0, 0, 0, time.UTC), Title: "The CA's Role, Explained", Slug: "",
		FileName: "2015-10-29-phishing", Section: "post", Sections: []string{"post", "2015"}}
	for _, tc := range []struct{ pattern, want string }{
		{"/:year/:month/:day/:slug/", "/2015/10/29/the-cas-role-explained/"},
		{"/:year/:month/:day/:filename/", "/2015/10/29/2015-10-29-phishing/"},
		{"/:section/:slugorfilename/", "/post/2015-10-29-phishing/"},
		{"/:sections/:title", "/post/2015/the-cas-role-explained"},
		{"/:sections[last]/:monthname-:yearday/", "/2015/October-302/"},
		{"/:sections[0:1]/:2006/:weekdayname/", "/post/2015/Thursday/"},
	} {
		if err := checkPermalink(tc.pattern); err != nil {
			t.Fatal(err)
		}
		if got := expandPermalink(tc.pattern, p); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.pattern, got, tc.want)
		}
	}
	p.Slug = "phishing-and-malware"
	if got := expandPermalink("/:year/:slug/", p); got != "/2015/phishing-and-malware/" {
		t.Errorf("slug: %q", got)
	}
	for _, bad := range []string{"/:year/:nosuch/", "/a//b/"} {
		if err := checkPermalink(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
