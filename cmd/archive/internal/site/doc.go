// Package site builds an archive's static site: it loads content/ (one
// Markdown file per article, see package article for the front matter),
// seeds/ (the raw archived texts) and archive.toml, renders every page with
// html/template layouts, goldmark and chroma, and holds the whole site in
// memory as an Output that Publish swaps into a folder atomically.
//
// # Site root
//
//	archive.toml   site configuration (Config); optional, unknown keys are errors
//	content/       articles, *.md; names starting with . or _ are skipped
//	seeds/         raw archived files, published untouched with their SHA-256
//	layouts/       overrides of the embedded default layouts, by file name
//
// # URLs
//
//	/                          home: every story's articles in date order
//	/articles/<slug>/          one article (slug: front matter slug, else id, else file name)
//	/outlets/<slug>/           one outlet (slug made from the outlet's name)
//	/seeds/<name>/             a raw seed, numbered lines (#L12), SHA-256
//	/seeds/<name>.txt          the raw seed file itself
//	/<alias>/                  a redirect page per front-matter alias
//	/_redirects                the aliases as Netlify 301s (when there are any)
//	/404.html, /sitemap.xml, /index.xml (Atom), /robots.txt
//	/style.<hash>.css          the one stylesheet (layouts + chroma light/dark)
//
// Every path is under the path of baseURL. Two pages that claim one URL are
// an error. A permalink never changes once published: give an article an id
// (it makes the slug when there is none) and, when a page moves anyway, an
// alias for each old path.
//
// # Stories
//
// Articles with the same front-matter story ("story: Interpol and
// encryption") form a story; the rest form archive.toml's story. An article
// page links the previous and next article of its story by date and lists
// the story's other articles.
//
// # Layouts
//
// Each page kind (home, single, outlet, seed, 404, alias) executes
// baseof.html with <kind>.html parsed on top. Another *.html that defines
// "main" is a kind for pages added WithPages (such as search.html); every
// other *.html is a partial. A layout gets a *Page: .Kind, .Title,
// .Description, .URL, .Permalink, .Site (*SiteData: the Config fields plus
// .Articles, .Outlets, .Stories, .Seeds, .Stylesheet, .Feed, .Home, and .Nav,
// the links features add WithNav), and by
// kind .Article (*Article), .Outlet (*Outlet), .Seed (*Seed), .Target
// (alias), .Data (WithPages). item.html renders one *Article as a list
// entry; it runs once per article per build and lists use the result,
// .Item. Functions: date, isodate, shortdate, plural. Scripts (*.js) in
// layouts/ are published at the site root as they are.
//
// # Markdown
//
// goldmark with GFM tables, strikethrough and linkify; no typographer, so the
// archived wording stays as it was; raw HTML only with unsafe_html: true.
// Fenced code is highlighted by chroma with CSS classes. A level-2 heading
// "Reader comments" starts the reader comments (see Comments). Annotation
// layers mark text through WithSpans and WithMarkdown: the parser is given
// Article.Body unchanged, so text segments are Body offsets.
//
// # Incremental builds
//
// A Builder keeps parsed files, rendered Markdown and rendered pages. Each
// page has a fingerprint of its inputs (the data it shows and the layout
// files of its kind); Build(ctx, changed) re-reads the changed paths and
// re-renders only pages whose fingerprint changed. Output is deterministic:
// no clock, sorted iteration, so two builds are byte-identical.
package site
